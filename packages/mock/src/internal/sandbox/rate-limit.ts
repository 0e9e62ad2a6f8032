// The API's rate limit, per key, as a sliding window: a key may make `limit` requests in any
// `intervalMs`; past that it is refused until its oldest request in the window ages out.

export interface RateLimit {
  /** Requests a key may make per interval. */
  limit: number;
  /** The interval, in milliseconds. */
  intervalMs: number;
}

export class SlidingWindow {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly rule: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request of `key`: undefined if admitted, else the whole seconds until a slot frees. */
  take(key: string): number | undefined {
    const nowMs = this.now();
    const recent = (this.seen.get(key) ?? []).filter((at) => at > nowMs - this.rule.intervalMs);
    if (recent.length >= this.rule.limit) {
      this.seen.set(key, recent);
      const oldest = recent[recent.length - this.rule.limit] ?? nowMs;
      return Math.max(1, Math.ceil((oldest + this.rule.intervalMs - nowMs) / 1000));
    }
    recent.push(nowMs);
    this.seen.set(key, recent);
    return undefined;
  }

  reset(): void {
    this.seen.clear();
  }
}
