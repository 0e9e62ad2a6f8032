// The store a client's rate limit keeps its bookkeeping in. The default is in-process (one per
// client); a shared store (such as @helpcrunch-chats/rate-limit-redis) makes every client that
// uses it, in any process on any machine, share one limit.

/** A store's answer to {@link RateLimitStore.reserve}. */
export interface RateLimitReservation {
  /** How long the caller must wait before it starts its request, in ms (0: start now). */
  waitMs: number;
  /**
   * The slot taken, for {@link RateLimitStore.release}; absent when nothing was taken because
   * `waitMs` would pass the caller's `maxWaitMs`.
   */
  slot?: number | undefined;
}

/**
 * Where a rate limit keeps the start times of requests: a sliding log per key. Each method
 * may answer at once or with a promise. Every decision is taken atomically by the store, on
 * its own clock, so any number of clients sharing one store share one limit. Keys are ids
 * the client derives from a SHA-256 hash of the API key, never the key itself.
 */
export interface RateLimitStore {
  /**
   * Takes the next start slot for `key`: the earliest time, not before now, not before the
   * last slot taken (so callers go in the order they asked), not during a pause, at which no
   * window of `intervalMs` holds more than `limit` slots. Takes nothing when the wait for it
   * would pass `maxWaitMs` (`Infinity`: no bound).
   */
  reserve(
    key: string,
    limit: number,
    intervalMs: number,
    maxWaitMs: number,
  ): RateLimitReservation | Promise<RateLimitReservation>;
  /** Gives back a slot that was reserved but will not be used (the caller aborted its wait). */
  release(key: string, slot: number): unknown;
  /** Pauses `key` for `ms` from now: no slot starts before then (the server answered 429). */
  pause(key: string, ms: number): unknown;
}

/**
 * An in-process {@link RateLimitStore}: what every client uses by default. Pass one to the
 * `rateLimit.store` of several clients in one process to make them share one limit.
 */
export function createMemoryRateLimitStore(): RateLimitStore {
  const logs = new Map<string, { starts: number[]; paused: number }>();
  const logOf = (key: string) => {
    let log = logs.get(key);
    if (!log) {
      log = { starts: [], paused: 0 };
      logs.set(key, log);
    }
    return log;
  };
  return {
    reserve(key, limit, intervalMs, maxWaitMs) {
      const now = Date.now();
      const log = logOf(key);
      const { starts } = log;
      // Forget the starts whose window has ended: no slot from now on shares one with them.
      while ((starts[0] as number) <= now - intervalMs) {
        starts.shift();
      }
      const slot = Math.max(
        now,
        log.paused,
        starts.at(-1) ?? now,
        starts.length < limit ? now : (starts.at(-limit) as number) + intervalMs,
      );
      if (slot - now > maxWaitMs) {
        return { waitMs: slot - now };
      }
      starts.push(slot);
      return { waitMs: slot - now, slot };
    },
    release(key, slot) {
      const { starts } = logOf(key);
      const at = starts.lastIndexOf(slot);
      if (at >= 0) {
        starts.splice(at, 1);
      }
    },
    pause(key, ms) {
      const log = logOf(key);
      log.paused = Math.max(log.paused, Date.now() + ms);
    },
  };
}
