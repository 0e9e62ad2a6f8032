// The webhook receiver helpers (`@helpcrunch-chats/client/webhooks`). Signatures are checked
// against an independent HMAC-SHA1: `openssl dgst -sha1 -hmac KEY`, run as a child process on
// the very bytes given to verifyWebhookSignature. Then the built entry is read to check it
// imports nothing from `node:` and that the main entry carries none of it, and every webhook
// example of the bundled spec makes a signed round trip through a loopback node:http receiver.
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HelpCrunchError } from "../src/errors.js";
import {
  type ChatWebhookEvent,
  parseWebhookEvent,
  verifyWebhookSignature,
  WebhookVerificationError,
} from "../src/webhooks.js";

type Json = Record<string, any>;

const KEY = "whsk-planted-7c1e0b9a-signing-key";
const OTHER_KEY = "whsk-some-other-key";

/** HMAC-SHA1 of `body` as openssl computes it: lowercase hex. */
function opensslHmac(body: Uint8Array | string, key: string): string {
  const out = execFileSync("openssl", ["dgst", "-sha1", "-hmac", key], { input: body });
  const hex = out.toString("utf8").trim().split(/\s+/).at(-1) ?? "";
  expect(hex).toMatch(/^[0-9a-f]{40}$/);
  return hex;
}

const event = (fields: Json = {}) => ({
  id: "3f1d8a52-6b0e-4c2a-9f5e-1a2b3c4d5e01",
  event: "chat.closed",
  eventData: {
    communicatedAgents: [4188],
    customer: { id: 8738438, name: "John Customer", email: "john@example.com", userId: "user-42" },
    closedBy: "agent",
    status: "closed",
    closedAt: "1607545630.713",
    createdAt: "1607542030.713",
    applicationId: 3838,
  },
  attempts: 0,
  lastAttemptAt: 1607545630,
  createdAt: 1607545630,
  ...fields,
});

const ASCII_BODY = JSON.stringify(event());
const UTF8_BODY = JSON.stringify(
  event({
    eventData: { customer: { id: 1, name: "Zoë Ñúñez 张伟 🚀" }, lastMessageText: "Ça va ?" },
  }),
);
const CRLF_BODY = JSON.stringify(event(), null, 2).replace(/\n/g, "\r\n");
const BODIES: [string, string][] = [
  ["an ASCII body", ASCII_BODY],
  ["a UTF-8 body (accents, CJK, emoji)", UTF8_BODY],
  ["a CRLF body, pretty-printed", CRLF_BODY],
];

/** Every secret-bearing input of a test, to check no message repeats it. */
function expectNoSecret(error: unknown, ...secrets: string[]) {
  const text = `${String(error)} ${(error as Error).stack ?? ""} ${JSON.stringify(error)}`;
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
  }
}

