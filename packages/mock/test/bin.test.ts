// The helpcrunch-chats-mock command, run from the build as a user's shell would run it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pickFreePort } from "../src/internal/ports.js";
import { acceptsConnections, occupyPort, VALID_HEADERS } from "./helpers.js";

const BIN = fileURLToPath(new URL("../dist/helpcrunch-chats-mock.js", import.meta.url));

/** Runs the bin with `args`, collecting its output; `exited` resolves with its exit code. */
function runBin(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
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
    expect(url).toBe(`http://127.0.0.1:${port}`);

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
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    run.child.kill("SIGINT");

    expect(await run.exited).toBe(0);
    expect(await acceptsConnections(Number(new URL(url).port))).toBe(false);
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
