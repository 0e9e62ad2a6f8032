import { sleep } from "./wait.js";

/** Waits for the caller's turn under the rate limit; undefined when it may go at once. */
export type RateLimiter = (signal: AbortSignal | undefined) => Promise<void> | undefined;

/**
 * A rate limit shared by all calls of one client, as a token bucket of `perMinute` tokens
 * refilled evenly (one every 60 000 / perMinute ms), kept as one number: the time `due` by
 * which every token handed out so far has been paid back (the generic cell rate
 * algorithm). A call may go as soon as `due` is less than a minute ahead, and moves `due`
 * on by one interval; so calls beyond the burst wait, in arrival order, instead of
 * failing. A waiting call aborted by its signal rejects at once and gives its turn back.
 */
export function createRateLimiter(perMinute: number): RateLimiter {
  const interval = 60_000 / perMinute;
  let due = 0;
  return (signal) => {
    const now = Date.now();
    due = Math.max(due, now) + interval;
    const wait = due - 60_000 - now;
    return wait > 0
      ? sleep(wait, signal).catch((error) => {
          due -= interval;
          throw error;
        })
      : undefined;
  };
}
