// A real HTTP server on loopback that answers each request with the next step of a script,
// and counts and records what it receives. The fault-injection suite drives the client
// against it: no fetch is mocked.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, beforeEach, vi } from "vitest";

/** What the server does with one request. */
export type Step =
  | { reply: number; body?: string | Buffer; headers?: Record<string, string> }
  | { json: number; body: unknown; headers?: Record<string, string> }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true }
  /** Destroys the socket before writing anything. */
  | { reset: "before-response" }
  /** Sends the status line, headers and part of the body, then destroys the socket. */
  | { reset: "during-body"; status?: number };

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** When it arrived (Date.now(), so a fake clock when the test fakes Date). */
  at: number;
}

export const CHAT = {
  id: 542335,
  status: "on hold",
  createdAt: "1603885746",
  customer: { id: 8738438, name: "John", email: "john@example.com", userId: "u-1" },
  assignee: null,
};

export interface FaultServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request received, in order. */
  received: Received[];
  /** Sets the script: request N gets step N; the last step repeats. */
  script(...steps: Step[]): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  let steps: Step[] = [{ json: 200, body: CHAT }];
  const received: Received[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at,
      });
      const step = steps[Math.min(received.length - 1, steps.length - 1)] as Step;
      play(step, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script(...next) {
      steps = next;
    },
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      server.close();
      await once(server, "close");
    },
  };
}

function play(step: Step, res: ServerResponse) {
  if ("hang" in step) {
    return;
  }
  if ("reset" in step) {
    if (step.reset === "before-response") {
      res.socket?.destroy();
      return;
    }
    res.writeHead(step.status ?? 200, {
      "content-type": "application/json",
      "content-length": "200",
    });
    res.write('{"id": 542335, "status": "on h');
    setImmediate(() => res.socket?.destroy());
    return;
  }
  if ("json" in step) {
    res.writeHead(step.json, { "content-type": "application/json", ...step.headers });
    res.end(JSON.stringify(step.body));
    return;
  }
  res.writeHead(step.reply, step.headers);
  res.end(step.body ?? "");
}

/**
 * Resolves once the server has seen `count` requests, letting real I/O run between checks.
 * Unlike vi.waitFor it never moves a fake clock (it only runs timers already due), so tests
 * can assert exact waits.
 */
export async function requestsSeen(server: FaultServer, count: number): Promise<void> {
  const deadline = performance.now() + 5000;
  while (server.received.length < count) {
    if (performance.now() > deadline) {
      throw new Error(`the server saw ${server.received.length} requests, expected ${count}`);
    }
    if (vi.isFakeTimers()) {
      vi.advanceTimersByTime(0);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (server.received.length !== count) {
    throw new Error(`the server saw ${server.received.length} requests, expected exactly ${count}`);
  }
}

/**
 * One fault server for the test file: started before its first test, closed after its last,
 * and before each test answering with the documented chat again and forgetting what it
 * received.
 */
export function useFaultServer(): FaultServer {
  const handle = {} as FaultServer;
  beforeAll(async () => {
    Object.assign(handle, await startFaultServer());
  });
  afterAll(() => handle.close());
  beforeEach(() => {
    handle.received.length = 0;
    handle.script({ json: 200, body: CHAT });
  });
  return handle;
}
