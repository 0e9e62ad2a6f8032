#!/usr/bin/env node
// Generates the client's operation layer and the types' named aliases from the bundled spec
// (@helpcrunch-chats/openapi's openapi.json; build it first, turbo's `generate` does):
//
//   packages/client/src/generated/operations.ts   OPERATIONS (route, parameters, validator
//                                                 compiled from the request schemas) and the
//                                                 ChatsResource interface
//   packages/types/src/generated/aliases.d.ts     one alias per schema and request body
//
//   node scripts/generate.mjs           write both files
//   node scripts/generate.mjs --check   exit 1 when either differs from what it would write
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { emitAliases, emitOperations } from "./codegen/emit.mjs";
import { format } from "./codegen/format.mjs";

export { emitAliases, emitOperations } from "./codegen/emit.mjs";
export { methodName } from "./codegen/spec.mjs";

const root = fileURLToPath(new URL("../../../", import.meta.url));
export const OUTPUTS = {
  operations: fileURLToPath(new URL("../src/generated/operations.ts", import.meta.url)),
  aliases: fileURLToPath(new URL("../../types/src/generated/aliases.d.ts", import.meta.url)),
};

/** The generated files of `spec`, formatted: `[{ path, content }]`. */
export function generate(spec, outputs = OUTPUTS) {
  return [
    { path: outputs.operations, content: format(emitOperations(spec), "operations.generated.ts") },
    { path: outputs.aliases, content: format(emitAliases(spec), "aliases.generated.d.ts") },
  ];
}

/** The files whose content on disk differs from `files` (missing ones included). */
export function staleFiles(files) {
  return files.filter(({ path, content }) => {
    try {
      return readFileSync(path, "utf8") !== content;
    } catch {
      return true;
    }
  });
}

/** The bundled spec, as @helpcrunch-chats/openapi ships it. */
export async function loadSpec() {
  const { openapiJsonPath } = await import("@helpcrunch-chats/openapi");
  try {
    return JSON.parse(readFileSync(openapiJsonPath, "utf8"));
  } catch (error) {
    throw new Error(
      `cannot read the bundled spec (${error.message}): build @helpcrunch-chats/openapi first`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes("--check");
  try {
    const files = generate(await loadSpec());
    if (check) {
      const stale = staleFiles(files);
      for (const { path } of stale) {
        console.error(
          `${relative(root, path)} is stale: it is not what the spec generates. Run ./scripts/run generate and commit it.`,
        );
      }
      process.exitCode = stale.length ? 1 : 0;
      if (!stale.length) {
        console.log(
          `generated files are up to date (${files.map((f) => relative(root, f.path)).join(", ")})`,
        );
      }
    } else {
      for (const { path, content } of files) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, content);
        console.log(`wrote ${relative(root, path)} (${Buffer.byteLength(content)} bytes)`);
      }
    }
  } catch (error) {
    console.error(`generate: ${error.message}`);
    process.exitCode = 1;
  }
}
