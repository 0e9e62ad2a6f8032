// sendWebhook and `helpcrunch-chats-mock send-webhook`: every event of the bundled spec, sent
// to a loopback receiver that checks what an integrator's endpoint would check.
import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendWebhook, webhookEvents } from "../src/index.js";

type Json = Record<string, any>;
const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));

// The spec loaded as the openapi package's tests load it: Ajv for JSON Schema 2020-12.
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addSchema(spec, "openapi");

/** The event schema a webhook's requestBody names, as an Ajv validator. */
function eventSchema(event: string) {
  const ref: string = spec.webhooks[event].post.requestBody.content["application/json"].schema.$ref;
  const validate = ajv.getSchema(`openapi${ref}`);
  if (!validate) {
    throw new Error(`no schema at ${ref}`);
  }
  return { ref, validate };
}

/** The spec's example delivery of a webhook. */
const example = (event: string): Json =>
  Object.values(
    spec.webhooks[event].post.requestBody.content["application/json"].examples as Json,
  )[0].value;

const SIGNING_KEY = "whsec-test-key";
const BIN = fileURLToPath(new URL("../dist/helpcrunch-chats-mock.js", import.meta.url));

interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

// One loopback receiver for the file: it records each request and answers `answer`.
const received: Received[] = [];
let answer = { status: 200, body: "ok" };
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    received.push({ method: request.method, headers: request.headers, raw: Buffer.concat(chunks) });
    response.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
  });
});
let url = "";
beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/helpcrunch`;
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  received.length = 0;
  answer = { status: 200, body: "ok" };
});

/** True if X-HelpCrunch-Signature is the lowercase hex HMAC-SHA1 of the exact bytes received. */
function signedWith(delivery: Received, key: string): boolean {
  const sent = String(delivery.headers["x-helpcrunch-signature"] ?? "");
  const expected = createHmac("sha1", key).update(delivery.raw).digest("hex");
  return /^[0-9a-f]{40}$/.test(sent) && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

const SPEC_EVENTS = Object.keys(spec.webhooks);

describe("sendWebhook", () => {
  it("knows the seven chat events of the bundled spec", () => {
    expect(SPEC_EVENTS).toEqual([
      "chat.new",
      "chat.status_updated",
      "chat.assigned",
      "chat.snoozed",
      "chat.unsnoozed",
      "chat.closed",
      "chat.rated",
    ]);
    expect(webhookEvents()).toEqual(SPEC_EVENTS);
  });

  it.each(SPEC_EVENTS)(
    "sends %s signed, fresh and merged, valid against its schema",
    async (event) => {
      const before = Math.floor(Date.now() / 1000);
      const merged = { id: 777_001, rating: "good", department: null };
      const result = await sendWebhook(url, event, { signingKey: SIGNING_KEY, eventData: merged });
      const after = Math.floor(Date.now() / 1000);

      expect(result).toEqual({ status: 200, body: "ok", sent: expect.any(String) });
      expect(received).toHaveLength(1);
      const [delivery] = received as [Received];
      expect(delivery.method).toBe("POST");
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(signedWith(delivery, SIGNING_KEY)).toBe(true);
      expect(signedWith(delivery, `${SIGNING_KEY}x`)).toBe(false);
      // Serialised once: what was signed is what `sent` reports.
      expect(delivery.raw.toString("utf8")).toBe(result.sent);

      const body = JSON.parse(delivery.raw.toString("utf8"));
      const spec = example(event);
      expect(body.event).toBe(event);
      expect(body.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(body.id).not.toBe(spec.id);
      expect(body.createdAt).toBeGreaterThanOrEqual(before);
      expect(body.createdAt).toBeLessThanOrEqual(after);
      expect(body.lastAttemptAt).toBe(body.createdAt);
      expect(body.attempts).toBe(spec.attempts);
      expect(Object.keys(body).sort()).toEqual(Object.keys(spec).sort());
      // A shallow merge: given fields replace the example's, the rest stay.
      expect(body.eventData).toEqual({ ...spec.eventData, ...merged });

      const { ref, validate } = eventSchema(event);
      expect(ref).toMatch(/^#\/components\/schemas\/Chat\w+WebhookEvent$/);
      expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
      const any = ajv.getSchema("openapi#/components/schemas/ChatWebhookEvent");
      expect(any?.(body)).toBe(true);
    },
  );

  it("sends the example's eventData as it is without eventData, and a new id each time", async () => {
    const first = await sendWebhook(url, "chat.new", { signingKey: SIGNING_KEY });
    const second = await sendWebhook(url, "chat.new", { signingKey: SIGNING_KEY });
    const [a, b] = [JSON.parse(first.sent), JSON.parse(second.sent)];
    expect(a.eventData).toEqual(example("chat.new").eventData);
    expect(a.id).not.toBe(b.id);
    expect(received.map((delivery) => signedWith(delivery, SIGNING_KEY))).toEqual([true, true]);
  });

  it("resolves with whatever the receiver answered, a 500 included", async () => {
    answer = { status: 500, body: "signature rejected" };
    await expect(sendWebhook(url, "chat.closed", { signingKey: SIGNING_KEY })).resolves.toEqual({
      status: 500,
      body: "signature rejected",
      sent: expect.any(String),
    });
    answer = { status: 204, body: "" };
    expect((await sendWebhook(url, "chat.rated", { signingKey: SIGNING_KEY })).status).toBe(204);
  });

  it("rejects an unknown event, listing the known ones, and sends nothing", async () => {
    const sent = sendWebhook(url, "chat.deleted", { signingKey: SIGNING_KEY });
    await expect(sent).rejects.toThrow(/unknown webhook event "chat.deleted"/);
    await expect(sent).rejects.toThrow(SPEC_EVENTS.join(", "));
    await expect(sendWebhook(url, "toString", { signingKey: SIGNING_KEY })).rejects.toThrow(
      /unknown webhook event "toString"/,
    );
    expect(received).toHaveLength(0);
  });

  it("refuses an empty signing key and a URL that is not http(s)", async () => {
    await expect(sendWebhook(url, "chat.new", { signingKey: "" })).rejects.toThrow(
      "signingKey must be a non-empty string",
    );
    for (const bad of ["ftp://127.0.0.1/hook", "not a url", "file:///tmp/hook", ""]) {
      await expect(sendWebhook(bad, "chat.new", { signingKey: SIGNING_KEY })).rejects.toThrow(
        "url must be an http or https URL",
      );
    }
    await expect(
      sendWebhook(url, "chat.new", { signingKey: SIGNING_KEY, eventData: [] as never }),
    ).rejects.toThrow("eventData must be an object");
    expect(received).toHaveLength(0);
  });

  it("rejects when the receiver cannot be reached, and with the reason when aborted", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    await expect(
      sendWebhook(`http://127.0.0.1:${port}/`, "chat.new", { signingKey: SIGNING_KEY }),
    ).rejects.toThrow(/ECONNREFUSED/);

    const aborted = AbortSignal.abort(new Error("no longer wanted"));
    await expect(
      sendWebhook(url, "chat.new", { signingKey: SIGNING_KEY, signal: aborted }),
    ).rejects.toThrow("no longer wanted");
    expect(received).toHaveLength(0);
  });

  it("stops waiting for an answer when the signal aborts mid-delivery", async () => {
    const silent = createServer((request) => {
      request.resume(); // reads the event, never answers
      controller.abort(new Error("gave up waiting"));
    });
    const controller = new AbortController();
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    try {
      const port = (silent.address() as AddressInfo).port;
      await expect(
        sendWebhook(`http://127.0.0.1:${port}/`, "chat.snoozed", {
          signingKey: SIGNING_KEY,
          signal: controller.signal,
        }),
      ).rejects.toThrow("gave up waiting");
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

/** Runs `helpcrunch-chats-mock send-webhook …` from the build; resolves with its code and output. */
async function runSendWebhook(args: string[]) {
  const child = spawn(process.execPath, [BIN, "send-webhook", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output.stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  const [code] = await once(child, "close");
  return { code: code as number | null, ...output };
}

describe("helpcrunch-chats-mock send-webhook", () => {
  it("sends the event, prints the status and exits 0 on a 2xx answer", async () => {
    const run = await runSendWebhook([
      "chat.assigned",
      "--url",
      url,
      "--signing-key",
      SIGNING_KEY,
      "--event-data",
      '{"id": 4242, "communicatedAgents": [7]}',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(`chat.assigned → ${url}: 200 OK\n`);
    expect(received).toHaveLength(1);
    const [delivery] = received as [Received];
    expect(signedWith(delivery, SIGNING_KEY)).toBe(true);
    const body = JSON.parse(delivery.raw.toString("utf8"));
    expect(body.event).toBe("chat.assigned");
    expect(body.eventData).toEqual({
      ...example("chat.assigned").eventData,
      id: 4242,
      communicatedAgents: [7],
    });
    const { validate } = eventSchema("chat.assigned");
    expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("prints the status and exits 1 on a non-2xx answer or when nothing answers", async () => {
    answer = { status: 500, body: "boom" };
    const run = await runSendWebhook(["chat.closed", "--url", url, "--signing-key", SIGNING_KEY]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(`chat.closed → ${url}: 500 Internal Server Error\n`);
    expect(run.stderr).toContain("the endpoint answered: boom");
    expect(received).toHaveLength(1);

    // What the receiver says reaches the terminal written out, never as escape sequences.
    answer = { status: 500, body: `\u001b[2J\u001b]0;owned\u0007\rgone\n${"x".repeat(5000)}` };
    const hostile = await runSendWebhook([
      "chat.closed",
      "--url",
      url,
      "--signing-key",
      SIGNING_KEY,
    ]);
    expect(hostile.stderr).toContain(
      "the endpoint answered: \\u001b[2J\\u001b]0;owned\\u0007\\u000dgone\n",
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting there are none
    expect(hostile.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(hostile.stderr).toContain("… (5020 characters)");
    expect(hostile.stderr.length).toBeLessThan(2500);

    const unreachable = await runSendWebhook([
      "chat.closed",
      "--url",
      "http://127.0.0.1:1/",
      "--signing-key",
      SIGNING_KEY,
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /chat.closed to http:\/\/127.0.0.1:1\/ failed: .*ECONNREFUSED/,
    );
  });

  it("exits 2 with its usage line on a usage error, sending nothing", async () => {
    const cases: [string[], string][] = [
      [["--url", url, "--signing-key", SIGNING_KEY], "which event?"],
      [
        ["chat.deleted", "--url", url, "--signing-key", SIGNING_KEY],
        `unknown event "chat.deleted"; the spec's events are ${SPEC_EVENTS.join(", ")}`,
      ],
      [["chat.new", "--signing-key", SIGNING_KEY], "--url and --signing-key are required"],
      [["chat.new", "--url", url], "--url and --signing-key are required"],
      [["chat.new", "--url", url, "--signing-key", ""], "--signing-key must not be empty"],
      [
        ["chat.new", "--url", "ftp://x/", "--signing-key", SIGNING_KEY],
        "--url must be an http or https URL",
      ],
      [
        ["chat.new", "--url", url, "--signing-key", SIGNING_KEY, "--event-data", "{nope"],
        "--event-data is not JSON",
      ],
      [
        ["chat.new", "--url", url, "--signing-key", SIGNING_KEY, "--event-data", "[1]"],
        "--event-data must be a JSON object",
      ],
      [
        ["chat.new", "--url", url, "--signing-key", SIGNING_KEY, "--bogus"],
        "Unknown option '--bogus'",
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runSendWebhook(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain("Usage: helpcrunch-chats-mock send-webhook <event> --url <url>");
      expect(run.stdout).toBe("");
    }
    expect(received).toHaveLength(0);

    const help = await runSendWebhook(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: helpcrunch-chats-mock send-webhook");
    expect(help.stdout).toContain(`Events: ${SPEC_EVENTS.join(", ")}`);
  });
});
