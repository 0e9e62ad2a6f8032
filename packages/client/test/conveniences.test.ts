// What users of Stainless and Octokit SDKs expect besides the methods: headers of their own,
// the HTTP answer of a call that succeeded, and a way to send back a status as it came.
import { describe, expect, it } from "vitest";
import { NotFoundError, toChatStatus, ValidationError } from "../src/index.js";
import { spec } from "./support/contract.js";
import { CHAT, useFaultServer } from "./support/fault-server.js";
import { makeClient, PLANTED_KEY, rejectionOf } from "./support/harness.js";

const server = useFaultServer();
const update = { id: 542335, status: "closed" } as const;

describe("headers", () => {
  it("sends defaultHeaders on every call and a call's own headers over them, case-insensitively", async () => {
    const { hc } = makeClient(server.url, {
      defaultHeaders: { "X-Team": "support", "X-Trace": "default" },
    });
    await hc.chats.updateStatus(update);
    await hc.chats.updateStatus(update, { headers: { "x-trace": "call-1", "X-Extra": "yes" } });
    const [first, second] = server.received;
    expect(first?.headers["x-team"]).toBe("support");
    expect(first?.headers["x-trace"]).toBe("default");
    expect(second?.headers["x-team"]).toBe("support");
    expect(second?.headers["x-trace"]).toBe("call-1");
    expect(second?.headers["x-extra"]).toBe("yes");
    // The key and the JSON type are the client's own, whatever the headers say.
    expect(second?.headers.authorization).toBe(`Bearer ${PLANTED_KEY}`);
    expect(second?.headers["content-type"]).toBe("application/json");
  });

  it.each([
    [{ Authorization: "Bearer other" }],
    [{ "content-type": "text/plain" }],
    [{ "X-Injected": "a\r\nX-Evil: 1" }],
    [{ "Bad Name": "x" }],
    [{ "X-Number": 1 }],
    // Values and names fetch itself refuses (a retried ConnectionError if they got through).
    [{ "X-Name": "\u0100dam" }],
    [{ "X-Delete": "a\u007fb" }],
    [{ "Content-Length": "10" }],
    [{ "Transfer-Encoding": "chunked" }],
    [{ Connection: "close" }],
    [{ "Keep-Alive": "timeout=5" }],
    [{ Upgrade: "websocket" }],
    [{ Expect: "100-continue" }],
  ])("refuses the headers %j with a ValidationError, sending nothing", async (headers) => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      hc.chats.updateStatus(update, { headers: headers as never }),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual(["headers"]);
    expect(server.received).toHaveLength(0);
    expect(() => makeClient(server.url, { defaultHeaders: headers as never })).toThrow(
      ValidationError,
    );
  });

  it("sends Latin-1 values and tabs as fetch allows", async () => {
    const { hc } = makeClient(server.url);
    await hc.chats.updateStatus(update, { headers: { "X-Name": "Ren\u00e9\tM" } });
    expect(server.received[0]?.headers["x-name"]).toBe("Ren\u00e9\tM");
  });

  it("reads each header once: a getter cannot slip a line break past the check", async () => {
    const reads = { default: 0, call: 0 };
    const sly = (which: keyof typeof reads) => ({
      get "X-Trace"() {
        reads[which] += 1;
        return reads[which] === 1 ? which : "ok\r\nX-Evil: 1";
      },
    });
    const { hc } = makeClient(server.url, { defaultHeaders: sly("default") });
    await hc.chats.updateStatus(update);
    await hc.chats.updateStatus(update, { headers: sly("call") });
    expect(reads).toEqual({ default: 1, call: 1 });
    expect(server.received.map((r) => r.headers["x-trace"])).toEqual(["default", "call"]);
    expect(server.received.map((r) => r.headers["x-evil"])).toEqual([undefined, undefined]);
  });
});

describe("withResponse()", () => {
  it("gives the data and the HTTP answer of a call that succeeded", async () => {
    server.script({ json: 200, body: CHAT, headers: { "x-request-id": "req-42" } });
    const { hc } = makeClient(server.url);
    const { data, response } = await hc.chats.updateStatus(update).withResponse();
    expect(data).toEqual(CHAT);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-42");
    expect(response.url).toBe(`${server.url}/chats/status`);
    expect(server.received).toHaveLength(1);
  });

  it("gives a page and the answer of its request", async () => {
    server.script({
      json: 200,
      body: { data: [CHAT], meta: { total: 1 } },
      headers: { "x-request-id": "req-page" },
    });
    const { hc } = makeClient(server.url);
    const { data, response } = await hc.chats.list({ limit: 10 }).withResponse();
    expect(data.data).toEqual([CHAT]);
    expect(data.total).toBe(1);
    expect(response.headers.get("x-request-id")).toBe("req-page");
  });

  it("rejects with the typed error, reported once: no unhandled rejection besides", async () => {
    server.script({ json: 404, body: { errors: [{ code: "not_fount", message: "x" }] } });
    const { hc } = makeClient(server.url);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const error = await rejectionOf(hc.chats.updateStatus(update).withResponse());
      expect(error).toBeInstanceOf(NotFoundError);
      // Unhandled rejections are reported once the microtask queue drains: let it, twice over.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("toChatStatus", () => {
  const accepted: string[] = spec.components.schemas.ChatStatus.enum;
  const reportedOnly: string[] = spec.components.schemas.ReportedChatStatus.anyOf.find(
    (branch: { enum?: string[] }) => branch.enum,
  ).enum;

  it("gives every status a request accepts back unchanged", () => {
    for (const status of accepted) {
      expect(toChatStatus(status)).toBe(status);
    }
  });

  it("turns every other spelling the API reports into the value a request accepts, or none", () => {
    const mapped = Object.fromEntries(reportedOnly.map((status) => [status, toChatStatus(status)]));
    expect(mapped).toEqual({ onhold: "on hold", "on-hold": "on hold", empty: undefined });
  });

  it.each([
    ["On Hold", "on hold"],
    ["ON_HOLD", "on hold"],
    ["  opened ", "opened"],
    ["nocommunication", "no communication"],
    ["no-communication", "no communication"],
    ["archived", undefined],
    ["", undefined],
    [null, undefined],
    [3, undefined],
    ["x".repeat(10_000), undefined],
  ])("reads %j as %j", (reported, expected) => {
    expect(toChatStatus(reported)).toBe(expected);
  });
});
