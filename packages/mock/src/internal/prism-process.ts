import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";

/** How long a stopped Prism gets to exit on SIGTERM before it is sent SIGKILL. */
const STOP_GRACE_MS = 3_000;

/**
 * Preloaded into Prism's process. The parent holds the other end of an IPC channel, which the
 * operating system closes whenever the parent dies, even by SIGKILL; Prism then ends itself the
 * way stop() would (SIGTERM: immediate, where process.exit() takes Prism a second or two).
 * The channel is unref'd so that it never keeps Prism alive by itself.
 */
const EXIT_WITH_PARENT =
  "if (process.channel) process.channel.unref();" +
  'process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));';

/** Prism processes started by this process and not yet exited. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Absolute path of Prism's CLI script, read from the `bin` field of its package.json. */
export function prismBinPath(): string {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve("@stoplight/prism-cli/package.json");
  const { bin } = JSON.parse(readFileSync(packageJsonPath, "utf8")) as {
    bin: string | Record<string, string>;
  };
  const script = typeof bin === "string" ? bin : bin.prism;
  if (!script) {
    throw new Error(`@stoplight/prism-cli declares no "prism" bin in ${packageJsonPath}`);
  }
  return resolve(dirname(packageJsonPath), script);
}

/**
 * Spawns `prism mock` (or, given an upstream URL, `prism proxy <spec> <upstream> --errors`: a
 * validating proxy whose request and response violations are errors) with this very Node
 * binary, no shell; the child dies with this process.
 */
export function spawnPrism(
  specPath: string,
  host: string,
  port: number,
  upstream?: string,
): ChildProcess {
  const preload = `data:text/javascript,${encodeURIComponent(EXIT_WITH_PARENT)}`;
  const command =
    upstream === undefined ? ["mock", specPath] : ["proxy", specPath, upstream, "--errors"];
  const args = [`--import=${preload}`, prismBinPath(), ...command];
  args.push("--host", host, "--port", String(port));
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // Plain text logs: the lines are parsed (for "listening" and errors) and forwarded as is.
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  child.once("error", () => running.delete(child));
  installExitHook();
  return child;
}

/** True once the child has exited (or never started). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null || !running.has(child);
}

/** Sends SIGTERM, then SIGKILL after a grace period; resolves once the child has exited. */
export function stopChild(child: ChildProcess, graceMs = STOP_GRACE_MS): Promise<void> {
  if (hasExited(child)) {
    return Promise.resolve();
  }
  return new Promise((resolveStop) => {
    const forceKill = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(forceKill);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}

/** On exit (process.exit() or an empty event loop) kills every Prism still running. */
function installExitHook(): void {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of running) {
      child.kill("SIGKILL");
    }
  });
}
