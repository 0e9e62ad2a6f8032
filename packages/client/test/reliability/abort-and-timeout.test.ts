// The caller's signal and the per-attempt timeout: an abort rejects at once wherever the
// call is (in flight, in a backoff wait, in a rate-limit wait), and nothing more is sent.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, HelpCrunchError, TimeoutError } from "../../src/index.js";
import { CHAT, requestsSeen, useFaultServer } from "../support/fault-server.js";
import { expectNoLeak, makeClient, rejectionOf } from "../support/harness.js";

const server = useFaultServer();
afterEach(() => {
  vi.useRealTimers();
});

const update = { id: 542335, status: "pending" } as const;

/** Resolves to "pending" when the promise has not settled after the I/O already queued ran. */
async function stateOf(promise: Promise<unknown>): Promise<"pending" | "settled"> {
  const marker = Symbol();
  const result = await Promise.race([
    promise.then(
      () => 0,
      () => 0,
    ),
    new Promise((r) => setImmediate(() => r(marker))),
  ]);
  return result === marker ? "pending" : "settled";
}

describe("aborting", () => {
  it("an already-aborted signal sends nothing", async () => {
    const { hc } = makeClient(server.url);
    const error = await rejectionOf(
      hc.chats.updateStatus(update, { signal: AbortSignal.abort("user left") }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toBeInstanceOf(HelpCrunchError);
    expect((error as Error).cause).toBe("user left");
    expect((error as Error).message).toBe(
      "updateStatus (PUT /chats/status): aborted by the signal",
    );
    expect(server.received).toHaveLength(0);
  });

  it("an abort while in flight rejects with AbortError and is not retried", async () => {
    server.script({ hang: true });
    const { hc, logs } = makeClient(server.url);
    const controller = new AbortController();
    const call = hc.chats.updateStatus(update, { signal: controller.signal });
    await requestsSeen(server, 1);
    controller.abort();
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(AbortError);
    expect(server.received).toHaveLength(1);
    expectNoLeak(logs, error);
  });

  it("an abort during a backoff wait rejects without waiting for the timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    server.script({
      json: 503,
      body: { errors: [{ code: "x", message: "y" }] },
      headers: { "retry-after": "30" },
    });
    const { hc } = makeClient(server.url);
    const controller = new AbortController();
    const call = hc.chats.updateStatus(update, { signal: controller.signal });
    await requestsSeen(server, 1);
    expect(await stateOf(call)).toBe("pending");
    controller.abort();
    // No fake time passes: the rejection does not depend on any timer.
    expect(await stateOf(call)).toBe("settled");
    const error = await rejectionOf(call);
    expect(error).toBeInstanceOf(AbortError);
    // Named like every other failure of the call.
    expect((error as Error).message).toBe(
      "updateStatus (PUT /chats/status): aborted by the signal",
    );
    expect(server.received).toHaveLength(1);
  });
});

describe("timeouts", () => {
  it("timeoutMs bounds each attempt, the body included", async () => {
    server.script({ hang: true });
    const { hc } = makeClient(server.url, { timeoutMs: 50, maxRetries: 1 });
    const error = await rejectionOf(hc.chats.updateStatus(update));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).attempts).toBe(2);
    expect((error as Error).message).toContain("timed out after 50 ms");
  });

  it("a per-call timeoutMs overrides the client's", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    server.script({ hang: true });
    const { hc } = makeClient(server.url, { timeoutMs: 60_000, maxRetries: 0 });
    const call = hc.chats.updateStatus(update, { timeoutMs: 1000 });
    await requestsSeen(server, 1);
    await vi.advanceTimersByTimeAsync(999);
    expect(await stateOf(call)).toBe("pending");
    await vi.advanceTimersByTimeAsync(1);
    await expect(call).rejects.toBeInstanceOf(TimeoutError);
  });

  it("the default timeout is 30 s per attempt", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    server.script({ hang: true }, { json: 200, body: CHAT });
    const { hc } = makeClient(server.url);
    const call = hc.chats.updateStatus(update);
    await requestsSeen(server, 1);
    vi.spyOn(Math, "random").mockReturnValue(0);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(await stateOf(call)).toBe("pending");
    expect(server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // the attempt times out
    await vi.advanceTimersByTimeAsync(1); // a zero backoff is a 1 ms timer
    await requestsSeen(server, 2);
    await expect(call).resolves.toEqual(CHAT);
    vi.restoreAllMocks();
  });
});
