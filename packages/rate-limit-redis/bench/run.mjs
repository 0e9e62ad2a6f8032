// The Redis store's benchmark: N worker processes (half node-redis, half ioredis) sharing one
// limit through one real redis-server against a loopback API server that counts requests per
// window, and the latency the store adds to a call.
//
//   pnpm --filter @helpcrunch-chats/rate-limit-redis bench [-- --workers 6 --calls 30]
//   pnpm bench                                         (root: every package's benchmark)
//
// It prints, for each way the server counts (strictly per intervalMs, and allowing half an
// interval for a request to arrive after its slot, as the multi-process test does): the 429s, the
// time from first to last arrival against the ideal (the fewest windows the calls need), the
// achieved rate against the limit, and the busiest window seen. Then the store's round trip
// per reservation with each client, and the time per call with the Redis store against the
// in-process one. A benchmark, not a test: it fails only when a call fails.
import { parseArgs } from "node:util";
import { createHelpCrunchClient, createMemoryRateLimitStore } from "@helpcrunch-chats/client";
import { createRedisRateLimitStore } from "../dist/index.js";
import { connect } from "../test/support/clients.ts";
import { busiestWindow, startCountingServer } from "../test/support/counting-server.mjs";
import { startRedisServer } from "../test/support/redis-server.ts";
import { runWorkers } from "../test/support/workers.ts";

const { values: flags } = parseArgs({
  options: {
    workers: { type: "string", default: "6" },
    calls: { type: "string", default: "30" },
    limit: { type: "string", default: "20" },
    interval: { type: "string", default: "1000" },
    latency: { type: "string", default: "2000" },
  },
});
const WORKERS = Number(flags.workers);
const CALLS = Number(flags.calls);
const LIMIT = Number(flags.limit);
const INTERVAL_MS = Number(flags.interval);
const LATENCY_CALLS = Number(flags.latency);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

const redis = await startRedisServer();
let failed = false;
try {
  const total = WORKERS * CALLS;
  const ideal = (Math.ceil(total / LIMIT) - 1) * INTERVAL_MS;
  console.log(
    `${WORKERS} worker processes (half node-redis, half ioredis), ${CALLS} calls each (${total}), one Redis store, limit ${LIMIT} per ${INTERVAL_MS} ms; ideal first-to-last ${ideal} ms`,
  );
  const roundTrips = { "node-redis": [], ioredis: [] };
  for (const [label, windowMs] of [
    ["server counts strictly per interval", INTERVAL_MS],
    ["server allows half an interval of arrival lag", INTERVAL_MS / 2],
  ]) {
    const server = await startCountingServer({ limit: LIMIT, windowMs });
    try {
      const reports = await runWorkers(WORKERS, {
        redisUrl: redis.url,
        baseUrl: server.url,
        apiKey: `hc_bench_${label.length}`,
        limit: LIMIT,
        intervalMs: INTERVAL_MS,
        calls: CALLS,
      });
      for (const report of reports) {
        roundTrips[report.kind].push(...report.roundTrips);
        if (report.failed.length) {
          failed = true;
          console.error(`  a call failed: ${report.failed[0]}`);
        }
      }
      const arrivals = server.received.map((r) => r.at);
      const answered = server.received.filter((r) => r.status === 200).map((r) => r.at);
      const span = Math.max(...answered) - Math.min(...answered);
      const rate = ((total - LIMIT) / span) * INTERVAL_MS;
      const tooMany = server.received.filter((r) => r.status === 429).length;
      console.log(`  ${label}:`);
      console.log(
        `    429s: ${tooMany}; first to last answered ${span} ms, ${((100 * span) / ideal).toFixed(1)}% of the ideal; ` +
          `achieved rate ${rate.toFixed(2)} per ${INTERVAL_MS} ms (limit ${LIMIT}, ${((100 * rate) / LIMIT).toFixed(1)}%)`,
      );
      console.log(
        `    busiest ${INTERVAL_MS} ms window: ${busiestWindow(
          reports.flatMap((r) => r.slots),
          INTERVAL_MS,
        )} by the store's slots (Redis clock), ${busiestWindow(arrivals, INTERVAL_MS)} by arrival at the server`,
      );
    } finally {
      await server.close();
    }
  }
  for (const [kind, times] of Object.entries(roundTrips)) {
    console.log(
      `  store round trip per reservation under load, ${kind}: median ${median(times).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms (${times.length})`,
    );
  }

  // The latency the store adds: sequential calls with no waiting (a limit far above them).
  const server = await startCountingServer({ limit: 1e9, windowMs: 1000 });
  try {
    const timeCalls = async (store) => {
      const hc = createHelpCrunchClient({
        apiKey: "hc_bench_latency",
        baseUrl: server.url,
        rateLimit: { limit: 1e6, intervalMs: 1, store },
      });
      const times = [];
      for (let i = 0; i < LATENCY_CALLS; i++) {
        const started = performance.now();
        await hc.chats.updateStatus({ id: i + 1, status: "opened" });
        times.push(performance.now() - started);
      }
      return times.slice(Math.floor(LATENCY_CALLS / 4)); // after a warm-up
    };
    const connections = [
      await connect("node-redis", redis.url),
      await connect("ioredis", redis.url),
    ];
    const rounds = { "in-process": [], "node-redis": [], ioredis: [] };
    for (let round = 0; round < 3; round++) {
      rounds["in-process"].push(median(await timeCalls(createMemoryRateLimitStore())));
      for (const [i, kind] of ["node-redis", "ioredis"].entries()) {
        rounds[kind].push(
          median(await timeCalls(createRedisRateLimitStore(connections[i].client))),
        );
      }
    }
    for (const connection of connections) {
      connection.close();
    }
    const base = median(rounds["in-process"]);
    console.log(
      `  time per call, sequential, loopback (median of 3 rounds of ${LATENCY_CALLS}): in-process store ${base.toFixed(3)} ms`,
    );
    for (const kind of ["node-redis", "ioredis"]) {
      const value = median(rounds[kind]);
      console.log(
        `    Redis store with ${kind}: ${value.toFixed(3)} ms, +${(value - base).toFixed(3)} ms per call`,
      );
    }
  } finally {
    await server.close();
  }
} finally {
  await redis.dispose();
}
process.exit(failed ? 1 : 0);
