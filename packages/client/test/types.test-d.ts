// Type-level tests (vitest typecheck): what compiles and what does not.

import { describe, expectTypeOf, test } from "vitest";
import {
  type Chat,
  type ChatStatus,
  type CreateChatRequest,
  createHelpCrunchClient,
  type Page,
  type ReportedChatStatus,
  type WithResponse,
} from "../src/index.js";
import { createRawClient } from "../src/raw.js";

const hc = createHelpCrunchClient({ apiKey: "key" });

describe("methods", () => {
  test("every method resolves to a Chat", () => {
    expectTypeOf(hc.chats.create).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.updateStatus).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.markReadByAgent).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.markReadByCustomer).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.updateAssignee).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.updateDepartment).returns.resolves.toEqualTypeOf<Chat>();
  });

  test("the reading half: get resolves to a Chat, list and search to pages of Chats", () => {
    expectTypeOf(hc.chats.get).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.snooze).returns.resolves.toEqualTypeOf<Chat>();
    expectTypeOf(hc.chats.list).returns.resolves.toEqualTypeOf<Page<Chat>>();
    expectTypeOf(hc.chats.search).returns.resolves.toEqualTypeOf<Page<Chat>>();
    expectTypeOf(hc.chats.list).returns.toMatchTypeOf<AsyncIterable<Chat>>();
    // every parameter of list is optional
    hc.chats.list();
    hc.chats.list({ limit: 100, order: "desc", sort: "chats.createdAt" });
    // @ts-expect-error sort takes the documented fields only
    hc.chats.list({ sort: "createdAt" });
    // @ts-expect-error get needs its id
    hc.chats.get({});
    // @ts-expect-error search filters name a documented field
    hc.chats.search({ filter: [{ field: "chats.nope", operator: "=", value: 1 }] });
    hc.chats.snooze({ id: 1, snoozedUntil: null });
    hc.chats.snooze({ id: 1, snoozedUntil: "1603864800" });
  });

  test("withResponse() gives the data and the Response", () => {
    expectTypeOf(hc.chats.get({ id: 1 }).withResponse()).resolves.toEqualTypeOf<
      WithResponse<Chat>
    >();
    expectTypeOf(hc.chats.list().withResponse()).resolves.toEqualTypeOf<WithResponse<Page<Chat>>>();
  });

  test("the status is one of the six documented values", () => {
    expectTypeOf<ChatStatus>().toEqualTypeOf<
      "new" | "opened" | "pending" | "on hold" | "no communication" | "closed"
    >();
    expectTypeOf(hc.chats.updateStatus)
      .parameter(0)
      .toEqualTypeOf<{ id: number; status: ChatStatus }>();
  });

  test("wrong status values do not compile", () => {
    // @ts-expect-error "onhold" is a response spelling, not a request value
    hc.chats.updateStatus({ id: 1, status: "onhold" });
    // @ts-expect-error "empty" is reported by the API but cannot be set
    hc.chats.updateStatus({ id: 1, status: "empty" });
    // @ts-expect-error case matters
    hc.chats.updateStatus({ id: 1, status: "Closed" });
  });

  test("wrong bodies do not compile", () => {
    // @ts-expect-error application is required to create a chat
    hc.chats.create({ customer: 1 });
    // @ts-expect-error ids are numbers
    hc.chats.updateAssignee({ id: "542335", assignee: 1 });
    // @ts-expect-error read is a boolean
    hc.chats.markReadByAgent({ id: 1, read: "true" });
    // @ts-expect-error unknown fields are rejected
    hc.chats.updateDepartment({ id: 1, department: 2, note: "x" });
    // @ts-expect-error a body is required
    hc.chats.markReadByCustomer();
  });

  test("optional create fields are optional", () => {
    expectTypeOf<CreateChatRequest>().toEqualTypeOf<{
      customer: number;
      application: number;
      assignee?: number;
      department?: number;
    }>();
  });

  test("per-call options are typed", () => {
    hc.chats.updateStatus(
      { id: 1, status: "new" },
      { signal: AbortSignal.timeout(5), timeoutMs: 10, maxRetries: 0 },
    );
    // @ts-expect-error maxRetries is a number
    hc.chats.updateStatus({ id: 1, status: "new" }, { maxRetries: "2" });
  });
});

describe("responses are typed liberally", () => {
  test("a chat's status includes the spellings the API reports", () => {
    expectTypeOf<Chat["status"]>().toEqualTypeOf<ReportedChatStatus | null | undefined>();
    expectTypeOf<"onhold">().toMatchTypeOf<ReportedChatStatus>();
    expectTypeOf<"empty">().toMatchTypeOf<ReportedChatStatus>();
  });

  test("timestamps may be strings, numbers or null; agents a list or one object", () => {
    expectTypeOf<Chat["createdAt"]>().toEqualTypeOf<string | number | null | undefined>();
    expectTypeOf<NonNullable<Chat["agents"]>>().toMatchTypeOf<object>();
    expectTypeOf<Chat["assignee"]>().toMatchTypeOf<object | null | undefined>();
  });
});

describe("createRawClient (@helpcrunch-chats/client/raw)", () => {
  const raw = createRawClient({ apiKey: "k" });
  test("is openapi-fetch typed by the spec's paths", () => {
    raw.PUT("/chats/status", { body: { id: 1, status: "on hold" } });
    // @ts-expect-error there is no such path
    raw.PUT("/chats/archive", { body: { id: 1 } });
    // @ts-expect-error the body is checked too
    raw.PUT("/chats/status", { body: { id: 1, status: "onhold" } });
    // @ts-expect-error /chats takes POST, not PUT
    raw.PUT("/chats", { body: { customer: 1, application: 2 } });
  });
});
