// One worker process of the multi-process test and the benchmark: a client with a Redis
// store (node-redis or ioredis, as told), that sends its share of calls when the parent says
// go (all at once, or `inProgress` at a time), and reports back the slots the store gave it,
// how the calls ended, the warnings it logged and the time each store round trip took.
//
// fork(worker.mjs) with env WORKER = JSON { kind, redisUrl, baseUrl, apiKey, limit,
// intervalMs, calls, inProgress?, firstId }; it sends { ready } once connected, waits for
// { go }, then sends { report } and exits.
import { createHelpCrunchClient } from "@helpcrunch-chats/client";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { createRedisRateLimitStore } from "../../dist/index.js";

const job = JSON.parse(process.env.WORKER ?? "{}");

let redis;
let close;
if (job.kind === "node-redis") {
  redis = createClient({ url: job.redisUrl });
  redis.on("error", () => {});
  await redis.connect();
  close = () => redis.destroy();
} else {
  redis = new Redis(job.redisUrl, { lazyConnect: true });
  redis.on("error", () => {});
  await redis.connect();
  close = () => redis.disconnect();
}

const store = createRedisRateLimitStore(redis);
const slots = [];
const roundTrips = [];
const recording = {
  async reserve(...args) {
    const started = performance.now();
    const answer = await store.reserve(...args);
    roundTrips.push(performance.now() - started);
    if (answer.slot !== undefined) {
      slots.push(answer.slot);
    }
    return answer;
  },
  async release(key, slot) {
    slots.splice(slots.indexOf(slot), 1);
    return store.release(key, slot);
  },
  pause: (key, ms) => store.pause(key, ms),
};
const warnings = [];
const hc = createHelpCrunchClient({
  apiKey: job.apiKey,
  baseUrl: job.baseUrl,
  rateLimit: { limit: job.limit, intervalMs: job.intervalMs, store: recording },
  logLevel: "warn",
  logger: { error() {}, warn: (line) => warnings.push(line) },
});

// A cold process's first requests reach the server hundreds of ms after their slots (new
// connections, code not yet compiled), bunching them with the next window's: as many
// requests as one window holds, uncounted, open the connections and warm the path first.
await Promise.all(
  Array.from({ length: job.limit }, () =>
    fetch(new URL("/warm-up", job.baseUrl)).then((response) => response.arrayBuffer()),
  ),
);
process.send({ ready: true });
process.once("message", async () => {
  // `inProgress` callers (all the calls at once by default), each making the next call as
  // soon as its last one has ended.
  const results = [];
  let next = 0;
  const caller = async () => {
    while (next < job.calls) {
      const id = job.firstId + next++;
      results.push(
        await hc.chats.updateStatus({ id, status: "opened" }).then(
          (value) => ({ status: "fulfilled", value }),
          (reason) => ({ status: "rejected", reason }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: job.inProgress ?? job.calls }, caller));
  close();
  process.send(
    {
      report: {
        kind: job.kind,
        slots,
        ok: results.filter((r) => r.status === "fulfilled").length,
        failed: results.filter((r) => r.status === "rejected").map((r) => String(r.reason)),
        warnings,
        roundTrips,
      },
    },
    () => process.exit(0),
  );
});
