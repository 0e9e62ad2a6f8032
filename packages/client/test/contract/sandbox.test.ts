// The client against the stateful sandbox (a HelpCrunch that remembers, behind Prism's
// validating proxy): every operation with the spec's own example request gets an answer the
// contract allows, and a whole workflow keeps its state from call to call, with its webhook
// events arriving signed at a receiver the test runs.
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Sandbox, startSandbox } from "@helpcrunch-chats/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APIError,
  createHelpCrunchClient,
  type HelpCrunchClient,
  NotFoundError,
} from "../../src/index.js";
import { specOperations } from "../support/contract.js";

const API_KEY = "sandbox-contract-key";
const SIGNING_KEY = "whsec-sandbox-contract";

let sandbox: Sandbox;
let receiver: Server;
let hc: HelpCrunchClient;
const events: { event: string; eventData: Record<string, unknown> }[] = [];
const sandboxLog: string[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac("sha1", SIGNING_KEY).update(raw).digest("hex");
      if (req.headers["x-helpcrunch-signature"] !== expected) {
        res.writeHead(401).end();
        return;
      }
      events.push(JSON.parse(raw.toString("utf8")));
      res.writeHead(204).end();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  const { port } = receiver.address() as AddressInfo;
  sandbox = await startSandbox({
    apiKey: API_KEY,
    rateLimit: false,
    webhooks: { url: `http://127.0.0.1:${port}/hooks`, signingKey: SIGNING_KEY },
    onLog: (line) => sandboxLog.push(line),
  });
  hc = createHelpCrunchClient({ apiKey: API_KEY, baseUrl: sandbox.url, rateLimit: false });
});

afterAll(async () => {
  await sandbox?.stop();
  receiver?.close();
  // The sandbox reports an answer the spec does not allow loudly: none may have happened.
  expect(sandboxLog.filter((line) => line.includes("contract violation"))).toEqual([]);
});

describe("every operation, with the spec's example request", () => {
  it.each(specOperations)("$operationId gets an answer the contract allows", async (op) => {
    await sandbox.reset();
    const method = (hc.chats as unknown as Record<string, (input: unknown) => Promise<unknown>>)[
      op.method
    ];
    const outcome = await method?.(op.input).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    if (outcome && "error" in outcome) {
      // An example may name a chat the sandbox does not hold (the documented 404), or one
      // whose state forbids the change (snoozing the closed example chat: the 409).
      expect(outcome.error).toBeInstanceOf(APIError);
      expect(op.errors).toContain((outcome.error as APIError).status);
      expect([404, 409]).toContain((outcome.error as APIError).status);
    } else {
      expect(outcome?.value).toBeTruthy();
    }
  });
});

describe("a workflow", () => {
  it("creates, routes, reads, snoozes and closes a chat, finds it, and sends its events", async () => {
    await sandbox.reset();
    await sandbox.webhooksDelivered();
    events.length = 0;

    const created = await hc.chats.create({ customer: 8738438, application: 3838 });
    expect(created.status).toBe("new");
    const id = created.id;
    await hc.chats.updateAssignee({ id, assignee: 4188 });
    await hc.chats.updateDepartment({ id, department: 233048 });
    expect((await hc.chats.markReadByAgent({ id, read: true })).readByAgent).toBe(true);
    expect((await hc.chats.markReadByCustomer({ id, read: true })).readByCustomer).toBe(true);
    const snoozed = await hc.chats.snooze({ id, snoozedUntil: 1_893_456_000 });
    expect(Number(snoozed.snoozedUntil)).toBe(1_893_456_000);
    const closed = await hc.chats.updateStatus({ id, status: "closed" });
    expect(closed.status).toBe("closed");

    // Read back: the state is kept.
    const read = await hc.chats.get({ id });
    expect(read.status).toBe("closed");
    expect(read.assignee?.id).toBe(4188);
    expect(read.department?.id).toBe(233048);

    // Found by search, and by paging through the whole list two at a time.
    const found = await hc.chats.search({
      filter: [
        { field: "chats.status", operator: "=", value: "closed" },
        { field: "chats.assignee", operator: "=", value: 4188 },
      ],
      comparison: "AND",
    });
    expect(found.data.map((chat) => chat.id)).toContain(id);
    const listed: number[] = [];
    for await (const chat of hc.chats.list({ limit: 2 })) {
      listed.push(chat.id);
    }
    expect(listed).toContain(id);
    expect(new Set(listed).size).toBe(listed.length);

    // Its events arrive, signed, in order.
    await sandbox.webhooksDelivered();
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("chat.new");
    expect(names).toEqual(expect.arrayContaining(["chat.assigned", "chat.snoozed", "chat.closed"]));
    expect(names.indexOf("chat.closed")).toBeGreaterThan(names.indexOf("chat.snoozed"));
  });

  it("answers 404 for a chat it does not hold, as the API does", async () => {
    const error = await hc.chats.get({ id: 999_999_999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).attempts).toBe(1);
  });
});
