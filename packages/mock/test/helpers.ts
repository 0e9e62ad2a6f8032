// Shared by the tests: the spec's own examples, real sockets and real process checks.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";

const spec = JSON.parse(readFileSync(openapiJsonPath, "utf8"));

/** The value of a named example under `components/examples` of the bundled spec. */
export const namedExample = (name: string): unknown => spec.components.examples[name].value;

/** The value of an example of a shared error response (`components/responses`). */
export const responseExample = (response: string, name: string): unknown =>
  spec.components.responses[response].content["application/json"].examples[name].value;

/** Headers of a request the spec accepts: a bearer token and a JSON body. */
export const VALID_HEADERS = {
  authorization: "Bearer test-api-key",
  "content-type": "application/json",
};

/** True if the process exists and is not a zombie (an exited child nobody reaped yet). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
  return state.trim() !== "" && !state.trim().startsWith("Z");
}

/**
 * Pids of live Prism processes serving `port` or `specPath`, or started by the process
 * `parent` (a mock's Prism listens on a private port), found in the process table.
 */
export function prismProcesses(on: {
  port?: number;
  specPath?: string;
  parent?: number;
}): number[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid=,stat=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((row) => row.trim().split(/\s+/))
    .filter(([, ppid, stat, ...args]) => {
      if (stat?.startsWith("Z") || !args.some((arg) => arg.includes("prism-cli"))) {
        return false;
      }
      if (on.parent) {
        return ppid === String(on.parent);
      }
      const port = args[args.indexOf("--port") + 1];
      return on.port ? port === String(on.port) : args.includes(on.specPath ?? "");
    })
    .map(([pid]) => Number(pid));
}

/** True if a TCP connection to 127.0.0.1:port is accepted. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Listens on a free loopback port so that nobody else can; `close()` frees it. */
export async function occupyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || !address) {
    throw new Error("no address");
  }
  return {
    port: address.port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls `condition` until it holds; fails after a generous `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    }
    await sleep(50);
  }
}
