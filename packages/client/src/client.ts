import type {
  Chat,
  CreateChatRequest,
  MarkChatReadByAgentRequest,
  MarkChatReadByCustomerRequest,
  OperationId,
  UpdateChatAssigneeRequest,
  UpdateChatDepartmentRequest,
  UpdateChatStatusRequest,
} from "@helpcrunch-chats/types";
import type { CallOptions } from "./call-options.js";
import { createLog, type Logger, type LogLevel } from "./internal/log.js";
import { DESCRIPTORS, type MethodKey, type MethodName } from "./internal/operations.js";
import { parseClientOptions } from "./internal/options.js";
import { createRateLimiter } from "./internal/rate-limiter.js";
import { createTransport } from "./internal/transport.js";

export type { CallOptions, Logger, LogLevel };

/** Options of {@link createHelpCrunchClient}. An unknown option is an error (a typo, most often). */
export interface HelpCrunchClientOptions {
  /** Your HelpCrunch API key. Defaults to the `HELPCRUNCH_API_KEY` environment variable. */
  apiKey?: string | undefined;
  /**
   * Root URL of the API, parsed as a URL. Default `https://api.helpcrunch.com/v1`; https only
   * (plain http only to localhost, 127.x.x.x or [::1]); no credentials, query or fragment.
   */
  baseUrl?: string | undefined;
  /** The `fetch` to send requests with (a function). Default: the global `fetch`, looked up at each call. */
  fetch?: typeof fetch | undefined;
  /** How many times a failed attempt may be repeated, when repeating is safe: 0 to 10. Default 2. */
  maxRetries?: number | undefined;
  /** How long one attempt may take, answer body included, in milliseconds. Default 30 000. */
  timeoutMs?: number | undefined;
  /**
   * The most bytes of one answer's body the client reads, counted after decompression while it
   * streams in; past it the call rejects with `ResponseTooLargeError`. Default 4 MiB (4 194 304).
   */
  maxResponseBytes?: number | undefined;
  /**
   * Client-side rate limit shared by all calls of this client, or `false` for none.
   * `requestsPerMinute`: an integer, default 120 (the API's limit per account). `maxWaitMs`:
   * the longest a call may wait for its slot; a call that would wait longer rejects at once
   * with `RateLimitWaitError`, sending nothing. Default: no bound (calls wait in order).
   */
  rateLimit?: { requestsPerMinute?: number; maxWaitMs?: number } | false | undefined;
  /** Where log messages go: an object with the methods of `logLevel` and above. Default: `console`. */
  logger?: Logger | undefined;
  /** What to log: `off` (default), `error`, `warn`, `info` (retries, rate-limit waits) or `debug` (every attempt). */
  logLevel?: LogLevel | undefined;
}

/** The chat operations. Each resolves to the chat as the API returns it, or rejects with a HelpCrunchError. */
export interface ChatsResource {
  /**
   * Creates a chat on behalf of a customer (`POST /chats`). Retried only when the API
   * certainly did not act on it (429, or a connection that never opened), so a chat is
   * never created twice.
   */
  create(body: CreateChatRequest, options?: CallOptions): Promise<Chat>;
  /** Moves a chat to another status (`PUT /chats/status`): `"new"`, `"opened"`, `"pending"`, `"on hold"`, `"no communication"` or `"closed"`. */
  updateStatus(body: UpdateChatStatusRequest, options?: CallOptions): Promise<Chat>;
  /** Marks a chat read (or, with `read: false`, unread) on the agent side (`PUT /chats/readByAgent`). */
  markReadByAgent(body: MarkChatReadByAgentRequest, options?: CallOptions): Promise<Chat>;
  /** Marks a chat read (or, with `read: false`, unread) on the customer side (`PUT /chats/readByCustomer`). */
  markReadByCustomer(body: MarkChatReadByCustomerRequest, options?: CallOptions): Promise<Chat>;
  /** Hands a chat to another agent (`PUT /chats/assignee`). */
  updateAssignee(body: UpdateChatAssigneeRequest, options?: CallOptions): Promise<Chat>;
  /** Routes a chat to another department (`PUT /chats/department`). */
  updateDepartment(body: UpdateChatDepartmentRequest, options?: CallOptions): Promise<Chat>;
}

/** A HelpCrunch Chats API client. */
export interface HelpCrunchClient {
  /** The chat operations, one method per operation of the spec. */
  readonly chats: ChatsResource;
}

// Every operationId of the spec has its method on ChatsResource, and nothing else is there.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyOperationHasAMethod: Same<keyof ChatsResource, MethodName<OperationId>> = true;
void everyOperationHasAMethod;

/**
 * Creates a client. Throws a ValidationError naming each bad option: a missing or malformed
 * API key, a base URL that is not https (plain http only for loopback), an option of the
 * wrong type or out of range, or an unknown option.
 *
 * ```ts
 * const hc = createHelpCrunchClient({ apiKey });
 * const chat = await hc.chats.updateStatus({ id: 542335, status: "on hold" });
 * ```
 */
export function createHelpCrunchClient(options?: HelpCrunchClientOptions): HelpCrunchClient {
  const settings = parseClientOptions(options);
  const userFetch = settings.fetch;
  const send = createTransport(
    settings,
    (url, init) => (userFetch ?? globalThis.fetch)(url, init),
    settings.rateLimit ? createRateLimiter(settings.rateLimit.requestsPerMinute) : undefined,
    createLog(settings.logger, settings.logLevel),
  );
  const chats = {} as Record<
    MethodKey,
    (input: unknown, callOptions?: CallOptions) => Promise<unknown>
  >;
  for (const name in DESCRIPTORS) {
    const op = DESCRIPTORS[name as MethodKey];
    chats[name as MethodKey] = (input, callOptions) => send(name, op, input, callOptions);
  }
  return { chats: chats as unknown as ChatsResource };
}
