// Answers built to hurt: huge or inflating bodies, bodies that cannot be decoded, text that
// forges log lines, JSON nested a million levels deep. Each case asserts the typed error, how
// many requests were sent (an answer that arrived is never retried as a network failure),
// and that what reaches messages and logs is bounded and on one line.
import { execFile } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createGzip, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  ConflictError,
  ConnectionError,
  HelpCrunchError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  ResponseTooLargeError,
  ValidationError,
} from "../../src/index.js";
import { CHAT, useFaultServer } from "../support/fault-server.js";
import { expectNoLeak, makeClient, noBackoffJitter, rejectionOf } from "../support/harness.js";

const server = useFaultServer();
beforeEach(() => {
  noBackoffJitter();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const update = { id: 542335, status: "closed" } as const;
const create = { customer: 8738438, application: 3838 } as const;
const MiB = 1024 * 1024;

/** Asserts a message or log line is one printable line of bounded length. */
function expectOneBoundedLine(text: string, max = 600): void {
  expect(text.length).toBeLessThanOrEqual(max);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the check
  expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
}

describe("the size of an answer", () => {
  it("stops reading past maxResponseBytes, counted after decompression, and never retries", async () => {
    const inflated = Buffer.alloc(8 * MiB, "a");
    const bomb = gzipSync(inflated);
    expect(bomb.length).toBeLessThan(64 * 1024); // small on the wire, 8 MiB once inflated
    server.script({
      reply: 200,
      body: bomb,
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    const { hc, logs } = makeClient(server.url, { maxResponseBytes: MiB });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as ResponseTooLargeError;
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toBeInstanceOf(HelpCrunchError);
    expect(error.status).toBe(200);
    expect(error.maxResponseBytes).toBe(MiB);
    expect(error.message).toContain("maxResponseBytes");
    expect(server.received).toHaveLength(1);
    expectNoLeak(logs, error);
  });

  it("refuses at once an answer whose Content-Length announces more than the cap", async () => {
    server.script({
      reply: 404,
      body: "x".repeat(2048),
      headers: { "content-type": "text/plain" },
    });
    const { hc } = makeClient(server.url, { maxResponseBytes: 1024 });
    const error = (await rejectionOf(hc.chats.create(create))) as ResponseTooLargeError;
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.status).toBe(404);
    expect(server.received).toHaveLength(1);
  });

  it("defaults to 4 MiB: a 3 MiB chat is read, a 5 MiB one is refused", async () => {
    const chatOf = (bytes: number) => ({ ...CHAT, lastMessageText: "m".repeat(bytes) });
    const { hc } = makeClient(server.url);
    server.script({ json: 200, body: chatOf(3 * MiB) });
    await expect(hc.chats.updateStatus(update)).resolves.toMatchObject({ id: CHAT.id });
    server.script({ json: 200, body: chatOf(5 * MiB) });
    await expect(hc.chats.updateStatus(update)).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("keeps memory bounded against a gzip bomb of 1 GiB (measured in a child process)", async () => {
    // A server that streams gzip of zeros, 1 GiB once inflated, for as long as it is read.
    const bombServer = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      const gzip = createGzip({ level: 1 });
      gzip.pipe(res);
      const zeros = Buffer.alloc(MiB);
      let sent = 0;
      const pump = () => {
        while (sent < 1024) {
          sent++;
          if (!gzip.write(zeros)) {
            gzip.once("drain", pump);
            return;
          }
        }
        gzip.end();
      };
      res.on("close", () => gzip.destroy());
      pump();
    });
    bombServer.listen(0, "127.0.0.1");
    await once(bombServer, "listening");
    const url = `http://127.0.0.1:${(bombServer.address() as AddressInfo).port}`;
    const dist = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
    const child = `
      const { createHelpCrunchClient } = await import(${JSON.stringify(dist)});
      const hc = createHelpCrunchClient({ apiKey: "k", baseUrl: ${JSON.stringify(url)}, rateLimit: false });
      const error = await hc.chats.updateStatus({ id: 1, status: "new" }).catch((e) => e);
      console.log(JSON.stringify({ name: error?.name, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
    `;
    try {
      // execFile, not execFileSync: the bomb server lives in this process and must answer.
      const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ["--input-type=module", "-e", child], (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        );
      });
      const { name, maxRssMiB } = JSON.parse(output.trim());
      expect(name).toBe("ResponseTooLargeError");
      // Node itself takes about 50 MiB; reading 1 GiB would take more than a gigabyte.
      expect(maxRssMiB).toBeLessThan(160);
    } finally {
      bombServer.closeAllConnections();
      bombServer.close();
    }
  });
});

describe("an answer that arrived but cannot be read is not a network failure", () => {
  const corruptGzip = Buffer.from("1f8b0800000000000003ffffffffdeadbeef", "hex");

  it.each([
    [
      "a 404 whose JSON is cut",
      { reply: 404, body: '{"errors": [{"code": "not_fo' },
      NotFoundError,
    ],
    [
      "a 404 whose gzip is corrupt",
      { reply: 404, body: corruptGzip, headers: { "content-encoding": "gzip" } },
      NotFoundError,
    ],
    [
      "a 409 nested a million levels deep",
      { reply: 409, body: `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}` },
      ConflictError,
    ],
  ] as const)(
    "%s keeps its status class and is sent once, even by a PUT",
    async (_, step, ErrorClass) => {
      server.script(step);
      const { hc, logs } = makeClient(server.url);
      const error = (await rejectionOf(hc.chats.updateStatus(update))) as NotFoundError;
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).not.toBeInstanceOf(ConnectionError);
      expect(error.errors).toEqual([]);
      expect(error.attempts).toBe(1);
      expect(server.received).toHaveLength(1);
      expect(error.message).not.toContain("undefined");
      expectOneBoundedLine(error.message);
      expectNoLeak(logs, error);
    },
  );

  it("a 200 whose gzip is corrupt is an InvalidResponseError, sent once", async () => {
    server.script({ reply: 200, body: corruptGzip, headers: { "content-encoding": "gzip" } });
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as InvalidResponseError;
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.status).toBe(200);
    expect(server.received).toHaveLength(1);
  });

  it("a fetch that resolves to something other than a Response is not retried", async () => {
    let calls = 0;
    const { hc } = makeClient(server.url, {
      fetch: (async () => {
        calls++;
        return { status: "200" };
      }) as unknown as typeof fetch,
    });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as HelpCrunchError;
    expect(error).toBeInstanceOf(HelpCrunchError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("did not resolve to a Response");
    expect(calls).toBe(1);
  });

  it("a fetch that throws something other than a network failure is not retried, and says so", async () => {
    let calls = 0;
    const { hc } = makeClient(server.url, {
      fetch: (async () => {
        calls++;
        throw new RangeError("my wrapper broke");
      }) as typeof fetch,
    });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as HelpCrunchError;
    expect(error).toBeInstanceOf(HelpCrunchError);
    expect(error).not.toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(
      "updateStatus (PUT /chats/status): fetch threw RangeError: my wrapper broke",
    );
    expect(calls).toBe(1);
  });

  it("a fetch option that is not a function is refused when the client is created", () => {
    expect(() => makeClient(server.url, { fetch: "fetch" as unknown as typeof fetch })).toThrow(
      ValidationError,
    );
  });
});

