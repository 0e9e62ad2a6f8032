// Several worker processes, half on node-redis and half on ioredis, each with its own client,
// share one limit through one Redis store against a server that answers 429 past the limit.
//
// What is exact: no 429 at all; every call sent once and answered; the slots the store handed
// out across all processes never put more than `limit` in any window of `intervalMs`, and
// span at least what the limit requires.
//
// Why the server can count arrivals exactly and still never see more than it allows, however
// slow the machine: a request arrives after its slot (the client sleeps until it), so the
// requests that arrive within any window of `intervalMs` are those whose slot is in that
// window (at most `limit`, the store's guarantee) and those whose slot came before it but that
// were still in progress when it began (at most the calls in progress at once: IN_PROGRESS per
// worker). The server allows `limit` + that + 2 (millisecond rounding between Redis's clock and
// Date.now). Arrivals lag their slots by hundreds of ms under load (a fixed allowance in time
// failed there); a bound on calls in progress does not depend on the lag. It still catches what
// the server is there for: processes that do not share the limit send 120 a second, and a limit
// with bursts twice its size sends 40 in one window, both past the 34 allowed.
//
// The busiest window of arrivals is printed. How close the total time comes to the ideal
// is a benchmark figure (pnpm --filter @helpcrunch-chats/rate-limit-redis bench), not asserted.
import { afterAll, beforeAll, expect, it } from "vitest";
import { busiestWindow, startCountingServer } from "./support/counting-server.mjs";
import { type RedisServer, startRedisServer } from "./support/redis-server.js";
import { runWorkers } from "./support/workers.js";

const LIMIT = 20;
const INTERVAL_MS = 1000;
const WORKERS = 6;
const CALLS = 20; // per worker: 120 in all, six windows' worth
/** Calls in progress at once per worker: far faster than the limit, so the store paces them. */
const IN_PROGRESS = 2;
/** What the server allows in any window of INTERVAL_MS (see above). */
const SERVER_LIMIT = LIMIT + WORKERS * IN_PROGRESS + 2;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis?.dispose());

it("keeps one limit across processes and both clients: zero 429s", async () => {
  const server = await startCountingServer({ limit: SERVER_LIMIT, windowMs: INTERVAL_MS });
  try {
    const reports = await runWorkers(WORKERS, {
      redisUrl: redis.url,
      baseUrl: server.url,
      apiKey: "hc_test_multi-process-key",
      limit: LIMIT,
      intervalMs: INTERVAL_MS,
      calls: CALLS,
      inProgress: IN_PROGRESS,
    });
    const total = WORKERS * CALLS;
    const statuses = server.received.map((r) => r.status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(0);
    expect(reports.map((r) => r.failed)).toEqual(Array(WORKERS).fill([]));
    expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(total);
    expect(reports.flatMap((r) => r.warnings)).toEqual([]);
    // Every call sent exactly once.
    expect(server.received.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
    expect(new Set(reports.map((r) => r.kind))).toEqual(new Set(["node-redis", "ioredis"]));

    // The store's decisions, on Redis's clock, across every process: exact.
    const slots = reports.flatMap((r) => r.slots);
    expect(slots).toHaveLength(total);
    expect(busiestWindow(slots, INTERVAL_MS)).toBe(LIMIT);
    const ideal = (Math.ceil(total / LIMIT) - 1) * INTERVAL_MS;
    expect(Math.max(...slots) - Math.min(...slots)).toBeGreaterThanOrEqual(ideal);

    const arrivals = server.received.map((r) => r.at);
    const took = Math.max(...arrivals) - Math.min(...arrivals);
    console.log(
      `${WORKERS} processes, ${total} calls, limit ${LIMIT} per ${INTERVAL_MS} ms: 0 × 429; ` +
        `${took} ms first to last arrival (ideal ${ideal} ms, ${((100 * took) / ideal).toFixed(1)}%); ` +
        `busiest ${INTERVAL_MS} ms window of arrivals: ${busiestWindow(arrivals, INTERVAL_MS)} ` +
        `(${LIMIT} slots + at most ${WORKERS * IN_PROGRESS} in progress)`,
    );
  } finally {
    await server.close();
  }
});
