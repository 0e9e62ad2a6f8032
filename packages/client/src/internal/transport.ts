// The request core every method goes through: validate, take a rate-limit token, send one
// attempt with its own timeout, turn the answer into a Chat or a typed error, and decide
// whether and when to try again.
import type { Chat, ErrorDetail } from "@helpcrunch-chats/types";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  HelpCrunchError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
} from "../errors.js";
import type { Log } from "./log.js";
import { type MethodKey, OPERATIONS } from "./operations.js";
import type { RateLimiter } from "./rate-limiter.js";
import { backoffMs, MAX_RETRY_AFTER_MS, RETRYABLE, retryAfterMs } from "./retry.js";
import { type CallSettings, checkBody, checkSettings, throwIssues } from "./validate.js";
import { abortError, sleep } from "./wait.js";

/** The openapi-fetch client the methods send through, its paths left open. */
export type Sender = Record<
  "POST" | "PUT",
  (
    path: string,
    init: { body: unknown; signal: AbortSignal },
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>
>;

const STATUS_ERRORS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

/**
 * Returns `send(op, body, callOptions)`: resolves to the chat, or rejects with a
 * HelpCrunchError. Nothing is sent when the body or the options are invalid.
 */
export function createTransport(
  client: Sender,
  defaults: { timeoutMs: number; maxRetries: number },
  limiter: RateLimiter | undefined,
  log: Log,
) {
  return async function send(
    op: MethodKey,
    body: unknown,
    {
      signal,
      timeoutMs = defaults.timeoutMs,
      maxRetries = defaults.maxRetries,
    }: CallSettings = defaults,
  ): Promise<Chat> {
    const [method, path, fields] = OPERATIONS[op];
    const label = `${op} (${method} ${path})`;
    const issues = checkBody(fields, body);
    checkSettings(issues, { timeoutMs, maxRetries });
    throwIssues(`Invalid ${op} call`, issues);

    for (let attempts = 1; ; attempts++) {
      if (signal?.aborted) {
        throw abortError(signal);
      }
      const token = limiter?.(signal);
      if (token) {
        log("debug", `${label}: waiting for the rate limit`);
        await token;
      }
      log("debug", `${label}: attempt ${attempts}`);

      // One attempt, under its own timeout; the caller's signal aborts it too.
      const controller = new AbortController();
      const abort = () => controller.abort();
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener("abort", abort);
      let failure: HelpCrunchError;
      let kind = ""; // the failure in one word, for RETRYABLE
      try {
        const { data, error, response } = await client[method](path, {
          body,
          signal: controller.signal,
        });
        const { status, headers } = response;
        kind = `${status}`;
        if (response.ok) {
          if (isChat(data)) {
            return data;
          }
          failure = new HelpCrunchError(`${label}: ${status} is not a chat: ${describe(data)}`);
        } else {
          const errors = envelopeErrors(error);
          const ErrorClass =
            STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : APIError);
          failure = new ErrorClass(
            `${label} failed with ${status}: ${
              errors.length
                ? errors.map((e) => `${e.code}: ${e.message}`).join("; ")
                : status < 400
                  ? `redirect ${headers.get("location") ?? ""} not followed`
                  : describe(error)
            }`,
            { status, errors, headers, retryAfterMs: retryAfterMs(headers) },
          );
        }
      } catch (cause) {
        // undici puts the system error code (ECONNREFUSED, ...) on the TypeError's cause.
        const code = (cause as { cause?: { code?: string } })?.cause?.code;
        if (signal?.aborted) {
          failure = abortError(signal);
        } else if (controller.signal.aborted) {
          kind = "timeout";
          failure = new TimeoutError(`${label}: timed out after ${timeoutMs} ms`);
        } else if (cause instanceof SyntaxError) {
          failure = new HelpCrunchError(`${label}: invalid JSON`, { cause });
        } else {
          kind = `net ${code}`;
          failure = new ConnectionError(`${label}: network failure ${code}`, { cause });
        }
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      }

      Object.assign(failure, { attempts });
      const asked = (failure as Partial<APIError>).retryAfterMs;
      if (attempts > maxRetries || !RETRYABLE[method].test(kind)) {
        log("error", failure.message);
        throw failure;
      }
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
        log("warn", `${failure.message}; not retried, Retry-After ${asked} ms`);
        throw failure;
      }
      const delay = Math.round(asked ?? backoffMs(attempts - 1));
      log("info", `${failure.message}; retry ${attempts}/${maxRetries} in ${delay} ms`);
      await sleep(delay, signal);
    }
  };
}

/** A chat is an object with an integer id (the rest of its shape is liberal by design). */
const isChat = (data: unknown): data is Chat => Number.isInteger((data as Chat | undefined)?.id);

/** The entries of an error envelope as the server sent them (objects only), or none when the body is not one. */
const envelopeErrors = (body: unknown): ErrorDetail[] => {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.filter((e) => e && typeof e === "object") : [];
};

/** A short, readable account of an unexpected body: HTML tags dropped, length capped. */
const describe = (body: unknown): string =>
  body === undefined || body === ""
    ? "empty body"
    : (typeof body === "string" ? body.replace(/<[^>]*>/g, " ") : JSON.stringify(body))
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 160);
