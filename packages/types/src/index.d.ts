/**
 * Types of the HelpCrunch Chats API v1.
 *
 * `paths`, `components` and `operations` are generated from the bundled spec by
 * openapi-typescript (see ./generated/openapi.d.ts); the named aliases (one per schema, such
 * as `Chat` and `ChatStatus`, and one per request body, such as `CreateChatRequest`) are
 * generated from it by the client's generator (./generated/aliases.d.ts). Neither is edited
 * by hand: a new schema or operation in the spec flows into every alias.
 */
import type { operations } from "./generated/openapi.js";

export type * from "./generated/aliases.js";
export type { components, operations, paths } from "./generated/openapi.js";

/** The operationIds of the spec, one per client method. */
export type OperationId = keyof operations;

/** The JSON request body of an operation. */
export type RequestBody<Op extends OperationId> = operations[Op] extends {
  requestBody: { content: { "application/json": infer Body } };
}
  ? Body
  : never;
