import type {
  Chat,
  CreateChatRequest,
  MarkChatReadByAgentRequest,
  MarkChatReadByCustomerRequest,
  OperationId,
  paths,
  UpdateChatAssigneeRequest,
  UpdateChatDepartmentRequest,
  UpdateChatStatusRequest,
} from "@helpcrunch-chats/types";
import createClient, { type Client } from "openapi-fetch";
import type { ValidationIssue } from "./errors.js";
import { createLog, LOG_LEVELS, type Logger, type LogLevel } from "./internal/log.js";
import { type MethodKey, type MethodName, OPERATIONS } from "./internal/operations.js";
import { createRateLimiter } from "./internal/rate-limiter.js";
import { createTransport, type Sender } from "./internal/transport.js";
import { checkSettings, expect, throwIssues } from "./internal/validate.js";

export type { Logger, LogLevel };

/** Options of {@link createHelpCrunchClient}. */
export interface HelpCrunchClientOptions {
  /** Your HelpCrunch API key. Defaults to the `HELPCRUNCH_API_KEY` environment variable. */
  apiKey?: string | undefined;
  /** Root URL of the API. Default `https://api.helpcrunch.com/v1`; plain `http` only for loopback hosts. */
  baseUrl?: string | undefined;
  /** The `fetch` to send requests with. Default: the global `fetch`, looked up at each call. */
  fetch?: typeof fetch | undefined;
  /** How many times a failed attempt may be repeated, when repeating is safe. Default 2. */
  maxRetries?: number | undefined;
  /** How long one attempt may take, answer body included, in milliseconds. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Client-side rate limit shared by all calls of this client (default 120 a minute), or `false` for none. */
  rateLimit?: { requestsPerMinute: number } | false | undefined;
  /** Where log messages go (a console-like object). Default: `console`. */
  logger?: Logger | undefined;
  /** What to log: `off` (default), `error`, `warn`, `info` (retries) or `debug` (every attempt). */
  logLevel?: LogLevel | undefined;
}

/** Per-call options, the second argument of every method. */
export interface CallOptions {
  /** Aborts the call, whatever it is doing (sending, waiting for a retry or for a rate-limit token). */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
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
  /**
   * The underlying openapi-fetch client, typed by the spec's `paths`, for callers who prefer
   * `{ data, error }` results. It shares the base URL, key and `fetch`, but not the
   * validation, retries, rate limit or timeouts of `chats`.
   */
  readonly raw: Client<paths, "application/json">;
}

// Every operationId of the spec has its method on ChatsResource, and nothing else is there.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyOperationHasAMethod: Same<keyof ChatsResource, MethodName<OperationId>> = true;
void everyOperationHasAMethod;

/**
 * An acceptable base URL: https without credentials in the authority, or plain http to a
 * loopback host (localhost, 127.x.x.x, [::1]) followed by a port, a path or nothing.
 */
const BASE_URL =
  /^(https:\/\/[^/@\s]+|http:\/\/(localhost|127(\.\d+){3}|\[::1\])(:\d+)?)(\/\S*)?$/i;

/**
 * Creates a client. Throws a ValidationError when the API key is missing or malformed, the
 * base URL is not https (plain http only for loopback), or an option is out of range.
 *
 * ```ts
 * const hc = createHelpCrunchClient({ apiKey });
 * const chat = await hc.chats.updateStatus({ id: 542335, status: "on hold" });
 * ```
 */
export function createHelpCrunchClient(options: HelpCrunchClientOptions = {}): HelpCrunchClient {
  const {
    apiKey = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
      .HELPCRUNCH_API_KEY,
    baseUrl = "https://api.helpcrunch.com/v1",
    fetch: userFetch,
    timeoutMs = 30_000,
    maxRetries = 2,
    rateLimit = { requestsPerMinute: 120 },
    logLevel = "off",
  } = options;
  const issues: ValidationIssue[] = [];
  expect(
    issues,
    /^[\x21-\x7e]+$/.test(apiKey ?? ""),
    "apiKey",
    "must be set (or HELPCRUNCH_API_KEY), without whitespace or line breaks",
  );
  expect(
    issues,
    BASE_URL.test(baseUrl),
    "baseUrl",
    "must be an https URL without credentials (http only for loopback)",
  );
  checkSettings(issues, { timeoutMs, maxRetries });
  expect(
    issues,
    rateLimit === false || rateLimit?.requestsPerMinute > 0,
    "rateLimit",
    "must be false or { requestsPerMinute > 0 }",
  );
  expect(issues, LOG_LEVELS.includes(logLevel), "logLevel", `must be one of ${LOG_LEVELS}`);
  throwIssues("Invalid client options", issues);

  const fetchNow: typeof fetch = (input, init) => (userFetch ?? globalThis.fetch)(input, init);
  const clientOptions = {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: { Authorization: `Bearer ${apiKey}` },
    redirect: "manual" as const,
  };
  // openapi-fetch builds a `new Request(url, init)` for every call and hands it to `fetch`.
  // For the methods, the "request" is the init itself with its url: no Request or body
  // stream is built, and fetch(url, init) does the only real work. (`raw` keeps real
  // Requests, so its users' middleware sees what it expects.)
  const send = createTransport(
    createClient<paths>({
      ...clientOptions,
      Request: InitAsRequest as unknown as typeof Request,
      fetch: (request: Request) => fetchNow(request.url, request as RequestInit),
    }) as unknown as Sender,
    { timeoutMs, maxRetries },
    rateLimit ? createRateLimiter(rateLimit.requestsPerMinute) : undefined,
    createLog(options.logger, logLevel),
  );
  const chats = {} as Record<
    MethodKey,
    (body: unknown, callOptions?: CallOptions) => Promise<Chat>
  >;
  for (const op in OPERATIONS) {
    chats[op as MethodKey] = (body, callOptions) => send(op as MethodKey, body, callOptions);
  }
  return {
    chats: chats as ChatsResource,
    raw: createClient<paths, "application/json">({
      ...clientOptions,
      fetch: (request) => fetchNow(request),
    }),
  };
}

/** Stands in for `Request` in openapi-fetch: returns the init it is given, with the url on it. */
function InitAsRequest(url: string, init: RequestInit & { url?: string }) {
  init.url = url;
  return init;
}
