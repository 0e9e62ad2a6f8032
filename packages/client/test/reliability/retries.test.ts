// Which failures are retried, how many times, and how long the client waits first.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  HelpCrunchError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "../../src/index.js";
import { CHAT, requestsSeen, useFaultServer } from "../support/fault-server.js";
import {
  expectNoLeak,
  makeClient,
  noBackoffJitter,
  PLANTED_KEY,
  rejectionOf,
} from "../support/harness.js";

const server = useFaultServer();
beforeEach(() => {
  noBackoffJitter();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const envelope = (code: string, message: string) => ({
  errors: [
    { code: "invalid_request", message: "Invalid request" },
    { code, message },
  ],
});

const update = { id: 542335, status: "on hold" } as const;
const create = { customer: 8738438, application: 3838 } as const;

describe("a successful call", () => {
  it("sends the body as JSON with the bearer key, once, and resolves to the chat", async () => {
    server.script({ json: 200, body: CHAT });
    const { hc, logs } = makeClient(server.url);
    await expect(hc.chats.updateStatus(update)).resolves.toEqual(CHAT);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request).toMatchObject({ method: "PUT", url: "/chats/status" });
    expect(request?.headers.authorization).toBe(`Bearer ${PLANTED_KEY}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request?.body ?? "")).toEqual(update);
    expectNoLeak(logs);
  });

  it("creates a chat with POST /chats and a 201", async () => {
    server.script({ json: 201, body: CHAT });
    const { hc } = makeClient(server.url);
    await expect(hc.chats.create(create)).resolves.toEqual(CHAT);
    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual(["POST /chats"]);
  });
});

describe("statuses that are never retried", () => {
  it.each([
    [400, BadRequestError, "customer"],
    [401, AuthenticationError, "unauthorized"],
    [403, PermissionDeniedError, "forbidden"],
    [404, NotFoundError, "not_fount"],
    [409, ConflictError, "conflict"],
  ])("%i rejects at once with %o and the envelope's codes", async (status, ErrorClass, code) => {
    server.script({ json: status, body: envelope(code, "Details") });
    for (const call of [
      () => makeClient(server.url).hc.chats.updateStatus(update),
      () => makeClient(server.url).hc.chats.create(create),
    ]) {
      server.received.length = 0;
      const error = (await rejectionOf(call())) as APIError;
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toBeInstanceOf(HelpCrunchError);
      expect(error.status).toBe(status);
      expect(error.errors.map((e) => e.code)).toEqual(["invalid_request", code]);
      expect(error.attempts).toBe(1);
      expect(error.message).toContain(`${code}: Details`);
      expect(server.received).toHaveLength(1);
      expectNoLeak([], error);
    }
  });
});

describe("retryable statuses", () => {
  it.each([408, 429, 500, 502, 503, 504])(
    "an update retries on %i and succeeds",
    async (status) => {
      server.script({ json: status, body: envelope("x", "transient") }, { json: 200, body: CHAT });
      const { hc, logs } = makeClient(server.url);
      await expect(hc.chats.updateStatus(update)).resolves.toEqual(CHAT);
      expect(server.received).toHaveLength(2);
      expect(logs.some((line) => line.startsWith("info") && line.includes("retry 1/2"))).toBe(true);
      expectNoLeak(logs);
    },
  );

  it("gives up after maxRetries with the last error and the attempt count", async () => {
    server.script({ json: 503, body: envelope("unavailable", "Try later") });
    const { hc, logs } = makeClient(server.url, { maxRetries: 3 });
    const error = (await rejectionOf(hc.chats.markReadByAgent({ id: 1, read: true }))) as APIError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.attempts).toBe(4);
    expect(server.received).toHaveLength(4);
    expectNoLeak(logs, error);
  });

  it("takes maxRetries per call over the client's", async () => {
    server.script({ json: 500, body: envelope("x", "y") });
    const { hc } = makeClient(server.url, { maxRetries: 5 });
    await rejectionOf(hc.chats.updateAssignee({ id: 1, assignee: 2 }, { maxRetries: 0 }));
    expect(server.received).toHaveLength(1);
  });

  it.each([500, 502, 503, 504, 408])(
    "a create is not retried on %i: one request, no second chat",
    async (status) => {
      server.script({ json: status, body: envelope("x", "y") }, { json: 201, body: CHAT });
      const { hc, logs } = makeClient(server.url);
      const error = (await rejectionOf(hc.chats.create(create))) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(status);
      expect(server.received).toHaveLength(1);
      expectNoLeak(logs, error);
    },
  );

  it("a create is retried on 429, where the API did nothing", async () => {
    server.script(
      { json: 429, body: envelope("too_many_requests", "Too many requests") },
      { json: 201, body: CHAT },
    );
    const { hc } = makeClient(server.url);
    await expect(hc.chats.create(create)).resolves.toEqual(CHAT);
    expect(server.received).toHaveLength(2);
  });
});

describe("waiting before a retry", () => {
  const tooMany = envelope("too_many_requests", "Too many requests");

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });

  it.each([
    ["Retry-After in seconds", { "retry-after": "7" }, 7000],
    ["Retry-After as an HTTP date", "date", 12_000],
  ] as const)("honours %s", async (_, headers, waitMs) => {
    const retryHeaders =
      headers === "date" ? { "retry-after": new Date(Date.now() + waitMs).toUTCString() } : headers;
    server.script({ json: 429, body: tooMany, headers: retryHeaders }, { json: 200, body: CHAT });
    const { hc } = makeClient(server.url);
    const call = hc.chats.updateDepartment({ id: 1, department: 2 });
    await requestsSeen(server, 1);
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await requestsSeen(server, 2);
    await expect(call).resolves.toEqual(CHAT);
  });

  it("does not sleep a Retry-After over 60 s: rejects at once with retryAfterMs set", async () => {
    server.script(
      { json: 429, body: tooMany, headers: { "retry-after": "120" } },
      { json: 200, body: CHAT },
    );
    const { hc, logs } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(server.received).toHaveLength(1);
    expectNoLeak(logs, error);
    expect(logs.some((line) => line.startsWith("warn"))).toBe(true);
  });

  it("backs off with full jitter when the server names no wait: up to 0.5 s, then 1 s", async () => {
    vi.mocked(Math.random).mockReturnValue(0.999);
    server.script(
      { json: 503, body: envelope("x", "y") },
      { json: 503, body: envelope("x", "y") },
      { json: 200, body: CHAT },
    );
    const { hc } = makeClient(server.url);
    const call = hc.chats.updateStatus(update);
    await requestsSeen(server, 1);
    await vi.advanceTimersByTimeAsync(498);
    expect(server.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2);
    await requestsSeen(server, 2);
    await vi.advanceTimersByTimeAsync(997);
    expect(server.received).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3);
    await requestsSeen(server, 3);
    await expect(call).resolves.toEqual(CHAT);
  });

  it("sets retryAfterMs on a 429 that exhausts its retries", async () => {
    server.script({ json: 429, body: tooMany, headers: { "retry-after": "2" } });
    const { hc } = makeClient(server.url, { maxRetries: 0 });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(2000);
  });

  it.each([
    ["a fraction of seconds", "1.5"],
    ["a negative number", "-1"],
    ["a signed number", "+3"],
    ["words", "soon"],
    ["an ISO date", "2030-01-01T00:00:00Z"],
    ["a date without weekday and GMT", "01 Jan 2030 00:00:00"],
    ["a header of 100 digits", "9".repeat(100)],
    ["a date that does not exist", "Tue, 31 Feb 2026 00:00:00 GMT"],
    ["a date in another zone", "Tue, 01 Dec 2026 00:00:00 PST"],
    ["a date with a made-up month", "Tue, 01 Foo 2026 00:00:00 GMT"],
  ])("ignores a Retry-After of %s and falls back to the backoff", async (_, value) => {
    server.script(
      { json: 429, body: tooMany, headers: { "retry-after": value } },
      { json: 200, body: CHAT },
    );
    const { hc } = makeClient(server.url, { maxRetries: 0 });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBeUndefined();
    // The backoff (jitter pinned to 0) retries at once, where a misread header would wait.
    const { hc: retrying } = makeClient(server.url, { maxRetries: 1 });
    server.received.length = 0;
    const call = retrying.chats.updateStatus(update);
    await vi.advanceTimersByTimeAsync(0);
    await requestsSeen(server, 2);
    await expect(call).resolves.toEqual(CHAT);
  });

  it("reads the obsolete HTTP-date forms RFC 9110 still allows", async () => {
    vi.setSystemTime(new Date("2026-11-30T23:59:55Z"));
    // Five seconds later: Tuesday, 1 December 2026, 00:00:00 GMT, in each form.
    const forms = [
      "Tue, 01 Dec 2026 00:00:00 GMT",
      "Tuesday, 01-Dec-26 00:00:00 GMT",
      "Tue Dec  1 00:00:00 2026",
    ];
    for (const value of forms) {
      server.script({ json: 429, body: tooMany, headers: { "retry-after": value } });
      const { hc } = makeClient(server.url, { maxRetries: 0 });
      const error = (await rejectionOf(hc.chats.updateStatus(update))) as RateLimitError;
      expect(error.retryAfterMs, value).toBe(5000);
    }
  });
});
