// When a failed attempt may be repeated, and how long to wait first.

/**
 * What may be retried, by method. Each failed attempt is described by one word: its HTTP
 * status, `timeout`, or `net <code>` for a network failure (ECONNREFUSED, ECONNRESET, ...).
 * The PUT operations are idempotent: they retry on 408, 429, 5xx gateway failures, timeouts
 * and any network failure. A create (POST) retries only where the API certainly did nothing:
 * 429, and connections that never opened. 400, 401, 403, 404 and 409 never retry.
 */
export const RETRYABLE = {
  PUT: /^(408|429|500|502|503|504|timeout|net .*)$/,
  POST: /^(429|net (ECONNREFUSED|ENOTFOUND|EAI_AGAIN))$/,
};

/** A server-requested wait above this is not slept: the call fails at once instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * How long the server asked to wait: `retry-after-ms` (milliseconds), or `Retry-After`
 * as delta-seconds or an HTTP date. Undefined when it said nothing usable.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  // A missing header reads as "null", which parses as NaN and fails both checks.
  const ms = Number.parseFloat(`${headers.get("retry-after-ms")}`);
  if (ms >= 0) {
    return ms;
  }
  const value = `${headers.get("retry-after")}`.trim();
  const at = /^\d+$/.test(value) ? Date.now() + 1000 * +value : Date.parse(value);
  return at >= 0 ? Math.max(0, at - Date.now()) : undefined;
}

/** Full-jitter backoff before retry number `retry` (0 first): uniform in [0, min(8 s, 0.5 s × 2^retry)]. */
export const backoffMs = (retry: number): number =>
  Math.random() * Math.min(8000, 500 * 2 ** retry);
