// The Redis store on its own, against a real redis-server, with each supported client: the
// slots it hands out keep the limit in every window, whatever the number of connections
// asking at once; it refuses past maxWaitMs taking nothing; gives slots back; pauses; lets
// its keys expire; reloads its script after a SCRIPT FLUSH; and never looks at the caller's
// clock.

import type { RateLimitStore } from "@helpcrunch-chats/client";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createRedisRateLimitStore, type RedisRateLimitStore } from "../src/index.js";
import { type Connected, connect, KINDS } from "./support/clients.js";
import { busiestWindow } from "./support/counting-server.mjs";
import { type RedisServer, startRedisServer } from "./support/redis-server.js";

let server: RedisServer;
const open: Connected[] = [];
beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(() => {
  vi.useRealTimers();
  for (const connection of open.splice(0)) {
    connection.close();
  }
});
afterAll(() => server?.dispose());

let keys = 0;
/** A fresh key id for each test, so that tests never share a log. */
const freshKey = () => `test-${process.pid}-${++keys}`;
const PREFIX = "helpcrunch-chats:rate-limit:";

const connected = async (kind: (typeof KINDS)[number]) => {
  const connection = await connect(kind, server.url);
  open.push(connection);
  return connection;
};

it("is a RateLimitStore of the client", () => {
  const store: RateLimitStore = createRedisRateLimitStore({
    sendCommand: async () => null,
    isReady: true,
  });
  expect(typeof store.reserve).toBe("function");
});

it("tells the clients apart by their shape, and refuses anything else", () => {
  expect(() => createRedisRateLimitStore({} as never)).toThrow(TypeError);
  expect(() => createRedisRateLimitStore(null as never)).toThrow(/node-redis .* or an ioredis/);
});

