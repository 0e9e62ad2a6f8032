// The request core every method goes through: snapshot and validate the input, serialise it
// once, take a rate-limit slot, send one attempt under its own timeout, read the answer with a
// cap, turn it into data or a typed error, and decide whether and when to try again.
import type { ErrorDetail } from "@helpcrunch-chats/types";
import { createFinalURL } from "openapi-fetch";
import type { WithResponse } from "../call-options.js";
import {
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
  type ValidationIssue,
} from "../errors.js";
import type { OperationDescriptor } from "../generated/operations.js";
import { parseJson } from "./json.js";
import type { Log } from "./log.js";
import { type ClientSettings, parseCallOptions, throwIssues } from "./options.js";
import type { RateLimiter } from "./rate-limiter.js";
import { readBody, TooLarge } from "./read-body.js";
import {
  backoffMs,
  type FailureKind,
  MAX_RETRY_AFTER_MS,
  RETRYABLE,
  retryAfterMs,
} from "./retry.js";
import { type Json, snapshot } from "./snapshot.js";
import { excerpt, excerptOf } from "./text.js";
import { abortError, sleep } from "./wait.js";

const STATUS_ERRORS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

/** Failures of the connection itself before any byte was sent: the API cannot have acted. */
const UNOPENED =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/;
/** Failures of the socket while an answer streamed in: the network, not the answer. */
const SOCKET = /^(UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT)$/;

/**
 * Returns `send(name, operation, input, options)`, resolving to the answer's JSON data or
 * rejecting with a HelpCrunchError. Nothing is sent when the input or the options are
 * invalid. URLs are assembled by openapi-fetch's createFinalURL.
 */
