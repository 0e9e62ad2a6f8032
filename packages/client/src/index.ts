/**
 * @helpcrunch-chats/client: a typed client for the HelpCrunch Chats API v1.
 *
 * ```ts
 * import { createHelpCrunchClient } from "@helpcrunch-chats/client";
 * const hc = createHelpCrunchClient({ apiKey }); // apiKey falls back to HELPCRUNCH_API_KEY
 * const chat = await hc.chats.updateStatus({ id: 542335, status: "on hold" });
 * ```
 */
// Every type of the spec (generated), so a consumer needs no second package for them.
export type * from "@helpcrunch-chats/types";
export {
  type APIPromise,
  type CallOptions,
  type ChatsResource,
  createHelpCrunchClient,
  type HelpCrunchClient,
  type HelpCrunchClientOptions,
  type Logger,
  type LogLevel,
  type WithResponse,
} from "./client.js";
export {
  AbortError,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  HelpCrunchError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RateLimitWaitError,
  ResponseTooLargeError,
  TimeoutError,
  ValidationError,
  type ValidationIssue,
} from "./errors.js";
export type { Page, PagePromise } from "./pagination.js";
export {
  createMemoryRateLimitStore,
  type RateLimitReservation,
  type RateLimitStore,
} from "./rate-limit.js";
export { toChatStatus } from "./status.js";
