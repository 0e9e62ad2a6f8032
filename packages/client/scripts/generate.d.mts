// Types of generate.mjs, for the tests that drive the generator.
export interface GeneratedFile {
  path: string;
  content: string;
}
export declare const OUTPUTS: { operations: string; aliases: string };
/** The generated files of `spec`, formatted by Biome. */
export declare function generate(
  spec: object,
  outputs?: { operations: string; aliases: string },
): GeneratedFile[];
/** The files whose content on disk differs from `files` (missing ones included). */
export declare function staleFiles(files: GeneratedFile[]): GeneratedFile[];
/** The bundled spec of @helpcrunch-chats/openapi. */
export declare function loadSpec(): Promise<Record<string, unknown>>;
/** The source of src/generated/operations.ts for `spec`, unformatted. */
export declare function emitOperations(spec: object): string;
/** The source of the types' generated/aliases.d.ts for `spec`, unformatted. */
export declare function emitAliases(spec: object): string;
/** The client method name of an operationId (`updateChatStatus` → `updateStatus`). */
export declare function methodName(operationId: string): string;