describe("verifyWebhookSignature, against openssl's HMAC-SHA1", () => {
  it("finds openssl on the machine", () => {
    expect(execFileSync("openssl", ["version"]).toString()).toMatch(/SSL/);
  });

  describe.each(BODIES)("%s", (_, text) => {
    const bytes = new TextEncoder().encode(text);
    const signature = opensslHmac(bytes, KEY);

    it("accepts openssl's signature for the string, its bytes, a Buffer and an ArrayBuffer", async () => {
      expect(await verifyWebhookSignature(text, signature, KEY)).toBe(true);
      expect(await verifyWebhookSignature(bytes, signature, KEY)).toBe(true);
      expect(await verifyWebhookSignature(Buffer.from(text, "utf8"), signature, KEY)).toBe(true);
      expect(await verifyWebhookSignature(bytes.slice().buffer, signature, KEY)).toBe(true);
      // A view into a larger buffer: only its own bytes count.
      const padded = new Uint8Array(bytes.length + 8);
      padded.set(bytes, 4);
      expect(
        await verifyWebhookSignature(padded.subarray(4, 4 + bytes.length), signature, KEY),
      ).toBe(true);
    });

    it("accepts the signature in upper case", async () => {
      expect(await verifyWebhookSignature(text, signature.toUpperCase(), KEY)).toBe(true);
    });

    it("refuses a body with one byte flipped", async () => {
      for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
        const flipped = bytes.slice();
        flipped[at] = (flipped[at] as number) ^ 0x01;
        expect(await verifyWebhookSignature(flipped, signature, KEY), `byte ${at}`).toBe(false);
      }
    });

    it("refuses a signature with one hex digit changed", async () => {
      const last = signature.at(-1) === "0" ? "1" : "0";
      expect(await verifyWebhookSignature(text, `${signature.slice(0, -1)}${last}`, KEY)).toBe(
        false,
      );
    });

    it("refuses the signature made with another key, and a key that differs by a byte", async () => {
      expect(await verifyWebhookSignature(text, opensslHmac(bytes, OTHER_KEY), KEY)).toBe(false);
      expect(await verifyWebhookSignature(text, signature, `${KEY}x`)).toBe(false);
      expect(await verifyWebhookSignature(text, signature, KEY.slice(0, -1))).toBe(false);
    });
  });

  it("refuses re-serialised JSON: the raw bytes are what is signed", async () => {
    const crlf = CRLF_BODY;
    const signature = opensslHmac(crlf, KEY);
    expect(await verifyWebhookSignature(crlf, signature, KEY)).toBe(true);
    expect(await verifyWebhookSignature(JSON.stringify(JSON.parse(crlf)), signature, KEY)).toBe(
      false,
    );
  });

  it.each([
    ["missing", () => undefined],
    ["null", () => null],
    ["empty", () => ""],
    ["truncated to 39 characters", (good: string) => good.slice(0, 39)],
    ["one character too long", (good: string) => `${good}0`],
    ["half the length", (good: string) => good.slice(0, 20)],
    ["not hex", (good: string) => `g${good.slice(1)}`],
    ["with spaces around it", (good: string) => ` ${good} `],
    ["prefixed sha1=", (good: string) => `sha1=${good}`],
    ["sent twice (a list)", (good: string) => [good, good]],
  ])("returns false, never throws, for a signature %s", async (_, signatureOf) => {
    const text = ASCII_BODY;
    const signature = signatureOf(opensslHmac(text, KEY));
    await expect(verifyWebhookSignature(text, signature, KEY)).resolves.toBe(false);
  });

  it("returns false, never throws, for a key that is empty or not a string, or a body that is not bytes", async () => {
    const text = ASCII_BODY;
    const good = opensslHmac(text, KEY);
    for (const key of ["", undefined, null, 42, {}]) {
      await expect(verifyWebhookSignature(text, good, key as string)).resolves.toBe(false);
    }
    for (const body of [undefined, null, JSON.parse(text), 42]) {
      await expect(verifyWebhookSignature(body, good, KEY)).resolves.toBe(false);
    }
  });

  it("verifies an empty body like any other", async () => {
    expect(await verifyWebhookSignature("", opensslHmac("", KEY), KEY)).toBe(true);
  });
});

