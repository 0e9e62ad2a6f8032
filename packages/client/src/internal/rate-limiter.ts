import { createMemoryRateLimitStore, type RateLimitStore } from "../rate-limit.js";
import type { Log } from "./log.js";
import { excerpt } from "./text.js";

/** A shared store that has not answered within this long is taken as down for the call. */
const STORE_TIMEOUT_MS = 2000;
/** While the shared store is down, one call in this long tries it again. */
const RETRY_STORE_MS = 1000;

/** A client's rate limit: hands out start slots, each no sooner than the limit allows. */
export interface RateLimiter {
  /**
   * Reserves the next slot; resolves to how long to wait for it (0: go now) and a function
   * that gives it back (for a call that gave up waiting). When that wait would pass
   * `maxWaitMs`, reserves nothing and resolves to the wait as a negative number.
   */
  reserve(maxWaitMs: number): Promise<[wait: number, release: () => void]>;
  /** Starts no slot for `ms` from now, in every client sharing the store (the server said 429). */
  pause(ms: number): void;
}

/**
 * The rate limit of one client: never more than `limit` starts in any window of `intervalMs`
 * (a sliding log, kept in `store`, shared by every client using it). The store's key is a
 * SHA-256 hash of the API key, never the key. When the store fails or does not answer, calls
 * go on under an in-process log with one warning, and back to the store once it answers.
 */
export function createRateLimiter(
  { limit, intervalMs, store }: { limit: number; intervalMs: number; store?: RateLimitStore },
  apiKey: string,
  log: Log,
): RateLimiter {
  const local = createMemoryRateLimitStore();
  let id: Promise<string> | undefined;
  let down = false;
  let retryAt = 0;
  const ignore = (work: () => unknown) => {
    try {
      Promise.resolve(work()).catch(() => {});
    } catch {}
  };
  return {
    async reserve(maxWaitMs) {
      if (store && Date.now() >= retryAt) {
        try {
          if (down) {
            retryAt = Date.now() + RETRY_STORE_MS; // one call tries the store meanwhile
          }
          id ??= keyId(apiKey);
          const key = await id;
          const { waitMs, slot } = await answerOf(store.reserve(key, limit, intervalMs, maxWaitMs));
          if (down) {
            down = false;
            retryAt = 0;
            log("info", "rate-limit store back: shared limit again");
          }
          return [
            slot === undefined ? -waitMs : waitMs,
            () => ignore(() => store.release(key, slot as number)),
          ];
        } catch (error) {
          if (!down) {
            down = true;
            log(
              "warn",
              `rate-limit store failed (${excerpt(String(error))}); own limit until it is back`,
            );
          }
          retryAt = Date.now() + RETRY_STORE_MS;
        }
      }
      const { waitMs, slot } = local.reserve("", limit, intervalMs, maxWaitMs) as {
        waitMs: number;
        slot?: number;
      };
      return [slot === undefined ? -waitMs : waitMs, () => local.release("", slot as number)];
    },
    pause(ms) {
      local.pause("", ms);
      if (store && id) {
        ignore(() => id?.then((key) => store.pause(key, ms)));
      }
    },
  };
}

/** A store's answer, or a rejection when it does not come within STORE_TIMEOUT_MS. */
function answerOf<T>(answer: T | Promise<T>): T | Promise<T> {
  if (typeof (answer as Promise<T>)?.then !== "function") {
    return answer;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    answer as Promise<T>,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject("timeout"), STORE_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The store's key for an API key: hex SHA-256 of it (with a label), by Web Crypto. */
async function keyId(apiKey: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`helpcrunch-chats rate limit\n${apiKey}`),
  );
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