export function createTransport(
  settings: ClientSettings,
  fetchNow: (url: string, init: RequestInit) => Promise<Response>,
  limiter: RateLimiter | undefined,
  log: Log,
) {
  const { maxResponseBytes, baseUrl } = settings;
  const maxWaitMs = settings.rateLimit ? settings.rateLimit.maxWaitMs : 0;
  const auth = `Bearer ${settings.apiKey}`;
  /** For messages: the host (and port) requests go to, never a path or query. */
  const host = new URL(baseUrl).host;
  /** The headers of a call: the client's defaults, the call's own, then the key and JSON type. */
  const headersOf = (extra: Record<string, string> | undefined, json: boolean) => {
    const merged: Record<string, string> = {};
    for (const source of [settings.defaultHeaders, extra]) {
      for (const name in source) {
        merged[name.toLowerCase()] = source[name] as string;
      }
    }
    merged.authorization = auth;
    if (json) {
      merged["content-type"] = "application/json";
    }
    return merged;
  };
  // The usual case, a call without headers of its own, reuses these: no merge per call.
  const authHeaders = headersOf(undefined, false);
  const jsonHeaders = headersOf(undefined, true);

  return async function send(
    name: string,
    op: OperationDescriptor,
    input: unknown,
    options: unknown,
  ): Promise<WithResponse<unknown>> {
    const label = `${name} (${op.method} ${op.path})`;
    const issues: ValidationIssue[] = [];
    const { signal, timeoutMs, maxRetries, headers } = parseCallOptions(options, settings, issues);
    const before = issues.length;
    const data = snapshot(input === undefined ? {} : input, issues);
    if (issues.length === before) {
      if (typeof data === "object" && data && !Array.isArray(data)) {
        op.validate(data, issues);
      } else {
        issues.push({ field: "input", message: "must be an object" });
      }
    }
    throwIssues(`Invalid ${name} call`, issues);

    // Split by where each parameter goes, and serialise the body once for every attempt.
    const fields = data as Record<string, Json>;
    let params = {};
    let body: Record<string, Json> | undefined = fields;
    if (op.pathParams.length || op.queryParams.length) {
      const path: Record<string, Json> = {};
      const query: Record<string, Json> = {};
      body = {};
      for (const key of Object.keys(fields)) {
        const target = op.pathParams.includes(key)
          ? path
          : op.queryParams.includes(key)
            ? query
            : body;
        target[key] = fields[key] as Json;
      }
      params = { path, query };
    }
    const url = createFinalURL(op.path, { baseUrl, params, querySerializer, pathSerializer });
    const text = op.bodyParams ? JSON.stringify(body) : undefined;
    const init: RequestInit = {
      method: op.method,
      headers: headers
        ? headersOf(headers, text !== undefined)
        : text === undefined
          ? authHeaders
          : jsonHeaders,
      body: text,
      redirect: "manual",
    };
    const retryable = RETRYABLE[op.repeatable ? "repeatable" : "guarded"];

    for (let attempts = 1; ; attempts++) {
      if (signal?.aborted) {
        throw abortError(signal, label);
      }
      if (limiter) {
        const [wait, release] = await limiter.reserve(maxWaitMs);
        if (wait < 0) {
          const error = new RateLimitWaitError(
            `${label}: the rate limit would make this call wait ${Math.ceil(-wait)} ms, over rateLimit.maxWaitMs (${maxWaitMs} ms); nothing was sent`,
            { waitMs: -wait },
          );
          log("warn", error.message);
          throw error;
        }
        try {
          if (signal?.aborted) {
            throw abortError(signal, label);
          }
          if (wait > 0) {
            log("info", `${label}: waiting ${Math.ceil(wait)} ms for the rate limit`);
            await sleep(wait, signal, label);
          }
        } catch (error) {
          release(); // the slot goes to the next call
          throw error;
        }
      }
      log("debug", `${label}: attempt ${attempts}`);

      // One attempt, under its own timeout; the caller's signal aborts it too.
      const controller = new AbortController();
      const abort = () => controller.abort();
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener("abort", abort);
      init.signal = controller.signal;
      let failure: HelpCrunchError;
      // How it failed, for the retry policy: the status ("429"), `timeout`, `net` (the request
      // may have reached the server), `unopened` (the connection never opened) or `final`.
      let kind: FailureKind = "final";
      // What has happened so far: nothing arrived, then the answer's head, then its body.
      let response: Response | undefined;
      let answerText: string | undefined;
      try {
        const fetched = await fetchNow(url, init);
        if (typeof fetched?.status !== "number" || !(fetched.headers instanceof Headers)) {
          throw new HelpCrunchError("fetch did not resolve to a Response");
        }
        response = fetched;
        const { status, headers } = response;
        answerText = await readBody(response, maxResponseBytes);
        const answer = parseJson(answerText) as { id?: unknown; data?: unknown } | undefined;
        if (response.ok) {
          if (
            op.paginated
              ? Array.isArray(answer?.data) &&
                answer.data.every((item) => item && typeof item === "object")
              : Number.isInteger(answer?.id)
          ) {
            return { data: answer, response };
          }
          failure = new InvalidResponseError(
            `${status} is not ${op.paginated ? "a page of chats" : "a chat"}: ${describe(answerText)}`,
            { status, headers },
          );
        } else {
          kind = `${status}`;
          const errors = envelopeErrors(answer);
          failure = statusError(
            status,
            headers,
            errors,
            errors.length
              ? excerpt(
                  errors
                    .slice(0, 5)
                    .map((e) => `${excerptOf(e.code, 60)}: ${excerptOf(e.message)}`)
                    .join("; ") + (errors.length > 5 ? `; and ${errors.length - 5} more` : ""),
                  600,
                )
              : status < 400
                ? `redirect ${excerptOf(headers.get("location"))} not followed`
                : status === 404
                  ? `${describe(answerText)} (not the API's error envelope: is baseUrl right? It should end in /v1, as https://api.helpcrunch.com/v1 does; requested ${excerpt(url, 120)})`
                  : describe(answerText),
          );
        }
      } catch (cause) {
        const system = ((cause as { cause?: unknown })?.cause ?? cause) as
          | { code?: unknown; syscall?: unknown; message?: unknown }
          | undefined;
        const code = typeof system?.code === "string" ? system.code : "";
        if (signal?.aborted) {
          failure = abortError(signal);
        } else if (controller.signal.aborted) {
          kind = "timeout";
          failure = new TimeoutError(`timed out after ${timeoutMs} ms`);
        } else if (cause instanceof HelpCrunchError) {
          failure = cause;
        } else if (!response && !code && (cause as Error)?.name !== "TypeError") {
          // fetch rejects a network failure with a TypeError (or, in node-fetch, an error with
          // a system code); anything else is a bug of a custom fetch: said so, never retried.
          failure = new HelpCrunchError(`fetch threw ${excerpt(String(cause))}`, { cause });
        } else if (!response) {
          // The fetch itself failed: the network, before any answer.
          kind =
            UNOPENED.test(code) ||
            system?.syscall === "connect" ||
            system?.syscall === "getaddrinfo"
              ? "unopened"
              : "net";
          const what = excerpt(code || excerptOf(system?.message) || "error", 60);
          failure = new ConnectionError(`network failure ${what} reaching ${host}`, { cause });
        } else if (answerText !== undefined) {
          // Not the network: a bug or a hostile answer tripping the handling. Never retried.
          failure = new HelpCrunchError(`could not handle the answer: ${excerpt(String(cause))}`, {
            cause,
          });
        } else {
          const { status, headers } = response;
          if (cause instanceof TooLarge) {
            failure = new ResponseTooLargeError(
              `the ${status} answer's body is larger than maxResponseBytes (${maxResponseBytes} bytes); reading stopped`,
              { status, headers, maxResponseBytes },
            );
          } else if (SOCKET.test(code)) {
            kind = "net";
            failure = new ConnectionError(
              `network failure ${code} while reading the ${status} answer from ${host}`,
              { cause },
            );
          } else {
            // The answer arrived but cannot be decoded (a corrupt gzip...): it keeps its status.
            failure = response.ok
              ? new InvalidResponseError(`the ${status} answer's body could not be decoded`, {
                  status,
                  headers,
                  cause,
                })
              : statusError(status, headers, [], "its body could not be decoded", cause);
          }
        }
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      }

      failure.message = `${label}${failure.message.startsWith("failed") ? " " : ": "}${failure.message}`;
      Object.assign(failure, { attempts });
      const asked = (failure as Partial<APIError>).retryAfterMs;
      const delay = Math.round(asked ?? backoffMs(attempts - 1));
      if (kind === "429") {
        // The server has the last word: every client sharing the limit pauses (60 s at most).
        limiter?.pause(Math.min(delay, MAX_RETRY_AFTER_MS));
      }
      if (attempts > maxRetries || !retryable.test(kind)) {
        log("error", failure.message);
        throw failure;
      }
      if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) {
        log("warn", `${failure.message}; not retried, Retry-After ${asked} ms`);
        throw failure;
      }
      log("info", `${failure.message}; retry ${attempts}/${maxRetries} in ${delay} ms`);
      await sleep(delay, signal, label);
    }
  };
}

