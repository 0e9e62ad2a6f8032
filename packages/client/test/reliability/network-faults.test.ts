// Broken networks and broken answers: resets, hangs, refused connections, redirects and
// bodies that are empty, HTML, plain text or truncated. Every case asserts the error class,
// how many requests the server saw, and that the planted key appears nowhere.
import { createServer } from "node:net";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APIError,
  BadRequestError,
  ConnectionError,
  HelpCrunchError,
  InternalServerError,
  TimeoutError,
} from "../../src/index.js";
import { CHAT, type Step, useFaultServer } from "../support/fault-server.js";
import { expectNoLeak, makeClient, noBackoffJitter, rejectionOf } from "../support/harness.js";

const server = useFaultServer();
beforeEach(() => {
  noBackoffJitter();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const update = { id: 542335, status: "closed" } as const;
const create = { customer: 8738438, application: 3838, assignee: 4188 } as const;

describe.each([
  ["a reset before the response", { reset: "before-response" }, ConnectionError],
  ["a reset during the body", { reset: "during-body" }, ConnectionError],
  ["a hang past the timeout", { hang: true }, TimeoutError],
] as [string, Step, typeof HelpCrunchError][])("%s", (_, step, ErrorClass) => {
  // A timeout only where the server hangs, and long enough that an attempt the server does
  // answer never races it on a loaded machine.
  const timeoutMs = "hang" in step ? 1500 : 30_000;
  it("is retried for an update, up to maxRetries, then rejects", async () => {
    server.script(step);
    const { hc, logs } = makeClient(server.url, { timeoutMs });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as ConnectionError;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.attempts).toBe(3);
    expect(server.received).toHaveLength(3);
    expectNoLeak(logs, error);
  });

  it("recovers when the next attempt succeeds", async () => {
    server.script(step, { json: 200, body: CHAT });
    const { hc } = makeClient(server.url, { timeoutMs });
    await expect(hc.chats.markReadByCustomer({ id: 1, read: false })).resolves.toEqual(CHAT);
    expect(server.received).toHaveLength(2);
  });

  it("is not retried for a create: exactly one request, so no chat twice", async () => {
    server.script(step, { json: 201, body: CHAT });
    const { hc, logs } = makeClient(server.url, { timeoutMs });
    const error = await rejectionOf(hc.chats.create(create));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(server.received).toHaveLength(1);
    expectNoLeak(logs, error);
  });
});

describe("a connection that never opens", () => {
  let closedPort: number;
  beforeAll(async () => {
    const probe = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => probe.once("listening", resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  it.each(["updateStatus", "create"] as const)(
    "is retried even by %s, since nothing was sent",
    async (method) => {
      const { hc, logs } = makeClient(`http://127.0.0.1:${closedPort}`);
      const call = method === "create" ? hc.chats.create(create) : hc.chats.updateStatus(update);
      const error = (await rejectionOf(call)) as ConnectionError;
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toContain("ECONNREFUSED");
      expect(error.attempts).toBe(3);
      expectNoLeak(logs, error);
    },
  );
});

describe("answers whose body is not what the spec says", () => {
  it.each([
    [
      "an HTML 502",
      {
        reply: 502,
        body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        headers: { "content-type": "text/html" },
      },
      InternalServerError,
      "502 Bad Gateway",
    ],
    [
      "a plain-text 500",
      { reply: 500, body: "upstream exploded", headers: { "content-type": "text/plain" } },
      InternalServerError,
      "upstream exploded",
    ],
    ["an empty 503", { reply: 503 }, InternalServerError, "empty body"],
    [
      "a truncated JSON 400",
      {
        reply: 400,
        body: '{"errors": [{"code": "cust',
        headers: { "content-type": "application/json" },
      },
      BadRequestError,
      '{"errors": [{"code": "cust',
    ],
    [
      "a 400 with a JSON body that is no envelope",
      { json: 400, body: { error: "bad" } },
      BadRequestError,
      '{"error":"bad"}',
    ],
  ] as [string, Step, typeof APIError, string][])(
    "%s gives the status's class and a readable message",
    async (_, step, ErrorClass, text) => {
      server.script(step);
      const { hc, logs } = makeClient(server.url, { maxRetries: 0 });
      const error = (await rejectionOf(hc.chats.updateStatus(update))) as APIError;
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error.errors).toEqual([]);
      expect(error.message).toContain(text);
      expect(error.message).not.toMatch(/<\/?\w+>/);
      expectNoLeak(logs, error);
    },
  );

  it.each([
    [
      "an HTML page",
      { reply: 200, body: "<html>maintenance</html>", headers: { "content-type": "text/html" } },
    ],
    ["an empty body", { reply: 200 }],
    [
      "truncated JSON",
      { reply: 200, body: '{"id": 5', headers: { "content-type": "application/json" } },
    ],
    ["JSON that is not a chat", { json: 200, body: { ok: true } }],
    ["a JSON list", { json: 200, body: [CHAT] }],
    ["a JSON null", { reply: 200, body: "null", headers: { "content-type": "application/json" } }],
  ] as [string, Step][])(
    "a 2xx with %s rejects with a HelpCrunchError, never a TypeError or undefined",
    async (_, step) => {
      server.script(step);
      const { hc, logs } = makeClient(server.url);
      const error = await rejectionOf(hc.chats.updateDepartment({ id: 1, department: 2 }));
      expect(error).toBeInstanceOf(HelpCrunchError);
      expect(error).not.toBeInstanceOf(APIError);
      expect((error as Error).message).toMatch(/updateDepartment \(PUT \/chats\/department\)/);
      expect(server.received).toHaveLength(1);
      expectNoLeak(logs, error);
    },
  );
});

describe("error envelopes that are not quite envelopes", () => {
  it("keeps the entries that are objects and never mistakes the answer for a network failure", async () => {
    server.script({
      json: 400,
      body: { errors: [null, "oops", { code: "customer", message: "Bad" }] },
    });
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as APIError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.errors).toEqual([{ code: "customer", message: "Bad" }]);
    expect(error.message).toContain("customer: Bad");
    expect(server.received).toHaveLength(1);
  });
});

describe("redirects", () => {
  it.each([301, 302, 307, 308])(
    "a %i is not followed and rejects with an APIError",
    async (status) => {
      server.script(
        { reply: status, headers: { location: `${server.url}/chats/status` } },
        { json: 200, body: CHAT },
      );
      const { hc, logs } = makeClient(server.url);
      const error = (await rejectionOf(hc.chats.updateStatus(update))) as APIError;
      expect(error).toBeInstanceOf(APIError);
      expect(error.status).toBe(status);
      expect(error.message).toContain("not followed");
      expect(server.received).toHaveLength(1);
      expectNoLeak(logs, error);
    },
  );
});
