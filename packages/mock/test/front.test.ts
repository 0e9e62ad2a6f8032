// The front server: /v1 like the real API, and the API's error envelope, promptly, for the
// bodies Prism cannot take (it hangs on malformed JSON and fails on deeply nested JSON).
import { once } from "node:events";
import { createServer, request } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../src/index.js";
import { startFront } from "../src/internal/front.js";
import { jsonNestingDepth, MAX_BODY_BYTES, MAX_JSON_DEPTH } from "../src/internal/json-body.js";
import { namedExample, VALID_HEADERS } from "./helpers.js";

/** A safety net only: an answer comes at once or, before the front server, never. */
const SAFETY_NET_MS = 60_000;

/** A valid changeStatus body and its request init. */
const validStatusChange = (): RequestInit => ({
  method: "PUT",
  headers: VALID_HEADERS,
  body: JSON.stringify({ id: 542335, status: "closed" }),
  signal: AbortSignal.timeout(SAFETY_NET_MS),
});

/** Sends `body` to changeStatus as JSON. */
function putStatus(mock: MockServer, body: BodyInit, init: RequestInit = {}): Promise<Response> {
  return fetch(`${mock.url}/chats/status`, {
    method: "PUT",
    headers: VALID_HEADERS,
    body,
    signal: AbortSignal.timeout(SAFETY_NET_MS),
    ...init,
  });
}

/** Asserts the API's error envelope: `invalid_request` first, then entries of code and message. */
async function expectEnvelope(response: Response, status: number, detail: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { errors: { code: string; message: string }[] };
  expect(Object.keys(body)).toEqual(["errors"]);
  expect(body.errors[0]).toEqual({ code: "invalid_request", message: expect.any(String) });
  for (const entry of body.errors) {
    expect(entry).toEqual({ code: expect.any(String), message: expect.any(String) });
  }
  expect(body.errors.map((entry) => entry.message).join(" ")).toMatch(detail);
}