// The spec's path and query parameters are scalars (the generator refuses any other schema),
// validated before they get here: each serialises as openapi-fetch's default style would
// serialise a scalar (`{id}` → `42`, `limit=10`), without its array and object styles.
const encode = (value: unknown) => encodeURIComponent(String(value));
const pathSerializer = (url: string, path: Record<string, unknown>) =>
  url.replace(/\{(\w+)\}/g, (_, name: string) => encode(path[name]));
const querySerializer = (query: Record<string, unknown>) =>
  Object.keys(query)
    .map((name) => `${name}=${encode(query[name])}`)
    .join("&");

/** The APIError subclass of a status, with the envelope's entries and the server's wait. */
function statusError(
  status: number,
  headers: Headers,
  errors: ErrorDetail[],
  detail: string,
  cause?: unknown,
): APIError {
  const ErrorClass = STATUS_ERRORS[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(`failed with ${status}: ${detail}`, {
    status,
    errors,
    headers,
    retryAfterMs: retryAfterMs(headers),
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The entries of an error envelope as the server sent them (objects only), or none when the body is not one. */
const envelopeErrors = (body: unknown): ErrorDetail[] => {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.filter((e) => e && typeof e === "object") : [];
};

/** A short, single-line account of an unexpected body. */
const describe = (text: string): string => (text ? excerpt(text) : "empty body");
