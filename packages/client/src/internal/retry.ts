// When a failed attempt may be repeated, and how long to wait first.

/**
 * How a failed attempt ended, in one word: its HTTP status (`"429"`), `timeout`, `net` (the
 * network failed after the request may have reached the server) or `unopened` (the
 * connection never opened: refused, DNS, connect timeout), or `final` (nothing to retry:
 * an answer that could not be read or decoded, a bug).
 */
export type FailureKind = string;

/**
 * What may be retried. Repeatable operations (GET, PUT, and reads sent as POST) retry on 408,
 * 429, the 5xx gateway failures, timeouts and any network failure. Others (a create) retry
 * only where the API certainly did nothing: 429, and connections that never opened. 400, 401,
 * 403, 404 and 409 never retry, nor does an answer that arrived but could not be read.
 */
export const RETRYABLE = {
  repeatable: /^(408|429|500|502|503|504|timeout|net|unopened)$/,
  guarded: /^(429|unopened)$/,
};

/** A server-requested wait above this is not slept: the call fails at once instead. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The shape of RFC 9110's HTTP-date: IMF-fixdate (`Tue, 01 Dec 2026 00:00:00 GMT`), or the
 * obsolete RFC 850 (`Tuesday, 01-Dec-26 00:00:00 GMT`) and asctime (`Tue Dec  1 00:00:00
 * 2026`) forms. Date.parse reads the names; the day of the month is checked after it.
 */
const HTTP_DATE = /^[A-Z][a-z]{2,8},? [\w -]{6,11} \d\d:\d\d:\d\d (GMT|\d{4})$/;

/**
 * How long the server asked to wait, read as RFC 9110 allows `Retry-After`: a non-negative
 * integer of seconds, or an HTTP-date. Anything else (a fraction, a sign, words, a date in
 * another format) is no answer: undefined, and the caller falls back to its backoff.
 */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value || value.length > 40) {
    return undefined;
  }
  if (/^\d+$/.test(value)) {
    return 1000 * Number(value);
  }
  // asctime carries no zone; RFC 9110 says it is GMT too.
  const at = HTTP_DATE.test(value)
    ? Date.parse(value.endsWith("GMT") ? value : `${value} GMT`)
    : Number.NaN;
  // A date that does not exist (31 Feb) would be read as one in the next month: no answer.
  return at >= 0 && new Date(at).getUTCDate() === Number(/\d+/.exec(value)?.[0])
    ? Math.max(0, at - Date.now())
    : undefined;
}

/** Full-jitter backoff before retry number `retry` (0 first): uniform in [0, min(8 s, 0.5 s × 2^retry)]. */
export const backoffMs = (retry: number): number =>
  Math.random() * Math.min(8000, 500 * 2 ** retry);
