// The two Redis clients the store supports, connected to a test server, behind one shape.
import { Redis } from "ioredis";
import { createClient } from "redis";
import type { IORedisClient, NodeRedisClient } from "../../src/index.js";

export type ClientKind = "node-redis" | "ioredis";
export const KINDS: ClientKind[] = ["node-redis", "ioredis"];

export interface Connected {
  client: NodeRedisClient | IORedisClient;
  /** Sends one raw command. */
  command(...args: string[]): Promise<unknown>;
  /** Resolves once the client has a working connection again (after a restart). */
  ready(): Promise<void>;
  close(): void;
}

/** A connected client of `kind`; errors (a server that went away) are expected, not thrown. */
export async function connect(kind: ClientKind, url: string): Promise<Connected> {
  const until = async (isReady: () => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!isReady()) {
      if (Date.now() > deadline) {
        throw new Error(`${kind} did not reconnect`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  if (kind === "node-redis") {
    const client = createClient({
      url,
      socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 200) },
    });
    client.on("error", () => {});
    await client.connect();
    return {
      client,
      command: (...args) => client.sendCommand(args),
      ready: () => until(() => client.isReady),
      close: () => client.destroy(),
    };
  }
  const client = new Redis(url, {
    lazyConnect: true,
    retryStrategy: (times: number) => Math.min(50 * 2 ** times, 200),
  });
  client.on("error", () => {});
  await client.connect();
  return {
    client,
    command: (command, ...args) => client.call(command as string, ...args),
    ready: () => until(() => client.status === "ready"),
    close: () => client.disconnect(),
  };
}
