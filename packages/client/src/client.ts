import { type ChatsResource, OPERATIONS } from "./generated/operations.js";
import { withResponse } from "./internal/api-promise.js";
import { createLog, type Logger, type LogLevel } from "./internal/log.js";
import { parseClientOptions } from "./internal/options.js";
import { createRateLimiter } from "./internal/rate-limiter.js";
import { createTransport } from "./internal/transport.js";
import { paginate } from "./pagination.js";
import type { RateLimitStore } from "./rate-limit.js";

export type { APIPromise, CallOptions, WithResponse } from "./call-options.js";
export type { ChatsResource, Logger, LogLevel };

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
   * Client-side rate limit, or `false` for none: never more than `limit` requests (default
   * 120, the API's limit per account) started in any window of `intervalMs` (default 60 000);
   * `requestsPerMinute: n` is short for `{ limit: n, intervalMs: 60000 }`. Calls past it wait,
   * in order. `maxWaitMs`: the longest a call may wait for its slot; a call that would wait
   * longer rejects at once with `RateLimitWaitError`, sending nothing. Default: no bound.
   * `store`: where the limit is kept; by default in this client alone. Clients given one
   * shared store (such as `@helpcrunch-chats/rate-limit-redis`) share one limit.
   */
  rateLimit?:
    | {
        limit?: number;
        intervalMs?: number;
        requestsPerMinute?: number;
        maxWaitMs?: number;
        store?: RateLimitStore;
      }
    | false
    | undefined;
  /** Where log messages go: an object with the methods of `logLevel` and above. Default: `console`. */
  logger?: Logger | undefined;
  /**
   * Headers sent with every call (names are case-insensitive), under each call's own
   * `headers`. `Authorization` and `Content-Type` are the client's own and cannot be set.
   */
  defaultHeaders?: Record<string, string> | undefined;
  /** What to log: `off` (default), `error`, `warn`, `info` (retries, rate-limit waits) or `debug` (every attempt). */
  logLevel?: LogLevel | undefined;
}

/** A HelpCrunch Chats API client. */
export interface HelpCrunchClient {
  /** The chat operations, one method per operation of the spec (generated from it). */
  readonly chats: ChatsResource;
}

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
  const log = createLog(settings.logger, settings.logLevel);
  const send = createTransport(
    settings,
    (url, init) => (userFetch ?? globalThis.fetch)(url, init),
    settings.rateLimit ? createRateLimiter(settings.rateLimit, settings.apiKey, log) : undefined,
    log,
  );
  // One method per generated operation: a paginated one returns a page you can also iterate.
  const chats: Record<string, (input: unknown, callOptions?: unknown) => unknown> = {};
  for (const [name, op] of Object.entries(OPERATIONS)) {
    chats[name] = op.paginated
      ? (input, callOptions) =>
          paginate(
            (params) => send(name, op, params, callOptions),
            (input ?? {}) as Record<string, unknown>,
          )
      : (input, callOptions) => withResponse(send(name, op, input, callOptions));
  }
  return { chats: chats as unknown as ChatsResource };
}
