// When a failed attempt may be repeated, and how long to wait first.
import { APIError, ConnectionError, type HelpCrunchError, TimeoutError } from "../errors.js";

/** Network failures that happen before a request leaves: safe to repeat even a create. */
const NEVER_SENT = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/;

/** A server-requested wait above this is not slept: the call fails at once instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** The error code of a failed fetch, from its cause chain (undici puts it on `cause`). */
export const networkCode = (error: unknown): string =>
  `${(error as { cause?: { code?: unknown } })?.cause?.code ?? ""}`;

/**
 * May a failed attempt be repeated without risk of doing the work twice? Idempotent (PUT)
 * requests retry on 408, 429, 500, 502, 503, 504, network failures and timeouts. A create
 * (POST) retries only on 429, where the API refused it, and on connections that never
 * opened. 400, 401, 403, 404 and 409 never retry.
 */
export function shouldRetry(error: HelpCrunchError, idempotent: boolean): boolean {
  if (error instanceof APIError) {
    return error.status === 429 || (idempotent && /^(408|50[0234])$/.test(`${error.status}`));
  }
  return (
    (idempotent && (error instanceof ConnectionError || error instanceof TimeoutError)) ||
    (error instanceof ConnectionError && NEVER_SENT.test(networkCode(error.cause)))
  );
}

/**
 * How long the server asked to wait: `retry-after-ms` (milliseconds), or `Retry-After`
 * as delta-seconds or an HTTP date. Undefined when it said nothing usable.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (ms >= 0) {
    return ms;
  }
  const value = headers.get("retry-after")?.trim() ?? "";
  const at = /^\d+$/.test(value) ? Date.now() + 1000 * +value : Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Full-jitter backoff before retry number `retry` (0 first): uniform in [0, min(8 s, 0.5 s × 2^retry)]. */
export const backoffMs = (retry: number): number =>
  Math.random() * Math.min(8000, 500 * 2 ** retry);
