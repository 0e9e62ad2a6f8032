// The store under the client, in one process, against a real redis-server and a loopback API
// server: the API key never reaches Redis; a 429 that one client sees pauses every client of
// the store; and Redis going away mid-run, then coming back, loses, rejects or repeats no call.
import { createHelpCrunchClient, type HelpCrunchClient } from "@helpcrunch-chats/client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisRateLimitStore } from "../src/index.js";
import { type Connected, connect, KINDS } from "./support/clients.js";
import { type CountingServer, startCountingServer } from "./support/counting-server.mjs";
import { type RedisServer, startRedisServer } from "./support/redis-server.js";

const API_KEY = "hc_live_PLANTED-SECRET-4b1d9e07aa";

let redis: RedisServer;
let api: CountingServer;
beforeAll(async () => {
  redis = await startRedisServer();
  api = await startCountingServer({ limit: 1e6, windowMs: 1000 });
});
afterAll(async () => {
  await api?.close();
  await redis?.dispose();
});

let tests = 0;
/** A client on the connection; each test keeps its logs under a prefix of its own. */
const clientOn = (connection: Connected, logs: string[] = [], limit = 5, intervalMs = 500) =>
  createHelpCrunchClient({
    apiKey: API_KEY,
    baseUrl: api.url,
    rateLimit: {
      limit,
      intervalMs,
      store: createRedisRateLimitStore(connection.client, { prefix: `test${tests}:` }),
    },
    logLevel: "info",
    logger: {
      error: (line: string) => logs.push(`error ${line}`),
      warn: (line: string) => logs.push(`warn ${line}`),
      info: (line: string) => logs.push(`info ${line}`),
      debug() {},
    },
  });
beforeEach(() => {
  tests++;
  api.received.length = 0;
});

const calls = (hc: HelpCrunchClient, ids: number[]) =>
  Promise.all(ids.map((id) => hc.chats.updateStatus({ id, status: "opened" })));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

it("never lets the API key reach Redis: not in a command, a key or a value", async () => {
  const monitor = new Redis(redis.url);
  const seen: string[] = [];
  const feed = await monitor.monitor();
  feed.on("monitor", (_time: string, args: string[]) => seen.push(args.join(" ")));
  const connections = await Promise.all(KINDS.map((kind) => connect(kind, redis.url)));
  try {
    for (const connection of connections) {
      tests++;
      // A call that waits for its slot and is aborted: its release goes through Redis.
      const slow = clientOn(connection, [], 1, 60_000);
      await calls(slow, [1]);
      const controller = new AbortController();
      const aborted = slow.chats
        .updateStatus({ id: 9, status: "opened" }, { signal: controller.signal })
        .catch((error) => error);
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort();
      expect(String(await aborted)).toMatch(/Abort/);
      // A 429: its pause goes through Redis.
      api.force429(1);
      await calls(clientOn(connection, [], 100, 1000), [2]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen.some((line) => line.includes("EVALSHA"))).toBe(true);
    expect(seen.some((line) => line.includes("pause"))).toBe(true);
    const keys = (await connections[0]?.command("KEYS", "*")) as string[];
    expect(keys.length).toBeGreaterThan(0);
    const values = await Promise.all(
      keys.map(async (key) =>
        String(
          (await connections[0]?.command("TYPE", key)) === "list"
            ? await connections[0]?.command("LRANGE", key, "0", "-1")
            : await connections[0]?.command("GET", key),
        ),
      ),
    );
    for (const text of [...seen, ...keys, ...values]) {
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain("PLANTED");
    }
  } finally {
    monitor.disconnect();
    feed.disconnect();
    for (const connection of connections) {
      connection.close();
    }
  }
});

it("pauses every client sharing the store when one of them is answered 429", async () => {
  const [first, second] = await Promise.all(KINDS.map((kind) => connect(kind, redis.url)));
  try {
    const a = clientOn(first as Connected, [], 100, 1000);
    const b = clientOn(second as Connected, [], 100, 1000);
    api.force429(1);
    await calls(a, [1]); // 429 (Retry-After: 1), then retried after the pause
    const [refused, retried] = api.received;
    expect(refused?.status).toBe(429);
    // The other client, on another connection and another Redis client, waited for it too:
    // its call, made after the 429, reached the server no sooner than a second after it.
    await calls(b, [2]);
    const other = api.received.at(-1);
    expect(other?.id).toBe(2);
    expect((other?.at as number) - (refused?.at as number)).toBeGreaterThanOrEqual(1000);
    expect((retried?.at as number) - (refused?.at as number)).toBeGreaterThanOrEqual(1000);
  } finally {
    first?.close();
    second?.close();
  }
});

describe.each(KINDS)("when Redis goes away and comes back, with %s", (kind) => {
  it("sends every call once, with one warning, under the client's own limit, then the shared one again", async () => {
    const connection = await connect(kind, redis.url);
    const logs: string[] = [];
    const hc = clientOn(connection, logs);
    const evalshas = async () =>
      Number(
        /cmdstat_evalsha:calls=(\d+)/.exec(
          String(await connection.command("INFO", "commandstats")),
        )?.[1] ?? 0,
      );
    try {
      await calls(hc, range(1, 10));
      await redis.stop();
      const during = await calls(hc, range(11, 10));
      expect(during).toHaveLength(10);
      expect(logs.filter((line) => line.startsWith("warn"))).toHaveLength(1);
      expect(logs.find((line) => line.startsWith("warn"))).toMatch(/rate-limit store failed/);
      await redis.start();
      await connection.ready();
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the store is tried again each second
      await calls(hc, range(21, 10));
      expect(logs).toContain("info [helpcrunch] rate-limit store back: shared limit again");
      // The shared log is in use again: every call goes through the (restarted) Redis.
      const before = await evalshas();
      expect(before).toBeGreaterThan(0);
      await calls(hc, range(31, 10));
      expect((await evalshas()) - before).toBe(10);
      expect(logs.filter((line) => line.startsWith("warn"))).toHaveLength(1);
      expect(logs.filter((line) => line.startsWith("error"))).toEqual([]);
      expect(api.received.map((r) => r.id).sort((x, y) => Number(x) - Number(y))).toEqual(
        range(1, 40),
      );
    } finally {
      connection.close();
    }
  });
});
