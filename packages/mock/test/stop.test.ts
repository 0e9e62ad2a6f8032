// Stopping: stop() leaves nothing behind, and neither does a parent that never calls it.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { startMockServer } from "../src/index.js";
import { acceptsConnections, isRunning, waitUntil } from "./helpers.js";

const DIST_INDEX = new URL("../dist/index.js", import.meta.url).href;

/**
 * Runs a separate Node process that starts a mock from the built package, prints
 * `{ pid, port }` and then does `then` (never calling stop()).
 */
async function parentWithMock(then: string) {
  const script = `
    import { startMockServer } from ${JSON.stringify(DIST_INDEX)};
    const mock = await startMockServer();
    console.log(JSON.stringify({ pid: mock.pid, port: mock.port }));
    ${then}
  `;
  const parent = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = once(parent, "exit");
  let output = "";
  for await (const chunk of parent.stdout) {
    output += chunk;
    if (output.includes("\n")) {
      break;
    }
  }
  if (!output.includes("\n")) {
    throw new Error("the parent process exited before starting a mock (is the package built?)");
  }
  const prism: { pid: number; port: number } = JSON.parse(output);
  return { parent, prism, exited };
}

describe("stopping the mock", () => {
  it("closes the port and ends Prism before stop() resolves, and stops again harmlessly", async () => {
    const mock = await startMockServer();
    expect(isRunning(mock.pid)).toBe(true);
    expect(await acceptsConnections(mock.port)).toBe(true);

    await Promise.all([mock.stop(), mock.stop()]);

    expect(isRunning(mock.pid)).toBe(false);
    expect(await acceptsConnections(mock.port)).toBe(false);
    await expect(mock.stop()).resolves.toBeUndefined();
  });

  it("kills Prism when the parent process exits without stopping it", async () => {
    const { prism, exited } = await parentWithMock("process.exit(0);");

    const [code] = await exited;

    expect(code).toBe(0);
    await waitUntil(() => !isRunning(prism.pid), "the orphaned Prism has exited");
    await waitUntil(async () => !(await acceptsConnections(prism.port)), "its port is closed");
  });

  it("kills Prism when the parent process is killed with SIGKILL", async () => {
    const { parent, prism, exited } = await parentWithMock("setInterval(() => {}, 60_000);");
    expect(isRunning(prism.pid)).toBe(true);

    parent.kill("SIGKILL");
    await exited;

    await waitUntil(() => !isRunning(prism.pid), "the orphaned Prism has exited");
    await waitUntil(async () => !(await acceptsConnections(prism.port)), "its port is closed");
  });
});
