// The API key never leaks: not through errors (message, stack, JSON, inspection with
// hidden properties), not through the client object, not through any log line.

import { inspect } from "node:util";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { NotFoundError } from "../src/index.js";
import { createRawClient } from "../src/raw.js";
import { CHAT, useFaultServer } from "./support/fault-server.js";
import {
  expectNoLeak,
  makeClient,
  noBackoffJitter,
  PLANTED_KEY,
  rejectionOf,
} from "./support/harness.js";

const server = useFaultServer();
beforeEach(() => {
  noBackoffJitter();
});

describe("the API key", () => {
  it("does not show in the client object, however it is printed", () => {
    const { hc } = makeClient(server.url);
    expectNoLeak([], hc, hc.chats, createRawClient({ apiKey: PLANTED_KEY }));
    expect(inspect(hc, { showHidden: true, depth: Number.POSITIVE_INFINITY })).not.toContain(
      PLANTED_KEY,
    );
  });

  it("does not show in any error or log line across every failure kind", async () => {
    // Only the call to a hanging server has a short timeout: the others must not race one.
    const { hc, logs } = makeClient(server.url, { maxRetries: 1 });
    const errors: unknown[] = [];
    server.script({
      json: 401,
      body: { errors: [{ code: "unauthorized", message: `Bad key ${"*".repeat(8)}` }] },
    });
    errors.push(await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" })));
    server.script({ reply: 502, body: "<h1>Bad gateway</h1>" });
    errors.push(await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" })));
    server.script({ reset: "before-response" });
    errors.push(await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" })));
    server.script({ hang: true });
    errors.push(
      await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" }, { timeoutMs: 100 })),
    );
    errors.push(await rejectionOf(hc.chats.updateStatus({ id: 1, status: "later" } as never)));
    errors.push(
      await rejectionOf(
        hc.chats.updateStatus({ id: 1, status: "new" }, { signal: AbortSignal.abort() }),
      ),
    );
    expect(errors.map((e) => (e as Error).name)).toEqual([
      "AuthenticationError",
      "InternalServerError",
      "ConnectionError",
      "TimeoutError",
      "ValidationError",
      "AbortError",
    ]);
    expect(logs.length).toBeGreaterThan(10);
    expectNoLeak(logs, ...errors);
  });
});

describe("logging", () => {
  it("is off by default: the logger receives nothing", async () => {
    const logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    const { hc } = makeClient(server.url, { logger, logLevel: undefined });
    server.script({ json: 500, body: { errors: [{ code: "x", message: "y" }] } });
    await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" }));
    for (const method of Object.values(logger)) {
      expect(method).not.toHaveBeenCalled();
    }
  });

  it("reports attempts at debug, retries at info, and the final failure at error", async () => {
    const { hc, logs } = makeClient(server.url, { maxRetries: 1 });
    server.script({ json: 503, body: { errors: [{ code: "x", message: "y" }] } });
    await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" }));
    expect(logs).toEqual([
      "debug [helpcrunch] updateStatus (PUT /chats/status): attempt 1",
      "info [helpcrunch] updateStatus (PUT /chats/status) failed with 503: x: y; retry 1/1 in 0 ms",
      "debug [helpcrunch] updateStatus (PUT /chats/status): attempt 2",
      "error [helpcrunch] updateStatus (PUT /chats/status) failed with 503: x: y",
    ]);
  });

  it("passes only messages at or above the chosen level", async () => {
    const { hc, logs } = makeClient(server.url, { maxRetries: 1, logLevel: "warn" });
    server.script({ json: 503, body: { errors: [{ code: "x", message: "y" }] } });
    await rejectionOf(hc.chats.updateStatus({ id: 1, status: "new" }));
    expect(logs.map((line) => line.split(" ")[0])).toEqual(["error"]);
  });

  it("a logger that throws does not change the call's outcome", async () => {
    const broken = () => {
      throw new Error("disk full");
    };
    const logger = { error: broken, warn: broken, info: broken, debug: broken };
    const { hc } = makeClient(server.url, { logger, maxRetries: 1 });
    server.script(
      { json: 503, body: { errors: [{ code: "x", message: "y" }] } },
      { json: 200, body: CHAT },
    );
    await expect(hc.chats.updateStatus({ id: 1, status: "new" })).resolves.toEqual(CHAT);
    server.script({ json: 404, body: { errors: [{ code: "not_fount", message: "no" }] } });
    await expect(hc.chats.updateStatus({ id: 1, status: "new" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
