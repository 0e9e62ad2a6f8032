/**
 * @helpcrunch-chats/client: a typed client for the HelpCrunch Chats API v1.
 *
 * ```ts
 * import { createHelpCrunchClient } from "@helpcrunch-chats/client";
 * const hc = createHelpCrunchClient({ apiKey }); // apiKey falls back to HELPCRUNCH_API_KEY
 * const chat = await hc.chats.updateStatus({ id: 542335, status: "on hold" });
 * ```
 */
export type {
  Agent,
  Chat,
  ChatStatus,
  CreateChatRequest,
  Customer,
  Department,
  ErrorDetail,
  ErrorEnvelope,
  MarkChatReadByAgentRequest,
  MarkChatReadByCustomerRequest,
  ReportedChatStatus,
  UnixTimestamp,
  UpdateChatAssigneeRequest,
  UpdateChatDepartmentRequest,
  UpdateChatStatusRequest,
} from "@helpcrunch-chats/types";
export {
  type CallOptions,
  type ChatsResource,
  createHelpCrunchClient,
  type HelpCrunchClient,
  type HelpCrunchClientOptions,
  type Logger,
  type LogLevel,
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
