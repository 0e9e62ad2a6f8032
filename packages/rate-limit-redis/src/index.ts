/**
 * @helpcrunch-chats/rate-limit-redis: one rate limit for every process and machine that uses
 * one HelpCrunch API key, kept in Redis.
 *
 * ```ts
 * import { createHelpCrunchClient } from "@helpcrunch-chats/client";
 * import { createRedisRateLimitStore } from "@helpcrunch-chats/rate-limit-redis";
 *
 * const hc = createHelpCrunchClient({
 *   rateLimit: { limit: 120, intervalMs: 60_000, store: createRedisRateLimitStore(redis) },
 * });
 * ```
 */
import { createHash } from "node:crypto";
import { SCRIPT } from "./script.js";

/** A store's answer to a reservation (the client's `RateLimitReservation`). */
export interface RateLimitReservation {
  /** How long the caller must wait before it starts its request, in ms (0: start now). */
  waitMs: number;
  /** The slot taken, for `release`; absent when the wait would pass `maxWaitMs`. */
  slot?: number | undefined;
}

/**
 * The rate-limit store of `@helpcrunch-chats/client` (its `RateLimitStore`), as this
 * package implements it: every method answers with a promise.
 */
export interface RedisRateLimitStore {
  /** Takes the next start slot for `key` atomically in Redis, on Redis's clock. */
  reserve(
    key: string,
    limit: number,
    intervalMs: number,
    maxWaitMs: number,
  ): Promise<RateLimitReservation>;
  /** Gives back a slot that will not be used. */
  release(key: string, slot: number): Promise<void>;
  /** Starts no slot for `key` for `ms` from now (on Redis's clock). */
  pause(key: string, ms: number): Promise<void>;
}

/** What the store needs of a node-redis client (v4 or v5: `createClient()` from `redis`). */
export interface NodeRedisClient {
  sendCommand(args: string[]): Promise<unknown>;
  readonly isReady: boolean;
}

/** What the store needs of an ioredis client (v5: `new Redis()` from `ioredis`). */
export interface IORedisClient {
  call(command: string, ...args: string[]): Promise<unknown>;
  readonly status: string;
}

/** Options of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** Prepended to every key the store writes. Default `helpcrunch-chats:rate-limit:`. */
  prefix?: string | undefined;
}

/** The script's SHA-1: EVALSHA runs it by this once Redis has it. */
const SHA = createHash("sha1").update(SCRIPT).digest("hex");

/** ioredis statuses in which a command would wait for a connection that is not there. */
const IOREDIS_DOWN = /^(reconnecting|close|end)$/;

/**
 * A rate-limit store in Redis, for the `rateLimit.store` option of `createHelpCrunchClient`.
 * Give it the connected client you already have, node-redis or ioredis (told apart by their
 * methods); it never connects, disconnects or configures it. Every decision is one round trip:
 * a Lua script, loaded once and run by its hash (loaded again if Redis has lost it), that
 * reads and writes the log atomically on Redis's clock. Its keys expire by themselves once
 * their windows have passed. Keys are `<prefix>{<key id>}:starts` and `…:pause`; the key id
 * the client gives is a hash of the API key, never the key.
 *
 * When Redis cannot answer (disconnected, reconnecting), every method rejects at once, and
 * the client goes on under its own in-process limit until Redis is back.
 */
export function createRedisRateLimitStore(
  redis: NodeRedisClient | IORedisClient,
  options: RedisRateLimitStoreOptions = {},
): RedisRateLimitStore {
  const prefix = options.prefix ?? "helpcrunch-chats:rate-limit:";
  if (typeof prefix !== "string") {
    throw new TypeError("createRedisRateLimitStore: prefix must be a string");
  }
  const send = sender(redis);
  let loaded: Promise<unknown> | undefined;

  /** Runs the script by its hash, loading it first (once) and again after a NOSCRIPT. */
  const run = async (key: string, args: string[]): Promise<unknown> => {
    const keys = [`${prefix}{${key}}:starts`, `${prefix}{${key}}:pause`];
    const evalsha = () => send(["EVALSHA", SHA, "2", ...keys, ...args]);
    loaded ??= send(["SCRIPT", "LOAD", SCRIPT]).catch((error) => {
      loaded = undefined;
      throw error;
    });
    await loaded;
    try {
      return await evalsha();
    } catch (error) {
      if (!String((error as Error)?.message).startsWith("NOSCRIPT")) {
        throw error;
      }
      // Redis lost its scripts (SCRIPT FLUSH, a restart, a failover): load it again.
      await send(["SCRIPT", "LOAD", SCRIPT]);
      return evalsha();
    }
  };

  return {
    async reserve(key, limit, intervalMs, maxWaitMs) {
      const answer = (await run(key, [
        "reserve",
        String(limit),
        String(Math.ceil(intervalMs)),
        maxWaitMs === Number.POSITIVE_INFINITY ? "-1" : String(Math.floor(maxWaitMs)),
      ])) as [number | string, number | string];
      const [waitMs, slot] = answer.map(Number) as [number, number];
      return slot < 0 ? { waitMs } : { waitMs, slot };
    },
    async release(key, slot) {
      await run(key, ["release", String(slot)]);
    },
    async pause(key, ms) {
      await run(key, ["pause", String(Math.ceil(ms))]);
    },
  };
}

/**
 * A function that sends one command (as strings) with whichever client this is; it rejects at
 * once when the client has no connection, rather than queueing the command until one comes.
 */
function sender(redis: NodeRedisClient | IORedisClient): (args: string[]) => Promise<unknown> {
  if (typeof (redis as IORedisClient)?.call === "function") {
    const client = redis as IORedisClient;
    return async ([command, ...args]) => {
      if (IOREDIS_DOWN.test(client.status)) {
        throw new Error(`Redis is not connected (ioredis status: ${client.status})`);
      }
      return client.call(command as string, ...args);
    };
  }
  if (typeof (redis as NodeRedisClient)?.sendCommand === "function") {
    const client = redis as NodeRedisClient;
    return async (args) => {
      if (!client.isReady) {
        throw new Error("Redis is not connected (node-redis client not ready)");
      }
      return client.sendCommand(args);
    };
  }
  throw new TypeError(
    "createRedisRateLimitStore: expected a node-redis client (createClient() from redis) or an ioredis client (new Redis())",
  );
}
