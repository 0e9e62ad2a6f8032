// Starting: free ports, the address-in-use race, and starts that fail with Prism's reason.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openapiYamlPath } from "@helpcrunch-chats/openapi";
import { describe, expect, it } from "vitest";
import { startMockServer } from "../src/index.js";
import { launchPrism } from "../src/internal/launch.js";
import { pickFreePort } from "../src/internal/ports.js";
import { acceptsConnections, occupyPort, prismProcesses, VALID_HEADERS } from "./helpers.js";

describe("starting the mock", () => {
  it("gives two servers started at once different ports, each answering", async () => {
    const [first, second] = await Promise.all([startMockServer(), startMockServer()]);
    try {
      expect(first.port).not.toBe(second.port);
      for (const mock of [first, second]) {
        const response = await fetch(`${mock.url}/chats/readByAgent`, {
          method: "PUT",
          headers: VALID_HEADERS,
          body: JSON.stringify({ id: 5208, read: true }),
        });
        expect(response.status).toBe(200);
      }
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it("rejects with Prism's message when the given port is taken, leaving no Prism", async () => {
    const taken = await occupyPort();
    try {
      await expect(startMockServer({ port: taken.port })).rejects.toThrow(
        `listen EADDRINUSE: address already in use 127.0.0.1:${taken.port}`,
      );
      expect(prismProcesses({ parent: process.pid })).toEqual([]);
    } finally {
      await taken.close();
    }
  });

  it("moves to another free port when the one it picked is taken first", async () => {
    const taken = await occupyPort();
    const picked: number[] = [];
    const mock = await launchPrism({
      specPath: openapiYamlPath,
      host: "127.0.0.1",
      port: undefined,
      startTimeoutMs: 120_000,
      onLog: undefined,
      // The race, made certain: the first "free" port is already someone else's.
      pickPort: async (host) => {
        const port = picked.length === 0 ? taken.port : await pickFreePort(host);
        picked.push(port);
        return port;
      },
    });
    try {
      expect(picked).toHaveLength(2);
      expect(mock.port).toBe(picked[1]);
      expect(await acceptsConnections(mock.port)).toBe(true);
    } finally {
      await mock.stop();
      await taken.close();
    }
  });

  it("rejects with Prism's parse error for a broken spec, leaving no Prism", async () => {
    const specPath = join(mkdtempSync(join(tmpdir(), "mock-test-")), "broken.yaml");
    writeFileSync(specPath, "openapi: 3.1.0\npaths: {{\n");

    const start = startMockServer({ specPath });

    await expect(start).rejects.toThrow(
      /Prism could not start the mock .*: Error parsing .*broken\.yaml/,
    );
    expect(prismProcesses({ specPath })).toEqual([]);
  });

  it("rejects with Prism's message for a spec file that does not exist", async () => {
    const specPath = join(tmpdir(), "mock-test-no-such-spec.yaml");

    await expect(startMockServer({ specPath })).rejects.toThrow(
      /Error opening file .*mock-test-no-such-spec\.yaml[\s\S]*ENOENT/,
    );
  });

  it("gives up after startTimeoutMs and kills the Prism it started", async () => {
    const port = await pickFreePort("127.0.0.1");

    await expect(startMockServer({ port, startTimeoutMs: 1 })).rejects.toThrow(
      /^Prism did not start listening on http:\/\/127\.0\.0\.1:\d+ within 1 ms/,
    );
    expect(prismProcesses({ parent: process.pid })).toEqual([]);
    expect(await acceptsConnections(port)).toBe(false);
  });

  it("rejects an invalid port before starting anything", async () => {
    await expect(startMockServer({ port: 70_000 })).rejects.toThrow(
      "port must be an integer from 1 to 65535",
    );
  });
});
