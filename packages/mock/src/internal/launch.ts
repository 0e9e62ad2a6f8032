import type { ChildProcess } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { acceptsConnections, baseUrl, connectHost, pickFreePort } from "./ports.js";
import {
  isAddressInUse,
  isListeningLine,
  lineSplitter,
  outputTail,
  prismFailureMessage,
} from "./prism-output.js";
import { spawnPrism, stopChild } from "./prism-process.js";

/** How many free ports are tried when each one picked is taken before Prism binds it. */
const PORT_ATTEMPTS = 5;
/** How long to wait between two connection checks once Prism says it is listening. */
const CONNECT_RETRY_MS = 50;

export interface LaunchOptions {
  specPath: string;
  host: string;
  /** A fixed port, or undefined to pick a free one. */
  port: number | undefined;
  startTimeoutMs: number;
  onLog: ((line: string) => void) | undefined;
  /** Where free ports come from; tests pass their own to provoke the address-in-use race. */
  pickPort?: (host: string) => Promise<number>;
  /** Aborting it ends a start under way at once: Prism is killed and the start rejects. */
  signal?: AbortSignal | undefined;
  /** Shown in place of Prism's own base URL in the lines passed to onLog (the public one). */
  shownUrl?: string | undefined;
  /** Runs Prism as a validating proxy (`prism proxy --errors`) in front of this URL instead of mocking. */
  upstream?: string | undefined;
}

/** A Prism that is up: its process, the URL and port it serves, and how to stop it. */
export interface RunningPrism {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The rejection of a start that was aborted through its signal. */
export class StartAbortedError extends Error {
  override name = "AbortError";
}

/** A start that failed because the port was taken: worth a retry on another free port. */
class AddressInUseError extends Error {}

/** Starts Prism, on a free port unless one is given, and resolves once it accepts connections. */
export async function launchPrism(options: LaunchOptions): Promise<RunningPrism> {
  const { port, startTimeoutMs } = options;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65_536)) {
    throw new Error(`port must be an integer from 1 to 65535 (or 0 for a free one), not ${port}`);
  }
  if (!(startTimeoutMs > 0)) {
    throw new Error(`startTimeoutMs must be a positive number, not ${startTimeoutMs}`);
  }
  const deadline = Date.now() + startTimeoutMs;
  const pickPort = options.pickPort ?? pickFreePort;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(options.signal);
    const chosen = port ?? (await pickPort(options.host));
    try {
      return await startOnce(options, chosen, deadline);
    } catch (error) {
      const retry = port === undefined && error instanceof AddressInUseError;
      if (!retry || attempt >= PORT_ATTEMPTS || Date.now() >= deadline) {
        throw error;
      }
    }
  }
}

/** One attempt: spawn Prism on `port`, await its "listening" line and a successful connection. */
function startOnce(options: LaunchOptions, port: number, deadline: number): Promise<RunningPrism> {
  const { host, specPath, startTimeoutMs, signal } = options;
  const url = baseUrl(host, port);
  const onLog = showingUrl(options.onLog, url, options.shownUrl);
  const child = spawnPrism(specPath, host, port, options.upstream);
  // What Prism printed before it was ready: the source of a failed start's message.
  const stdout: string[] = [];
  const stderr: string[] = [];

  return new Promise<RunningPrism>((resolve, reject) => {
    let settled = false;
    let listening = false;
    let ready = false;

    const fail = (error: Error, graceMs?: number) => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      // Reject only once the child is gone, so a failed start never leaves Prism behind.
      void stopChild(child, graceMs).then(() => reject(error));
    };

    // An aborted start has nothing worth a graceful stop: Prism is killed outright.
    const onAbort = () => fail(new StartAbortedError("The mock's start was aborted"), 0);
    signal?.addEventListener("abort", onAbort, { once: true });

    const succeed = () => {
      if (settled) {
        return;
      }
      settled = true;
      ready = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(runningServer(child, url, port));
    };

    const timer = setTimeout(
      () => {
        const tail = outputTail(stdout, stderr);
        const output = tail ? `; its output:\n${tail}` : " (it printed nothing)";
        fail(
          new Error(`Prism did not start listening on ${url} within ${startTimeoutMs} ms${output}`),
        );
      },
      Math.max(0, deadline - Date.now()),
    );

    child.stdout?.setEncoding("utf8").on(
      "data",
      lineSplitter((line) => {
        forward(onLog, line);
        if (settled) {
          return;
        }
        stdout.push(line);
        if (!listening && isListeningLine(line)) {
          listening = true;
          // Prism announces the port once bound; a connection proves it is really served.
          void waitForConnection(connectHost(host), port, () => settled).then((ok) => {
            if (ok) {
              succeed();
            }
          });
        }
      }),
    );
    child.stderr?.setEncoding("utf8").on(
      "data",
      // Before Prism is ready, stderr is its usage text and error: kept for the rejection.
      lineSplitter((line) => {
        if (ready) {
          forward(onLog, line);
        } else if (!settled) {
          stderr.push(line);
        }
      }),
    );

    child.once("error", (error) => {
      fail(new Error(`Could not run Prism: ${error.message}`, { cause: error }));
    });
    // "close" comes after the exit and after the last output, so the message is complete.
    child.once("close", (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const message = `Prism could not start the mock on ${url} (it ${how}): ${prismFailureMessage(stdout, stderr)}`;
      fail(isAddressInUse(stdout, stderr) ? new AddressInUseError(message) : new Error(message));
    });

    if (signal?.aborted) {
      onAbort();
    }
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new StartAbortedError("The mock's start was aborted");
  }
}

/** The log callback, with Prism's own base URL in each line replaced by `shownUrl`. */
function showingUrl(
  onLog: ((line: string) => void) | undefined,
  url: string,
  shownUrl: string | undefined,
): ((line: string) => void) | undefined {
  if (!onLog || shownUrl === undefined) {
    return onLog;
  }
  // The URL as a whole: not a prefix of a longer port number.
  const own = new RegExp(`${url.replace(/[.[\]]/g, "\\$&")}(?!\\d)`, "g");
  return (line) => onLog(line.replace(own, shownUrl));
}

/** Passes a line to the caller's log callback; a throwing callback must not break the mock. */
function forward(onLog: ((line: string) => void) | undefined, line: string): void {
  try {
    onLog?.(line);
  } catch {
    // Ignored on purpose: logging is best effort.
  }
}

/** Tries to connect until it succeeds or `gaveUp()` turns true (the start failed or timed out). */
async function waitForConnection(
  host: string,
  port: number,
  gaveUp: () => boolean,
): Promise<boolean> {
  while (!gaveUp()) {
    if (await acceptsConnections(host, port)) {
      return true;
    }
    await sleep(CONNECT_RETRY_MS);
  }
  return false;
}

function runningServer(child: ChildProcess, url: string, port: number): RunningPrism {
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid ?? 0,
    stop: () => {
      stopping ??= stopChild(child);
      return stopping;
    },
  };
}
