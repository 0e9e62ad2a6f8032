// The helpcrunch-chats-mock command, run from the build as a user's shell would run it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { pickFreePort } from "../src/internal/ports.js";
import { acceptsConnections, isRunning, occupyPort, VALID_HEADERS, waitUntil } from "./helpers.js";

const BIN = fileURLToPath(new URL("../dist/helpcrunch-chats-mock.js", import.meta.url));

/**
 * Preloaded (through NODE_OPTIONS) into the bin and the Prism it spawns. In Prism only, it
 * records Prism's pid as a file in PRISM_PID_DIR and then blocks Prism for good, before it can
 * ever listen: a start that is certain to be under way when the test signals the bin.
 */
const HOLD_PRISM = `
  import { writeFileSync } from "node:fs";
  if (process.argv[1]?.includes("prism-cli") && process.env.PRISM_PID_DIR) {
    writeFileSync(process.env.PRISM_PID_DIR + "/" + process.pid, "");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
`;

/** Runs the bin with `args`, collecting its output; `exited` resolves with its exit code. */
function runBin(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  const exited = once(child, "close").then(([code]) => code as number | null);
  return { child, output, exited };
}

/** Runs the bin with its Prism held (HOLD_PRISM); `prismPids()` lists the Prisms it spawned. */
function runBinWithPrismHeld(args: string[]) {
  const pidDir = mkdtempSync(join(tmpdir(), "mock-bin-test-"));
  const preload = `--import=data:text/javascript,${encodeURIComponent(HOLD_PRISM)}`;
  const nodeOptions = [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" ");
  const run = runBin(args, { ...process.env, NODE_OPTIONS: nodeOptions, PRISM_PID_DIR: pidDir });
  const prismPids = () => readdirSync(pidDir).map(Number);
  // A held Prism never ends by itself: whatever a failing test leaves is killed.
  onTestFinished(() => {
    for (const pid of [run.child.pid, ...prismPids()]) {
      if (!pid) {
        continue;
      }
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone, as it should be.
      }
    }
  });
  return { ...run, prismPids };
}

/** Resolves with the URL the bin announces, or rejects if it exits first. */
async function announcedUrl(run: ReturnType<typeof runBin>): Promise<string> {
  const announcement = /mock listening on (http:\/\/\S+)/;
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = announcement.exec(run.output.stdout);
      if (match?.[1]) {
        run.child.stdout?.off("data", check);
        resolve(match[1]);
      }
    };
    run.child.stdout?.on("data", check);
    void run.exited.then((code) =>
      reject(new Error(`the bin exited (${code}) before announcing: ${run.output.stderr}`)),
    );
  });
}

describe("the helpcrunch-chats-mock bin", () => {
  it("starts on the given port, answers, and exits cleanly on SIGTERM", async () => {
    const port = await pickFreePort("127.0.0.1");
    const run = runBin(["--port", String(port)]);
    const url = await announcedUrl(run);
    expect(url).toBe(`http://127.0.0.1:${port}/v1`);

    const response = await fetch(`${url}/chats`, {
      method: "POST",
      headers: VALID_HEADERS,
      body: JSON.stringify({ customer: 8738438, application: 3838 }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("sl-violations")).toBeNull();

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output.stdout).toContain("helpcrunch-chats-mock: stopped");
    expect(await acceptsConnections(port)).toBe(false);
  });

  it("picks a free port with --port 0 and exits cleanly on SIGINT (Ctrl+C)", async () => {
    const run = runBin(["--port", "0"]);
    const url = await announcedUrl(run);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);

    run.child.kill("SIGINT");

    expect(await run.exited).toBe(0);
    expect(await acceptsConnections(Number(new URL(url).port))).toBe(false);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`exits at once on ${signal} while Prism starts, never listening, leaving no Prism`, async () => {
      const run = runBinWithPrismHeld(["--port", "0"]);
      // Prism is running (and held, so it cannot have become ready): the start is under way.
      await waitUntil(() => run.prismPids().length > 0, "the bin has spawned Prism", 120_000);
      const [prism] = run.prismPids();

      run.child.kill(signal);

      expect(await run.exited).toBe(0);
      expect(run.output.stdout).toContain(`${signal} received, stopping`);
      expect(run.output.stdout).toContain("helpcrunch-chats-mock: stopped");
      expect(run.output.stdout).not.toContain("listening");
      expect(run.prismPids()).toEqual([prism]);
      expect(prism && isRunning(prism)).toBe(false);
    });
  }

  it("exits on SIGTERM sent right after spawn, never listening, leaving no Prism", async () => {
    const run = runBinWithPrismHeld(["--port", "0"]);

    run.child.kill("SIGTERM");
    const code = await run.exited;

    // Before Node has run the bin's code, SIGTERM's default action ends it; after, the bin's
    // handler does, with 0. Either way it ends, and any Prism it spawned is gone.
    expect(code === 0 || run.child.signalCode === "SIGTERM").toBe(true);
    expect(run.output.stdout).not.toContain("listening");
    for (const pid of run.prismPids()) {
      expect(isRunning(pid)).toBe(false);
    }
  });

  it("fails with Prism's message when the port is taken", async () => {
    const taken = await occupyPort();
    try {
      const run = runBin(["--port", String(taken.port)]);

      expect(await run.exited).toBe(1);
      expect(run.output.stderr).toContain("EADDRINUSE: address already in use");
    } finally {
      await taken.close();
    }
  });

  it("prints its usage with --help and rejects a bad --port", async () => {
    const help = runBin(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output.stdout).toContain(
      "Usage: helpcrunch-chats-mock [--port <port>] [--host <host>]",
    );
    expect(help.output.stdout).toContain("default 4010");

    const bad = runBin(["--port", "eighty"]);
    expect(await bad.exited).toBe(2);
    expect(bad.output.stderr).toContain('--port must be a number from 0 to 65535, not "eighty"');
  });
});