describe("parseWebhookEvent", () => {
  const sign = (body: string) => createHmac("sha1", KEY).update(body).digest("hex");

  it("returns the event of a verified body, from a string or from bytes", async () => {
    const text = UTF8_BODY;
    const parsed = await parseWebhookEvent(text, sign(text), KEY);
    expect(parsed).toEqual(JSON.parse(text));
    expect(await parseWebhookEvent(Buffer.from(text), sign(text), KEY)).toEqual(JSON.parse(text));
  });

  it("passes event types outside the chat events through, for a default branch", async () => {
    const text = JSON.stringify({ ...event(), event: "customer.new", eventData: { id: 1 } });
    expect((await parseWebhookEvent(text, sign(text), KEY)).event).toBe("customer.new");
  });

  it("throws a WebhookVerificationError (a HelpCrunchError) on a bad signature", async () => {
    const text = ASCII_BODY;
    const error = await parseWebhookEvent(text, sign(`${text} `), KEY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toBeInstanceOf(HelpCrunchError);
    expect(error).toMatchObject({ name: "WebhookVerificationError", reason: "signature" });
    expect((error as Error).message).toMatch(/X-HelpCrunch-Signature does not match/);
    expectNoSecret(error, KEY, text, sign(`${text} `));
    const missing = await parseWebhookEvent(text, undefined, KEY).catch((e: unknown) => e);
    expect(missing).toMatchObject({ reason: "signature" });
  });

  it.each([
    ["not JSON", 'event=chat.new&token="whsk-planted-7c1e0b9a-signing-key"'],
    ["truncated JSON", ASCII_BODY.slice(0, 60)],
    ["a JSON array", JSON.stringify([event()])],
    ["a JSON string", JSON.stringify("chat.new")],
    ["null", "null"],
    ["an object without event", JSON.stringify({ ...event(), event: undefined })],
    ["an event that is not a string", JSON.stringify({ ...event(), event: 7 })],
    ["no eventData", JSON.stringify({ ...event(), eventData: undefined })],
    ["eventData that is not an object", JSON.stringify({ ...event(), eventData: "chat" })],
    ["eventData as a list", JSON.stringify({ ...event(), eventData: [] })],
  ])("throws reason body, quoting neither key nor body, on %s", async (_, text) => {
    const error = await parseWebhookEvent(text, sign(text), KEY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect(error).toMatchObject({ reason: "body" });
    expect((error as Error).cause).toBeUndefined();
    expectNoSecret(error, KEY, text);
  });

  it("throws reason body on bytes that are not UTF-8", async () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const signature = createHmac("sha1", KEY).update(bytes).digest("hex");
    await expect(parseWebhookEvent(bytes, signature, KEY)).rejects.toMatchObject({
      reason: "body",
    });
  });

  it("never puts the key in a message, whatever fails", async () => {
    const text = ASCII_BODY;
    const failures = await Promise.all([
      parseWebhookEvent(text, "0".repeat(40), KEY).catch((e: unknown) => e),
      parseWebhookEvent(text, sign(text), `${KEY}!`).catch((e: unknown) => e),
      parseWebhookEvent("[]", sign("[]"), KEY).catch((e: unknown) => e),
    ]);
    for (const error of failures) {
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expectNoSecret(error, KEY, `${KEY}!`);
    }
  });
});

describe("the built entries", () => {
  const dist = join(dirname(dirname(fileURLToPath(import.meta.url))), "dist");

  /** A built file and every file it imports relatively, transitively: what a bundler pulls in. */
  function graph(entry: string, seen = new Map<string, string>()): Map<string, string> {
    const file = join(dist, entry);
    if (seen.has(file)) {
      return seen;
    }
    const code = readFileSync(file, "utf8");
    seen.set(file, code);
    for (const [, spec] of code.matchAll(/(?:from|import)\s*\(?\s*["'](\.\/[^"']+)["']/g)) {
      graph(spec as string, seen);
    }
    return seen;
  }

  beforeAll(() => {
    for (const file of ["index.js", "webhooks.js", "webhooks.d.ts"]) {
      if (!existsSync(join(dist, file))) {
        throw new Error(`dist/${file} is missing: build the client first (turbo's test task does)`);
      }
    }
  });

  it("are exported as . and ./webhooks, with types", () => {
    const manifest = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8"));
    expect(manifest.exports["./webhooks"]).toEqual({
      types: "./dist/webhooks.d.ts",
      default: "./dist/webhooks.js",
    });
  });

  it("webhooks.js imports nothing from node: and nothing but its own chunks", () => {
    const files = graph("webhooks.js");
    for (const [file, code] of files) {
      expect(code, file).not.toMatch(/["']node:/);
      expect(code, file).not.toMatch(/\brequire\s*\(/);
      expect(code, file).not.toMatch(/\bprocess\./);
      const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
        (m) => m[1],
      );
      for (const specifier of specifiers) {
        expect(specifier, file).toMatch(/^\.\//);
      }
    }
    expect([...files.values()].join("\n")).toContain("crypto.subtle");
  });

  it("index.js, with what it imports, carries none of the webhook code", () => {
    const code = [...graph("index.js").values()].join("\n");
    expect(code).toContain("createHelpCrunchClient");
    for (const marker of [
      "verifyWebhookSignature",
      "parseWebhookEvent",
      "WebhookVerificationError",
      "X-HelpCrunch-Signature",
      "HMAC",
      // Web Crypto's key import, the webhook check's; the main entry's rate limit only digests
      // (SHA-256 of the API key, for a shared store's key).
      "importKey",
    ]) {
      expect(code, marker).not.toContain(marker);
    }
  });

  it("webhooks.js works as built, and shares HelpCrunchError with the main entry", async () => {
    const webhooks = await import(join(dist, "webhooks.js"));
    const main = await import(join(dist, "index.js"));
    const text = ASCII_BODY;
    const signature = opensslHmac(text, KEY);
    expect(await webhooks.verifyWebhookSignature(text, signature, KEY)).toBe(true);
    const error = await webhooks
      .parseWebhookEvent(text, "0".repeat(40), KEY)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(webhooks.WebhookVerificationError);
    expect(error).toBeInstanceOf(main.HelpCrunchError);
  });
});

describe("a loopback round trip of every webhook example in the bundled spec", () => {
  const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));
  const deref = (node: Json): Json =>
    typeof node.$ref === "string"
      ? node.$ref
          .slice(2)
          .split("/")
          .reduce((n: Json, key: string) => n[key], spec)
      : node;
  const deliveries = Object.entries(spec.webhooks as Json).flatMap(([name, item]) =>
    Object.entries(item.post.requestBody.content["application/json"].examples as Json).map(
      ([title, example]) => ({ name, title, value: deref(example).value as Json }),
    ),
  );

  let server: Server;
  let url: string;
  const received: ChatWebhookEvent[] = [];

  beforeAll(async () => {
    // A receiver as the README writes it: raw bytes first, verify, then parse.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) {
        chunks.push(chunk as Buffer);
      }
      try {
        const delivered = await parseWebhookEvent(
          Buffer.concat(chunks),
          req.headers["x-helpcrunch-signature"],
          KEY,
        );
        received.push(delivered);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ received: delivered.id, event: delivered.event }));
      } catch (error) {
        res.writeHead(error instanceof WebhookVerificationError ? 401 : 500);
        res.end();
      }
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/helpcrunch/webhooks`;
  });

  afterAll(async () => {
    server?.close();
    if (server?.listening) {
      await once(server, "close");
    }
  });

  const post = (body: string, signature: string | undefined) =>
    fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(signature ? { "x-helpcrunch-signature": signature } : {}),
      },
      body,
    });

  it("has an example for each of the seven chat events", () => {
    expect(new Set(deliveries.map((d) => d.name)).size).toBe(7);
  });

  it.each(deliveries.map((d) => [`${d.name} (${d.title})`, d] as const))(
    "delivers %s, signed with node:crypto, and gets 200",
    async (_, delivery) => {
      const body = JSON.stringify(delivery.value, null, 1);
      const signature = createHmac("sha1", KEY).update(body, "utf8").digest("hex");
      const answer = await post(body, signature);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ received: delivery.value.id, event: delivery.name });
      expect(received.at(-1)).toEqual(delivery.value);
    },
  );

  it("answers 401 to a tampered, an unsigned or a wrongly keyed delivery", async () => {
    const value = deliveries[0]?.value as Json;
    const body = JSON.stringify(value);
    const signature = createHmac("sha1", KEY).update(body).digest("hex");
    const tampered = body.replace('"attempts":0', '"attempts":1');
    expect(tampered).not.toBe(body);
    expect((await post(tampered, signature)).status).toBe(401);
    expect((await post(body, undefined)).status).toBe(401);
    const wrongKey = createHmac("sha1", OTHER_KEY).update(body).digest("hex");
    expect((await post(body, wrongKey)).status).toBe(401);
  });
});

describe("bodies that hold no bytes (found by probing)", () => {
  const detached = () => {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    return buffer;
  };
  it.each([
    ["a detached ArrayBuffer", () => detached()],
    [
      "a Uint8Array whose buffer was detached",
      () => {
        const view = new Uint8Array(8);
        structuredClone(view.buffer, { transfer: [view.buffer] });
        return view;
      },
    ],
  ])("%s is false to verify and a WebhookVerificationError to parse", async (_, body) => {
    const signature = "a".repeat(40);
    await expect(verifyWebhookSignature(body(), signature, "key")).resolves.toBe(false);
    await expect(parseWebhookEvent(body(), signature, "key")).rejects.toBeInstanceOf(
      WebhookVerificationError,
    );
  });
});
