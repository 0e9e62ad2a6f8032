// The client-side rate limit: never more than `limit` requests started in any window of
// `intervalMs`, counted where it matters, at the server (each request's arrival time on the
// fake clock). Calls past the limit wait for a slot instead of failing, in arrival order, and
// can be aborted. A store shared by several clients makes them share one limit; a 429 pauses
// them all; a store that fails leaves the calls to the client's own limit.
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AbortError,
  createMemoryRateLimitStore,
  type RateLimitStore,
  RateLimitWaitError,
} from "../../src/index.js";
import { sleep } from "../../src/internal/wait.js";
import { CHAT, requestsSeen, useFaultServer } from "../support/fault-server.js";
import { expectNoLeak, makeClient, PLANTED_KEY, rejectionOf } from "../support/harness.js";

const server = useFaultServer();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const call = (hc: ReturnType<typeof makeClient>["hc"], id: number, signal?: AbortSignal) =>
  hc.chats.updateStatus({ id, status: "opened" }, { signal });

/** The most requests the server saw start within any window of `intervalMs`. */
const busiestWindow = (intervalMs: number, times = server.received.map((r) => r.at)) => {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] as number) - (sorted[i] as number) >= intervalMs) {
      i++;
    }
    most = Math.max(most, j - i + 1);
  }
  return most;
};

/**
 * A client whose fetch counts the requests it starts, and a driver for the fake clock that
 * fires one timer at a time and lets every started request reach the server before the clock
 * moves again: so each arrival time the server records is the time the request started.
 */
const drivenClient = (options: Parameters<typeof makeClient>[1]) => {
  let started = 0;
  const harness = makeClient(server.url, {
    timeoutMs: 2 ** 31 - 1, // no attempt timer in the way of the clock
    fetch: (url, init) => {
      started++;
      return fetch(url, init);
    },
    ...options,
  });
  const settle = async () => {
    const deadline = performance.now() + 5000;
    do {
      await new Promise((resolve) => setImmediate(resolve));
    } while (server.received.length < started && performance.now() < deadline);
  };
  /** Fires timers, one at a time, until the server has seen `count` requests. */
  const drive = async (count: number) => {
    await settle();
    while (server.received.length < count && vi.getTimerCount() > 0) {
      await vi.advanceTimersToNextTimerAsync();
      await settle();
    }
    await requestsSeen(server, count);
  };
  return { ...harness, drive };
};