describe.each(KINDS)("with %s", (kind) => {
  let store: RedisRateLimitStore;
  let redis: Connected;
  beforeAll(async () => {
    redis = await connect(kind, server.url);
    store = createRedisRateLimitStore(redis.client);
  });
  afterAll(() => redis.close());

  it("hands out window-exact slots: `limit` at once, the next when the first one's window ends", async () => {
    const key = freshKey();
    const answers = await Promise.all(
      Array.from({ length: 7 }, () => store.reserve(key, 3, 1000, Number.POSITIVE_INFINITY)),
    );
    const slots = answers.map((answer) => answer.slot as number);
    expect(answers.slice(0, 3).map((answer) => answer.waitMs)).toEqual([0, 0, 0]);
    // Each slot: not before the last one, nor before the window of the slot 3 back ends.
    for (let i = 3; i < 7; i++) {
      expect(slots[i]).toBe(Math.max((slots[i - 3] as number) + 1000, slots[i - 1] as number));
    }
    for (const [i, answer] of answers.entries()) {
      expect(answer.waitMs).toBeGreaterThanOrEqual(0);
      // The wait is measured from Redis's now, just before the slot: never past the slot.
      expect(answer.waitMs).toBeLessThanOrEqual((slots[i] as number) - (slots[0] as number));
    }
    expect(await redis.command("LRANGE", `${PREFIX}{${key}}:starts`, "0", "-1")).toEqual(
      slots.map(String),
    );
  });

  it("keeps the limit atomically for many connections of both clients asking at once", async () => {
    const key = freshKey();
    const connections = await Promise.all(
      Array.from({ length: 8 }, (_, i) => connected(KINDS[i % 2] as (typeof KINDS)[number])),
    );
    const stores = connections.map((connection) => createRedisRateLimitStore(connection.client));
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        (stores[i % stores.length] as RedisRateLimitStore).reserve(
          key,
          20,
          1000,
          Number.POSITIVE_INFINITY,
        ),
      ),
    );
    const slots = answers.map((answer) => answer.slot as number);
    expect(slots.every(Number.isInteger)).toBe(true);
    expect(busiestWindow(slots, 1000)).toBe(20);
    // Throughput still reaches the limit: 200 slots in ten windows, the last starting nine
    // intervals (and the few ms the 200 calls took to reach Redis) after the first.
    const sorted = [...slots].sort((a, b) => a - b);
    const span = (sorted.at(-1) as number) - (sorted[0] as number);
    expect(span).toBeGreaterThanOrEqual(9000);
    expect(span).toBeLessThan(9000 + 1000);
    expect(Number(await redis.command("LLEN", `${PREFIX}{${key}}:starts`))).toBeLessThanOrEqual(
      200,
    );
  });

  it("takes nothing when the wait would pass maxWaitMs", async () => {
    const key = freshKey();
    const first = await store.reserve(key, 1, 60_000, 0);
    const refused = await store.reserve(key, 1, 60_000, 10_000);
    expect(first).toEqual({ waitMs: 0, slot: expect.any(Number) });
    expect(refused.slot).toBeUndefined();
    expect(refused.waitMs).toBeGreaterThan(59_000);
    expect(refused.waitMs).toBeLessThanOrEqual(60_000);
    expect(await redis.command("LLEN", `${PREFIX}{${key}}:starts`)).toBe(1);
  });

  it("gives a released slot to the next caller", async () => {
    const key = freshKey();
    const first = await store.reserve(key, 1, 60_000, Number.POSITIVE_INFINITY);
    const second = await store.reserve(key, 1, 60_000, Number.POSITIVE_INFINITY);
    expect(second.slot).toBe((first.slot as number) + 60_000);
    await store.release(key, second.slot as number);
    const third = await store.reserve(key, 1, 60_000, Number.POSITIVE_INFINITY);
    expect(third.slot).toBe(second.slot);
  });

  it("starts no slot during a pause", async () => {
    const key = freshKey();
    await store.pause(key, 1500);
    const answer = await store.reserve(key, 100, 1000, Number.POSITIVE_INFINITY);
    expect(answer.waitMs).toBeGreaterThan(1000);
    expect(answer.waitMs).toBeLessThanOrEqual(1500);
    // A shorter pause does not shorten a longer one.
    await store.pause(key, 10);
    expect((await store.reserve(key, 100, 1000, 0)).waitMs).toBeGreaterThan(1000);
  });

  it("lets its keys expire by themselves once their windows have passed", async () => {
    const key = freshKey();
    const starts = `${PREFIX}{${key}}:starts`;
    const pause = `${PREFIX}{${key}}:pause`;
    await store.pause(key, 200);
    await store.reserve(key, 1, 300, Number.POSITIVE_INFINITY);
    await store.reserve(key, 1, 300, Number.POSITIVE_INFINITY);
    const ttl = Number(await redis.command("PTTL", starts));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(200 + 300 + 300); // the last slot's window end
    expect(Number(await redis.command("PTTL", pause))).toBeLessThanOrEqual(200);
    const deadline = Date.now() + 10_000;
    while (Number(await redis.command("EXISTS", starts, pause)) > 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it("loads its script once, runs it by its hash, and loads it again after SCRIPT FLUSH", async () => {
    const key = freshKey();
    const fresh = createRedisRateLimitStore(redis.client);
    await redis.command("CONFIG", "RESETSTAT");
    for (let i = 0; i < 3; i++) {
      await fresh.reserve(key, 10, 1000, Number.POSITIVE_INFINITY);
    }
    await redis.command("SCRIPT", "FLUSH");
    for (let i = 0; i < 3; i++) {
      await fresh.reserve(key, 10, 1000, Number.POSITIVE_INFINITY);
    }
    const stats = String(await redis.command("INFO", "commandstats"));
    const calls = (name: string) =>
      Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    expect(calls("script\\|load")).toBe(2);
    expect(calls("evalsha")).toBe(7); // six, and the one NOSCRIPT answered
    expect(calls("eval")).toBe(0);
    expect(Number(await redis.command("LLEN", `${PREFIX}{${key}}:starts`))).toBe(6);
  });

  it("decides on Redis's clock: callers whose clocks disagree by an hour share one window", async () => {
    const key = freshKey();
    const other = createRedisRateLimitStore((await connected(kind)).client);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3_600_000 });
    const ahead = await store.reserve(key, 2, 60_000, Number.POSITIVE_INFINITY);
    vi.setSystemTime(Date.now() - 7_200_000);
    const behind = await other.reserve(key, 2, 60_000, Number.POSITIVE_INFINITY);
    const third = await other.reserve(key, 2, 60_000, Number.POSITIVE_INFINITY);
    expect([ahead.waitMs, behind.waitMs]).toEqual([0, 0]);
    expect(third.slot).toBe((ahead.slot as number) + 60_000);
    expect(third.waitMs).toBeGreaterThan(59_000);
  });

  it("uses the prefix it is given for every key", async () => {
    const key = freshKey();
    const prefixed = createRedisRateLimitStore(redis.client, { prefix: "acme:hc:" });
    await prefixed.reserve(key, 1, 1000, Number.POSITIVE_INFINITY);
    await prefixed.pause(key, 1000);
    expect(((await redis.command("KEYS", `*${key}*`)) as string[]).sort()).toEqual([
      `acme:hc:{${key}}:pause`,
      `acme:hc:{${key}}:starts`,
    ]);
  });
});