describe("the mock's front server", () => {
  let mock: MockServer;

  beforeAll(async () => {
    mock = await startMockServer();
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it("answers malformed JSON with a 400 envelope (Prism alone never answers it)", async () => {
    const response = await putStatus(mock, '{"id": 542335, "status": "closed"');

    await expectEnvelope(response, 400, /not valid JSON/);
  });

  it.each([
    "application/json , text/plain",
    "application/json, application/json",
    "text/plain, application/json",
    "application/json\tx",
    'application/json; charset="',
    "application/json;charset=utf-16",
  ])("answers a JSON body sent as %j with a 415 envelope, never a 500 or silence", async (type) => {
    const response = await putStatus(mock, JSON.stringify({ id: 542335, status: "closed" }), {
      headers: { ...VALID_HEADERS, "content-type": type },
    });
    await expectEnvelope(response, 415, /application\/json/);
  });

  it("answers JSON nested 100 000 levels deep with a 400 envelope", async () => {
    const response = await putStatus(mock, "[".repeat(100_000));

    await expectEnvelope(response, 400, new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it("answers a body over the cap with a 413 envelope, then serves the next request", async () => {
    const oversized = JSON.stringify({ id: 542335, status: "x".repeat(MAX_BODY_BYTES) });

    const response = await putStatus(mock, oversized);
    await expectEnvelope(response, 413, new RegExp(`larger than ${MAX_BODY_BYTES} bytes`));

    const next = await fetch(`${mock.url}/chats/status`, validStatusChange());
    expect(next.status).toBe(200);
    expect(next.headers.get("sl-violations")).toBeNull();
  });

  it("caps a chunked body of unannounced length too", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(64 * 1024));
    const chunks = Math.ceil(MAX_BODY_BYTES / chunk.length) + 2;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) {
          controller.enqueue(chunk);
        } else {
          controller.close();
        }
      },
    });

    const response = await putStatus(mock, body, { duplex: "half" } as RequestInit);

    await expectEnvelope(response, 413, /larger than/);
  });

  it("has a url ending in /v1 and answers a path outside /v1 with a 404 envelope", async () => {
    expect(mock.url).toMatch(/\/v1$/);
    const outside = new URL("/chats/status", mock.url);

    const response = await fetch(outside, validStatusChange());

    await expectEnvelope(response, 404, /served under \/v1/);
  });

  it("passes a valid request on to Prism: its answer, without sl-violations", async () => {
    const response = await fetch(`${mock.url}/chats`, {
      method: "POST",
      headers: VALID_HEADERS,
      body: JSON.stringify({ customer: 8738438, application: 3838 }),
      signal: AbortSignal.timeout(SAFETY_NET_MS),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("sl-violations")).toBeNull();
    expect(await response.json()).toEqual(namedExample("ChatAsDocumented"));
  });

  it("passes Prism's sl-violations on for well-formed JSON that breaks the schema", async () => {
    const response = await putStatus(mock, JSON.stringify({ id: 542335 }));

    expect(response.status).toBe(400);
    const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]");
    expect(violations).toEqual([
      expect.objectContaining({
        location: ["request", "body"],
        message: expect.stringContaining("'status'"),
      }),
    ]);
  });

  it("answers a request Node cannot parse as HTTP with a 400 envelope", async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${mock.url}/chats/status`, {
        method: "PUT",
        headers: { ...VALID_HEADERS, "content-length": "12", "transfer-encoding": "chunked" },
        timeout: SAFETY_NET_MS,
      });
      req.on("response", (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.on("timeout", () => req.destroy(new Error("no answer")));
      req.end("{}");
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).errors[0].code).toBe("invalid_request");
  });
});

describe("the front server's kept-alive connections to Prism", () => {
  // Prism closes a connection that has been idle 5 s. On a loaded machine the front can send
  // the next request on it before it has seen the close: Prism never reads that request, and
  // the front got a reset instead of an answer (502s under a second `pnpm test`). The
  // upstream here resets every connection the moment a second request arrives on it, which
  // is that race made certain.
  it("sends a request again, once, on a new connection when a reused one was reset unread", async () => {
    const served = new WeakSet<Socket>();
    const reset: (string | undefined)[] = [];
    const upstream = createServer((req, res) => {
      if (served.has(req.socket)) {
        reset.push(req.method);
        req.socket.resetAndDestroy();
        return;
      }
      served.add(req.socket);
      req.resume().on("end", () => {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(`{"method":"${req.method}"}`);
      });
    });
    upstream.listen(0, "127.0.0.1");
    await once(upstream, "listening");
    const front = await startFront({ host: "127.0.0.1", port: 0 });
    front.setUpstream((upstream.address() as AddressInfo).port);
    try {
      for (const method of ["GET", "POST", "GET", "PUT"]) {
        const response = await fetch(`${front.url}/chats`, {
          method,
          headers: { "content-type": "application/json" },
          body: method === "GET" ? undefined : "{}",
          signal: AbortSignal.timeout(SAFETY_NET_MS),
        });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ method });
      }
      // The POST met the GET's connection; the GET after it, a connection of its own (the
      // retry's is not kept); the PUT, that GET's.
      expect(reset).toEqual(["POST", "PUT"]);
    } finally {
      await front.close();
      upstream.close();
    }
  });

  it("answers 502 when the retry is reset too, and never retries a new connection", async () => {
    let requests = 0;
    const upstream = createServer((req, res) => {
      requests++;
      if (requests > 1) {
        req.socket.resetAndDestroy();
        return;
      }
      req.resume().on("end", () => res.writeHead(200).end("{}"));
    });
    upstream.listen(0, "127.0.0.1");
    await once(upstream, "listening");
    const front = await startFront({ host: "127.0.0.1", port: 0 });
    front.setUpstream((upstream.address() as AddressInfo).port);
    const get = () => fetch(`${front.url}/chats`, { signal: AbortSignal.timeout(SAFETY_NET_MS) });
    try {
      expect((await get()).status).toBe(200);
      // On the kept connection, then once on a new one: both reset.
      await expectEnvelope(await get(), 502, /Prism did not answer/);
      expect(requests).toBe(3);
      // On a new connection (none is kept): reset, and not tried again.
      await expectEnvelope(await get(), 502, /Prism did not answer/);
      expect(requests).toBe(4);
    } finally {
      await front.close();
      upstream.close();
    }
  });
});

describe("the JSON nesting scan", () => {
  const depth = (text: string) => jsonNestingDepth(new TextEncoder().encode(text), 1000);

  it("counts arrays and objects, not brackets inside strings", () => {
    expect(depth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(depth('{"a":"[[[{{{"}')).toBe(1);
    expect(depth('["\\"[[[", "é[]"]')).toBe(1);
    expect(depth("42")).toBe(0);
  });

  it("stops as soon as the limit is passed", () => {
    expect(jsonNestingDepth(new TextEncoder().encode("[".repeat(1_000_000)), 64)).toBe(65);
  });
});
