/** A client's rate limit: hands out slots, each at a time no sooner than the limit allows. */
export interface RateLimiter {
  /**
   * Reserves the next slot and returns how long to wait for it (0: go now); or, when that
   * wait would pass `maxWaitMs`, reserves nothing and returns the wait as a negative number.
   */
  reserve(maxWaitMs: number): number;
  /** Gives back the last slot reserved, for a call that gave up waiting (aborted). */
  release(): void;
}

/**
 * A rate limit shared by all calls of one client, as a token bucket of `perMinute` tokens
 * refilled evenly (one every 60 000 / perMinute ms), kept as one number: the time `due` by
 * which every token handed out so far has been paid back (the generic cell rate
 * algorithm). A call may go as soon as `due` is less than a minute ahead, and moves `due`
 * on by one interval; so calls beyond the burst wait, in arrival order, instead of
 * failing.
 */
export function createRateLimiter(perMinute: number): RateLimiter {
  const interval = 60_000 / perMinute;
  let due = 0;
  return {
    reserve(maxWaitMs) {
      const now = Date.now();
      const next = Math.max(due, now) + interval;
      const wait = Math.max(0, next - 60_000 - now);
      if (wait > maxWaitMs) {
        return -wait;
      }
      due = next;
      return wait;
    },
    release() {
      due -= interval;
    },
  };
}