describe("a network failure names its code and the host it tried", () => {
  it("for a refused connection", async () => {
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { hc } = makeClient(`http://127.0.0.1:${port}/v1`, { maxRetries: 0 });
    const error = (await rejectionOf(hc.chats.create(create))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).not.toContain("undefined");
  });

  it("for a fetch that fails without a code", async () => {
    const { hc } = makeClient(server.url, {
      maxRetries: 0,
      fetch: (async () => {
        throw new TypeError("fetch failed");
      }) as typeof fetch,
    });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain("fetch failed");
    expect(error.message).toContain(new URL(server.url).host);
    expect(error.message).not.toContain("undefined");
  });
});

describe("server text in messages and logs", () => {
  it("is cut before a character outside the BMP, never through it", async () => {
    // 199 characters then an emoji (two UTF-16 units): the 200-character cut falls inside it.
    server.script({ reply: 500, body: `${"a".repeat(199)}\u{1F600}${"b".repeat(50)}` });
    const { hc } = makeClient(server.url, { maxRetries: 0 });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as Error;
    expect(error.message).toMatch(/a{199}…$/);
    // No lone surrogate anywhere in the message.
    expect(error.message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("is bounded and escaped: a forged log line stays inside one line", async () => {
    const forged = "gone\n[helpcrunch] updateStatus: all good\u001b[2J\u0000\r\u2028";
    server.script({
      json: 409,
      body: { errors: [{ code: `conflict\n${"c".repeat(5000)}`, message: forged.repeat(500) }] },
    });
    const { hc, logs } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expectOneBoundedLine(error.message);
    // Line breaks become spaces, other control characters are written out.
    expect(error.message).toContain("gone [helpcrunch] updateStatus: all good\\u001b[2J\\u0000");
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expectOneBoundedLine(line);
    }
    // The envelope itself is kept as the server sent it, for code that reads it.
    expect(error.errors[0]?.message).toBe(forged.repeat(500));
  });

  it.each([
    ["1 MB of '<'", "<".repeat(1_000_000)],
    ["1 MB of unclosed tags", "<a ".repeat(333_333)],
    ["1 MB of newlines and escapes", "\n\u001b[31m".repeat(166_666)],
  ])("handles an error page of %s with a short one-line message", async (_, page) => {
    server.script({ reply: 500, body: page, headers: { "content-type": "text/html" } });
    const { hc, logs } = makeClient(server.url, { maxRetries: 0 });
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expectOneBoundedLine(error.message);
    for (const line of logs) {
      expectOneBoundedLine(line);
    }
  });
});

describe("a 404 that is not the API's", () => {
  it("says which URL was requested and that baseUrl should end in /v1", async () => {
    server.script({
      reply: 404,
      body: "Cannot PUT /chats/status",
      headers: { "content-type": "text/plain" },
    });
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain(`${server.url}/chats/status`);
    expect(error.message).toContain("/v1");
  });

  it("keeps the API's own 404 message when the body is the envelope", async () => {
    server.script({
      json: 404,
      body: { errors: [{ code: "not_fount", message: 'Chat for ID "1" was not found' }] },
    });
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as NotFoundError;
    expect(error.message).toContain('not_fount: Chat for ID "1" was not found');
    expect(error.message).not.toContain("baseUrl");
  });
});

describe("answers found by probing", () => {
  it("bounds the message of an envelope with 30 000 entries to one short line", async () => {
    const errors = Array.from({ length: 30_000 }, (_, i) => ({
      code: `c${i}`,
      message: "\u0001".repeat(10),
    }));
    server.script({ json: 409, body: { errors } });
    const { hc, logs } = makeClient(server.url);
    const error = (await rejectionOf(hc.chats.updateStatus(update))) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.errors).toHaveLength(30_000);
    expectOneBoundedLine(error.message, 800);
    for (const line of logs) {
      expectOneBoundedLine(line, 1000);
    }
  });

  it("refuses a page whose items are not objects with an InvalidResponseError", async () => {
    server.script({ json: 200, body: { data: [null], meta: { total: 1 } } });
    const { hc } = makeClient(server.url);
    const error = await rejectionOf(hc.chats.list({ limit: 1 }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(server.received).toHaveLength(1);
  });
});