describe("the rate limit", () => {
  it("defaults to 120 a minute: a burst of 125 sends 120 at once, the rest when the first window ends", async () => {
    const { hc, logs } = makeClient(server.url, { rateLimit: undefined });
    const start = Date.now();
    const calls = Array.from({ length: 125 }, (_, i) => call(hc, i + 1));
    await requestsSeen(server, 120);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(server.received).toHaveLength(120);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 125);
    await expect(Promise.all(calls)).resolves.toHaveLength(125);
    expect(server.received.map((r) => r.at - start)).toEqual([
      ...Array(120).fill(0),
      ...Array(5).fill(60_000),
    ]);
    // Each wait is logged at info with its length.
    expect(logs.filter((line) => line.includes("for the rate limit"))).toEqual(
      Array(5).fill(
        "info [helpcrunch] updateStatus (PUT /chats/status): waiting 60000 ms for the rate limit",
      ),
    );
    expectNoLeak(logs);
  });

  it("never lets 240 through in a minute, as the old token bucket did: 120 at once, then one every 500 ms", async () => {
    const { hc, drive } = drivenClient({ rateLimit: { requestsPerMinute: 120 } });
    const calls = Array.from({ length: 120 }, (_, i) => call(hc, i + 1));
    for (let i = 1; i <= 240; i++) {
      setTimeout(() => calls.push(call(hc, 1000 + i)), 500 * i);
    }
    await drive(360);
    await Promise.all(calls);
    expect(busiestWindow(60_000)).toBe(120);
    // Long-run throughput still reaches the limit: 360 in two minutes and a bit, no sooner.
    const first = server.received[0]?.at as number;
    expect(server.received.filter((r) => r.at < first + 60_000)).toHaveLength(120);
    expect(server.received.at(-1)?.at).toBe(first + 120_000);
  });

  it("holds in every window, whatever the order and timing of calls (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }),
        async (limit, intervalMs, gaps) => {
          server.received.length = 0;
          const { hc, drive } = drivenClient({ rateLimit: { limit, intervalMs } });
          const calls: Promise<unknown>[] = [];
          const arrivals: number[] = [];
          let at = Date.now();
          for (const [i, gap] of gaps.entries()) {
            at += gap;
            arrivals.push(at);
            setTimeout(() => calls.push(call(hc, i + 1)), at - Date.now());
          }
          await drive(gaps.length);
          await Promise.all(calls);
          expect(busiestWindow(intervalMs)).toBeLessThanOrEqual(limit);
          // In arrival order, and no call waits longer than the limit requires: each starts
          // when it arrives or when the window of the call `limit` places before it ends.
          expect(server.received.map((r) => JSON.parse(r.body).id)).toEqual(
            gaps.map((_, i) => i + 1),
          );
          server.received.forEach((request, i) => {
            const earlier = server.received[i - limit]?.at ?? Number.NEGATIVE_INFINITY;
            const previous = server.received[i - 1]?.at ?? Number.NEGATIVE_INFINITY;
            expect(request.at).toBe(
              Math.max(arrivals[i] as number, earlier + intervalMs, previous),
            );
          });
        },
      ),
      { numRuns: 25, seed: 15 },
    );
  }, 60_000);

  it("serves waiting calls in arrival order", async () => {
    const { hc } = makeClient(server.url, { rateLimit: { limit: 2, intervalMs: 60_000 } });
    const calls = [1, 2, 3, 4, 5].map((id) => call(hc, id));
    await requestsSeen(server, 2);
    await vi.advanceTimersByTimeAsync(60_000);
    await requestsSeen(server, 4);
    await vi.advanceTimersByTimeAsync(60_000);
    await requestsSeen(server, 5);
    await Promise.all(calls);
    expect(server.received.map((r) => JSON.parse(r.body).id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("is shared by all calls of one client, whatever the method, but not across clients", async () => {
    const first = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } }).hc;
    const second = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } }).hc;
    const calls = [
      first.chats.updateAssignee({ id: 1, assignee: 2 }),
      first.chats.markReadByAgent({ id: 1, read: true }),
      second.chats.updateDepartment({ id: 1, department: 3 }),
    ];
    await requestsSeen(server, 2);
    expect(server.received.map((r) => r.url).sort()).toEqual([
      "/chats/assignee",
      "/chats/department",
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    await requestsSeen(server, 3);
    await Promise.all(calls);
  });

  it("is shared by every client given the same store, keyed by a hash of the API key", async () => {
    const store = createMemoryRateLimitStore();
    const keys: string[] = [];
    const spy: RateLimitStore = {
      reserve: (key, ...rest) => {
        keys.push(key);
        return store.reserve(key, ...rest);
      },
      release: store.release,
      pause: store.pause,
    };
    const rateLimit = { limit: 2, intervalMs: 1000, store: spy };
    const first = makeClient(server.url, { rateLimit }).hc;
    const second = makeClient(server.url, { rateLimit }).hc;
    const other = makeClient(server.url, { rateLimit, apiKey: "another-key" }).hc;
    const calls = [
      call(first, 1),
      call(second, 2),
      call(second, 3),
      call(first, 4),
      call(other, 5),
    ];
    // Two of the four calls with the planted key go at once, and the one with another key.
    await requestsSeen(server, 3);
    expect(server.received.map((r) => JSON.parse(r.body).id)).toContain(5);
    await vi.advanceTimersByTimeAsync(1000);
    await requestsSeen(server, 5);
    await Promise.all(calls);
    expect(new Set(keys).size).toBe(2);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain(PLANTED_KEY);
    }
  });

  it("lets a waiting call be aborted at once, without sending it, and gives its turn back", async () => {
    const { hc, logs } = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } });
    const controller = new AbortController();
    const first = call(hc, 1);
    const waiting = call(hc, 2, controller.signal);
    await requestsSeen(server, 1);
    controller.abort();
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(AbortError);
    expectNoLeak(logs, error);
    const next = call(hc, 3);
    await vi.advanceTimersByTimeAsync(60_000);
    await requestsSeen(server, 2);
    await Promise.all([first, next]);
    expect(server.received.map((r) => JSON.parse(r.body).id)).toEqual([1, 3]);
  });

  it("is off with rateLimit: false", async () => {
    const { hc } = makeClient(server.url, { rateLimit: false });
    await Promise.all(Array.from({ length: 200 }, (_, i) => call(hc, i + 1)));
    expect(server.received).toHaveLength(200);
  });

  it("also paces retries: every attempt takes a slot", async () => {
    server.script(
      {
        json: 503,
        body: { errors: [{ code: "x", message: "y" }] },
        headers: { "retry-after": "0" },
      },
      { json: 200, body: CHAT },
    );
    const { hc } = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } });
    const pending = call(hc, 1);
    await requestsSeen(server, 1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 2);
    await expect(pending).resolves.toEqual(CHAT);
  });

  it("pauses every client sharing the store when the server answers 429, for its Retry-After", async () => {
    server.script(
      {
        json: 429,
        body: { errors: [{ code: "too_many", message: "slow down" }] },
        headers: { "retry-after": "3" },
      },
      { json: 200, body: CHAT },
    );
    const rateLimit = { limit: 100, intervalMs: 1000, store: createMemoryRateLimitStore() };
    const first = makeClient(server.url, { rateLimit, maxRetries: 1 }).hc;
    const second = makeClient(server.url, { rateLimit }).hc;
    const retried = call(first, 1);
    await requestsSeen(server, 1);
    await vi.advanceTimersByTimeAsync(0);
    const start = server.received[0]?.at as number;
    const paused = call(second, 2);
    await vi.advanceTimersByTimeAsync(2999);
    expect(server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 3);
    await Promise.all([retried, paused]);
    expect(server.received.map((r) => r.at - start)).toEqual([0, 3000, 3000]);
  });

  it("goes on under its own limit with one warning while the store fails, and back to the store when it answers", async () => {
    const store = createMemoryRateLimitStore();
    let broken = true;
    let reserved = 0;
    const flaky: RateLimitStore = {
      reserve: async (...args) => {
        if (broken) {
          throw new Error("connection refused");
        }
        reserved++;
        return store.reserve(...args);
      },
      release: store.release,
      pause: store.pause,
    };
    const { hc, logs } = makeClient(server.url, {
      rateLimit: { limit: 2, intervalMs: 1000, store: flaky },
    });
    const calls = [1, 2, 3, 4, 5].map((id) => call(hc, id));
    await requestsSeen(server, 2);
    await vi.advanceTimersByTimeAsync(1000);
    await requestsSeen(server, 4);
    await vi.advanceTimersByTimeAsync(1000);
    await requestsSeen(server, 5);
    await Promise.all(calls);
    expect(busiestWindow(1000)).toBe(2);
    const warnings = logs.filter((line) => line.startsWith("warn"));
    expect(warnings).toEqual([
      "warn [helpcrunch] rate-limit store failed (Error: connection refused); own limit until it is back",
    ]);
    broken = false;
    await vi.advanceTimersByTimeAsync(1000);
    // One call tries the store again (the other, meanwhile, goes under the client's own
    // limit); it answers, and from then on every call goes through it.
    await Promise.all([call(hc, 6), call(hc, 7)]);
    expect(reserved).toBe(1);
    const back = Promise.all([call(hc, 8), call(hc, 9)]);
    await vi.advanceTimersByTimeAsync(1000); // the store's log holds 6: 8 goes, 9 waits
    await back;
    expect(reserved).toBe(3);
    expect(logs.filter((line) => line.startsWith("warn"))).toHaveLength(1);
    expect(logs).toContain("info [helpcrunch] rate-limit store back: shared limit again");
    expectNoLeak(logs);
  });

  it("does not wait on a store that does not answer: after 2 s the call goes on under its own limit", async () => {
    let asked: () => void = () => {};
    const reserving = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const { hc, logs } = makeClient(server.url, {
      rateLimit: {
        store: {
          reserve: () => {
            asked();
            return new Promise(() => {});
          },
          release() {},
          pause() {},
        },
      },
    });
    const pending = call(hc, 1);
    await reserving;
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.received).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 1);
    await pending;
    expect(logs.filter((line) => line.startsWith("warn"))).toHaveLength(1);
  });

  it("rejects with AbortError when the signal aborts during the wait, even with retries left", async () => {
    const { hc } = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } });
    await call(hc, 1);
    const error = await rejectionOf(call(hc, 2, AbortSignal.timeout(10)));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.received).toHaveLength(1);
  }, 5000);

  it("rejects at once, sending nothing, a call that would wait past rateLimit.maxWaitMs", async () => {
    const { hc, logs } = makeClient(server.url, {
      rateLimit: { requestsPerMinute: 2, maxWaitMs: 10_000 },
    });
    await Promise.all([call(hc, 1), call(hc, 2)]);
    const error = (await rejectionOf(call(hc, 3))) as RateLimitWaitError;
    expect(error).toBeInstanceOf(RateLimitWaitError);
    expect(error.waitMs).toBe(60_000);
    expect(error.message).toContain("wait 60000 ms");
    expect(error.message).toContain("maxWaitMs (10000 ms)");
    expect(server.received).toHaveLength(2);
    expect(logs.some((line) => line.startsWith("warn") && line.includes("60000 ms"))).toBe(true);
    // Its slot was not taken: the next call within the bound goes when the first slot frees.
    await vi.advanceTimersByTimeAsync(50_000);
    const next = call(hc, 4);
    await vi.advanceTimersByTimeAsync(10_000);
    await requestsSeen(server, 3);
    await next;
    expect(JSON.parse(server.received[2]?.body ?? "{}").id).toBe(4);
  });

  it("sleeps waits longer than the longest timer without firing early", async () => {
    // A timer of 2^31 ms or more fires at once; a wait that long (a queue of 36 000 calls at
    // one a minute) is slept as a chain of timers instead.
    let done = false;
    const wait = sleep(2 ** 31 + 1000, undefined).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await wait;
    expect(done).toBe(true);
  });
});
