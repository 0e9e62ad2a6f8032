// The client-side rate limit: one bucket per client, shared by all its calls. Calls past
// the limit wait for a token instead of failing, in arrival order, and can be aborted.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AbortError, RateLimitWaitError } from "../../src/index.js";
import { sleep } from "../../src/internal/wait.js";
import { CHAT, requestsSeen, useFaultServer } from "../support/fault-server.js";
import { expectNoLeak, makeClient, rejectionOf } from "../support/harness.js";

const server = useFaultServer();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const call = (hc: ReturnType<typeof makeClient>["hc"], id: number, signal?: AbortSignal) =>
  hc.chats.updateStatus({ id, status: "opened" }, { signal });

describe("the rate limit", () => {
  it("defaults to 120 a minute: a burst of 125 sends 120 at once, then one every 500 ms", async () => {
    const { hc, logs } = makeClient(server.url, { rateLimit: undefined });
    const calls = Array.from({ length: 125 }, (_, i) => call(hc, i + 1));
    await requestsSeen(server, 120);
    await vi.advanceTimersByTimeAsync(499);
    expect(server.received).toHaveLength(120);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 121);
    await vi.advanceTimersByTimeAsync(2000);
    await requestsSeen(server, 125);
    await expect(Promise.all(calls)).resolves.toHaveLength(125);
    // Each wait is logged at info with its length: 500 ms, then 1000 ms... for the fifth.
    expect(logs.filter((line) => line.includes("for the rate limit"))).toEqual(
      [500, 1000, 1500, 2000, 2500].map(
        (ms) =>
          `info [helpcrunch] updateStatus (PUT /chats/status): waiting ${ms} ms for the rate limit`,
      ),
    );
    expectNoLeak(logs);
  });

  it("serves waiting calls in arrival order", async () => {
    const { hc } = makeClient(server.url, { rateLimit: { requestsPerMinute: 2 } });
    const calls = [1, 2, 3, 4].map((id) => call(hc, id));
    await requestsSeen(server, 2);
    await vi.advanceTimersByTimeAsync(30_000);
    await requestsSeen(server, 3);
    await vi.advanceTimersByTimeAsync(30_000);
    await requestsSeen(server, 4);
    await Promise.all(calls);
    expect(server.received.map((r) => JSON.parse(r.body).id)).toEqual([1, 2, 3, 4]);
  });

  it("is shared by all calls of one client, whatever the method, but not across clients", async () => {
    const first = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } }).hc;
    const second = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } }).hc;
    const calls = [
      first.chats.updateAssignee({ id: 1, assignee: 2 }),
      first.chats.markReadByAgent({ id: 1, read: true }),
      second.chats.updateDepartment({ id: 1, department: 3 }),
    ];
    await requestsSeen(server, 2);
    expect(server.received.map((r) => r.url).sort()).toEqual([
      "/chats/assignee",
      "/chats/department",
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    await requestsSeen(server, 3);
    await Promise.all(calls);
  });

  it("lets a waiting call be aborted at once, without sending it, and gives its turn back", async () => {
    const { hc, logs } = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } });
    const controller = new AbortController();
    const first = call(hc, 1);
    const waiting = call(hc, 2, controller.signal);
    await requestsSeen(server, 1);
    controller.abort();
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(AbortError);
    expectNoLeak(logs, error);
    const next = call(hc, 3);
    await vi.advanceTimersByTimeAsync(60_000);
    await requestsSeen(server, 2);
    await Promise.all([first, next]);
    expect(server.received.map((r) => JSON.parse(r.body).id)).toEqual([1, 3]);
  });

  it("is off with rateLimit: false", async () => {
    const { hc } = makeClient(server.url, { rateLimit: false });
    await Promise.all(Array.from({ length: 200 }, (_, i) => call(hc, i + 1)));
    expect(server.received).toHaveLength(200);
  });

  it("also paces retries: every attempt takes a token", async () => {
    server.script(
      {
        json: 503,
        body: { errors: [{ code: "x", message: "y" }] },
        headers: { "retry-after": "0" },
      },
      { json: 200, body: CHAT },
    );
    const { hc } = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } });
    const pending = call(hc, 1);
    await requestsSeen(server, 1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 2);
    await expect(pending).resolves.toEqual(CHAT);
  });

  it("rejects with AbortError when the signal aborts during the wait, even with retries left", async () => {
    const { hc } = makeClient(server.url, { rateLimit: { requestsPerMinute: 1 } });
    await call(hc, 1);
    const error = await rejectionOf(call(hc, 2, AbortSignal.timeout(10)));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.received).toHaveLength(1);
  }, 5000);

  it("rejects at once, sending nothing, a call that would wait past rateLimit.maxWaitMs", async () => {
    const { hc, logs } = makeClient(server.url, {
      rateLimit: { requestsPerMinute: 2, maxWaitMs: 10_000 },
    });
    await Promise.all([call(hc, 1), call(hc, 2)]);
    const error = (await rejectionOf(call(hc, 3))) as RateLimitWaitError;
    expect(error).toBeInstanceOf(RateLimitWaitError);
    expect(error.waitMs).toBe(30_000);
    expect(error.message).toContain("wait 30000 ms");
    expect(error.message).toContain("maxWaitMs (10000 ms)");
    expect(server.received).toHaveLength(2);
    expect(logs.some((line) => line.startsWith("warn") && line.includes("30000 ms"))).toBe(true);
    // Its slot was not taken: the next call within the bound goes when the first slot frees.
    await vi.advanceTimersByTimeAsync(20_000);
    const next = call(hc, 4);
    await vi.advanceTimersByTimeAsync(10_000);
    await requestsSeen(server, 3);
    await next;
    expect(JSON.parse(server.received[2]?.body ?? "{}").id).toBe(4);
  });

  it("sleeps waits longer than the longest timer without firing early", async () => {
    // A timer of 2^31 ms or more fires at once; a wait that long (a queue of 36 000 calls at
    // one a minute) is slept as a chain of timers instead.
    let done = false;
    const wait = sleep(2 ** 31 + 1000, undefined).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await wait;
    expect(done).toBe(true);
  });
});
