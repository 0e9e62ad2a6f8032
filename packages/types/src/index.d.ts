/**
 * Types of the HelpCrunch Chats API v1.
 *
 * `paths`, `components` and `operations` are generated from the bundled spec by
 * openapi-typescript (see ./generated/openapi.d.ts, never edited by hand); the named aliases
 * below are derived from them, so a change to the spec flows into every alias.
 */
import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };

type Schemas = components["schemas"];

/** A chat as the API returns it (liberal: every shape the API has been seen to send). */
export type Chat = Schemas["Chat"];
/** A status a chat can be moved to: the six values `updateChatStatus` accepts. */
export type ChatStatus = Schemas["ChatStatus"];
/** A status as the API reports it, including `onhold`, `on-hold` and `empty`. */
export type ReportedChatStatus = Schemas["ReportedChatStatus"];
/** Seconds since the epoch, as a digit string, an integer, a `"N.000"` string or null. */
export type UnixTimestamp = Schemas["UnixTimestamp"];
/** An agent, as embedded in a chat. */
export type Agent = Schemas["Agent"];
/** The customer of a chat. */
export type Customer = Schemas["Customer"];
/** A department, as embedded in a chat. */
export type Department = Schemas["Department"];
/** The body of every error answer: `{ errors: [{ code, message }, ...] }`. */
export type ErrorEnvelope = Schemas["ErrorEnvelope"];
/** One entry of an error envelope. */
export type ErrorDetail = Schemas["ErrorDetail"];

/** The operationIds of the spec, one per client method. */
export type OperationId = keyof operations;

/** The JSON request body of an operation. */
export type RequestBody<Op extends OperationId> = operations[Op] extends {
  requestBody: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

/** Request body of `createChat` (POST /chats). */
export type CreateChatRequest = RequestBody<"createChat">;
/** Request body of `updateChatStatus` (PUT /chats/status). */
export type UpdateChatStatusRequest = RequestBody<"updateChatStatus">;
/** Request body of `markChatReadByAgent` (PUT /chats/readByAgent). */
export type MarkChatReadByAgentRequest = RequestBody<"markChatReadByAgent">;
/** Request body of `markChatReadByCustomer` (PUT /chats/readByCustomer). */
export type MarkChatReadByCustomerRequest = RequestBody<"markChatReadByCustomer">;
/** Request body of `updateChatAssignee` (PUT /chats/assignee). */
export type UpdateChatAssigneeRequest = RequestBody<"updateChatAssignee">;
/** Request body of `updateChatDepartment` (PUT /chats/department). */
export type UpdateChatDepartmentRequest = RequestBody<"updateChatDepartment">;
