// The sandbox as a user's test sees it: a workflow whose every step is remembered, and whose
// changes arrive as signed webhooks at a loopback receiver.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/index.js";
import { call, type Delivery, signedWith, webhookReceiver } from "./sandbox-helpers.js";

const SIGNING_KEY = "whsec-sandbox-test";
const SNOOZE_UNTIL = 1_893_456_000;

describe("a sandbox workflow", () => {
  let sandbox: Sandbox;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  const log: string[] = [];

  beforeAll(async () => {
    receiver = await webhookReceiver();
    sandbox = await startSandbox({
      webhooks: { url: receiver.url, signingKey: SIGNING_KEY },
      onLog: (line) => log.push(line),
    });
  });

  afterAll(async () => {
    await sandbox?.stop();
    await receiver?.close();
  });

  it("creates, assigns, routes, marks read, snoozes, closes, finds and reports a chat", async () => {
    const url = sandbox.url;
    expect(url).toBe(`http://127.0.0.1:${sandbox.port}/v1`);

    const created = await call(url, "POST", "/chats", { customer: 8738438, application: 3838 });
    expect(created.status).toBe(201);
    const chat = created.body;
    expect([542335, 542336, 542337]).not.toContain(chat.id);
    expect(chat).toMatchObject({
      status: "new",
      applicationId: 3838,
      // A customer the sandbox knows from its chats is described, not only named by id.
      customer: { id: 8738438, name: "John Customer", email: "john@example.com" },
      assignee: null,
      department: null,
      readByAgent: false,
      readByCustomer: false,
      snoozedUntil: null,
      closedAt: null,
    });
    expect(chat.createdAt).toMatch(/^[0-9]+$/);
    const id: number = chat.id;

    const assigned = await call(url, "PUT", "/chats/assignee", { id, assignee: 4188 });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toMatchObject({ id: 4188, name: "Jane Agent" });

    const routed = await call(url, "PUT", "/chats/department", { id, department: 233048 });
    expect(routed.status).toBe(200);
    expect(routed.body.department).toEqual({ id: 233048, name: "Support" });

    expect(
      (await call(url, "PUT", "/chats/readByAgent", { id, read: true })).body.readByAgent,
    ).toBe(true);
    const read = await call(url, "PUT", "/chats/readByCustomer", { id, read: true });
    expect(read.body).toMatchObject({ readByAgent: true, readByCustomer: true });

    const snoozed = await call(url, "PUT", "/chats/snooze", { id, snoozedUntil: SNOOZE_UNTIL });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.snoozedUntil).toBe(`${SNOOZE_UNTIL}.000`);

    const closed = await call(url, "PUT", "/chats/status", { id, status: "closed" });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: "closed", closedBy: "agent" });
    expect(closed.body.closedAt).toMatch(/^[0-9]+$/);

    // Get sees every change.
    const got = await call(url, "GET", `/chats/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(closed.body);
    expect(got.body).toMatchObject({
      assignee: { id: 4188 },
      department: { id: 233048 },
      readByAgent: true,
      readByCustomer: true,
      snoozedUntil: `${SNOOZE_UNTIL}.000`,
    });

    // Search finds it by what changed, and only it.
    const found = await call(url, "POST", "/chats/search", {
      filter: [
        { field: "chats.assignee", operator: "=", value: 4188 },
        { field: "chats.department", operator: "=", value: 233048 },
        { field: "chats.status", operator: "=", value: "closed" },
        { field: "chats.createdAt", operator: ">=", value: chat.createdAt },
      ],
      comparison: "AND",
    });
    expect(found.status).toBe(200);
    expect(found.body.data.map((each: { id: number }) => each.id)).toEqual([id]);
    expect(found.body.meta).toEqual({ total: 1 });

    // Paging through the list, one chat a page, meets it once among all four.
    const seen: number[] = [];
    for (let offset = 0; ; offset++) {
      const page = await call(
        url,
        "GET",
        `/chats?offset=${offset}&limit=1&sort=chats.createdAt&order=asc`,
      );
      expect(page.status).toBe(200);
      expect(page.body.meta.total).toBe(4);
      if (page.body.data.length === 0) {
        break;
      }
      seen.push(page.body.data[0].id);
    }
    expect(seen).toHaveLength(4);
    expect(seen.filter((each) => each === id)).toHaveLength(1);
    expect(seen.at(-1)).toBe(id); // the newest, last in ascending order of creation

    // Its webhook events arrived, in order, each signed over its exact bytes.
    await sandbox.webhooksDelivered();
    const events = receiver.deliveries.map((delivery) => parse(delivery));
    expect(events.map((event) => event.event)).toEqual([
      "chat.new",
      "chat.assigned",
      "chat.snoozed",
      "chat.status_updated",
      "chat.closed",
    ]);
    for (const delivery of receiver.deliveries) {
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(signedWith(delivery, SIGNING_KEY)).toBe(true);
      expect(signedWith(delivery, "another-key")).toBe(false);
    }
    const ids = new Set(events.map((event) => event.id));
    expect(ids.size).toBe(events.length);
    for (const event of events) {
      expect(event.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(event.attempts).toBe(0);
      expect(Number.isInteger(event.lastAttemptAt)).toBe(true);
      expect(Number.isInteger(event.createdAt)).toBe(true);
      expect(event.eventData).toMatchObject({ applicationId: 3838, customer: { id: 8738438 } });
      expect(event.eventData.createdAt).toMatch(/^[0-9]+\.[0-9]{3}$/);
    }
    const [created_, assigned_, snoozed_, updated_, closed_] = events.map(
      (event) => event.eventData,
    );
    expect(created_).toMatchObject({
      status: "new",
      snoozedUntil: null,
      closedAt: null,
      department: null,
    });
    expect(assigned_).toMatchObject({ department: null });
    expect(snoozed_).toMatchObject({
      snoozedUntil: `${SNOOZE_UNTIL}.000`,
      department: { id: 233048 },
    });
    expect(updated_).toMatchObject({ status: "closed", closedBy: "agent" });
    expect(closed_.closedAt).toMatch(/^[0-9]+\.[0-9]{3}$/);
    expect(closed_.communicatedAgents).toEqual([]);

    // Nothing in the whole workflow broke the contract.
    expect(log.filter((line) => line.includes("[sandbox]"))).toEqual([]);
  });

  it("unsnoozes with snoozedUntil: null, and refuses to snooze a closed chat with the 409", async () => {
    const url = sandbox.url;
    const snoozed = await call(url, "PUT", "/chats/snooze", {
      id: 542337,
      snoozedUntil: "1900000000",
    });
    expect(snoozed.body.snoozedUntil).toBe("1900000000.000");
    const unsnoozed = await call(url, "PUT", "/chats/snooze", { id: 542337, snoozedUntil: null });
    expect(unsnoozed.status).toBe(200);
    expect(unsnoozed.body.snoozedUntil).toBeNull();

    // 542335 is closed from the start (the spec's page example).
    const conflict = await call(url, "PUT", "/chats/snooze", {
      id: 542335,
      snoozedUntil: SNOOZE_UNTIL,
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({
      errors: [
        { code: "invalid_request", message: "Invalid request" },
        { code: "conflict", message: "Snooze chat is not allowed for closed chat" },
      ],
    });
    await sandbox.webhooksDelivered();
    expect(receiver.deliveries.slice(-2).map((delivery) => parse(delivery).event)).toEqual([
      "chat.snoozed",
      "chat.unsnoozed",
    ]);
  });
});

function parse(delivery: Delivery) {
  return JSON.parse(delivery.raw.toString("utf8"));
}
