// Search honours every documented field and operator, AND and OR, sort, order, offset, limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxChat, startSandbox } from "../src/index.js";
import { call } from "./sandbox-helpers.js";

const CHATS: SandboxChat[] = [
  {
    id: 1,
    status: "opened",
    rating: "great",
    createdAt: "1000",
    closedAt: null,
    lastMessageAt: "1500",
    agents: [{ id: 10 }, { id: 11 }],
    assignee: { id: 10 },
    department: { id: 100 },
    customer: { id: 500, email: "Ann@Example.com", tagsData: [{ name: "Lead" }, { name: "VIP" }] },
  },
  {
    id: 2,
    status: "closed",
    rating: "poor",
    createdAt: 2000,
    closedAt: "2500",
    lastMessageAt: "2600",
    agents: [],
    assignee: null,
    department: null,
    customer: { id: 501, email: "bob@test.org", tagsData: ["Lead"] },
  },
  {
    id: 3,
    status: "onhold", // as the API has also reported it
    rating: null,
    createdAt: "3000.250",
    lastCustomerMessageAt: "3100",
    agents: { id: 12 }, // a single agent object, as older pages show
    assignee: { id: 11 },
    department: { id: 101 },
    customer: { id: 502, email: null },
  },
];

describe("searching the sandbox", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ chats: CHATS, rateLimit: false });
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  /** The ids a search finds, in its order, after checking the page's total. */
  async function found(request: Record<string, unknown>): Promise<number[]> {
    const answer = await call(sandbox.url, "POST", "/chats/search", request);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const ids = answer.body.data.map((chat: { id: number }) => chat.id);
    if (request.limit === undefined && request.offset === undefined) {
      expect(answer.body.meta).toEqual({ total: ids.length });
    }
    return ids;
  }

  const one = (field: string, operator: string, value: unknown) => ({
    filter: [{ field, operator, value }],
    sort: "chats.createdAt",
    order: "asc",
  });

  const cases: [string, string, unknown, number[]][] = [
    ["chats.assignee", "=", 10, [1]],
    ["chats.assignee", "!=", 10, [2, 3]],
    ["chats.assignee", ">", 10, [3]],
    ["chats.assignee", "<=", 11, [1, 3]],
    ["chats.agents", "=", 11, [1]],
    ["chats.agents", "!=", 10, [2, 3]],
    ["chats.agents", ">=", 12, [3]],
    ["chats.createdAt", ">", 1500, [2, 3]],
    ["chats.createdAt", "<", "2000", [1]],
    ["chats.createdAt", ">=", 2000, [2, 3]],
    ["chats.createdAt", "<=", "1000", [1]],
    ["chats.closedAt", ">=", 1, [2]],
    ["chats.closedAt", "!=", 2500, [1, 3]],
    ["chats.updatedAt", ">", 2000, [2, 3]],
    ["chats.department", "=", 100, [1]],
    ["chats.department", "!=", 100, [2, 3]],
    ["chats.status", "=", "on hold", [3]],
    ["chats.status", "!=", "closed", [1, 3]],
    ["chats.status", "~", "pen", [1]],
    ["chats.status", "!~", "close", [1, 3]],
    ["chats.status", "=", "3", []], // newer examples' digit codes: their meaning is not documented
    ["chats.rating", "=", "great", [1]],
    ["chats.rating", "!=", "poor", [1, 3]],
    ["chats.customer", "=", 501, [2]],
    ["chats.customer", "<", 502, [1, 2]],
    ["chats.customer.email", "=", "ann@example.com", [1]],
    ["chats.customer.email", "~", "test", [2]],
    ["chats.customer.email", "!~", "example", [2, 3]],
    ["chats.customer.tagsData", "=", [{ name: "Lead" }], [1, 2]],
    ["chats.customer.tagsData", "=", ["Lead", "VIP"], [1]],
    ["chats.customer.tagsData", "!=", [{ name: "VIP" }], [2, 3]],
  ];
  for (const [field, operator, value, ids] of cases) {
    it(`${field} ${operator} ${JSON.stringify(value)} finds ${JSON.stringify(ids)}`, async () => {
      expect(await found(one(field, operator, value))).toEqual(ids);
    });
  }

  it("combines filters with AND (the default) or OR", async () => {
    const filter = [
      { field: "chats.assignee", operator: "=", value: 10 },
      { field: "chats.customer", operator: "=", value: 502 },
    ];
    expect(await found({ filter, sort: "chats.createdAt", order: "asc" })).toEqual([]);
    expect(
      await found({ filter, comparison: "AND", sort: "chats.createdAt", order: "asc" }),
    ).toEqual([]);
    expect(
      await found({ filter, comparison: "OR", sort: "chats.createdAt", order: "ASC" }),
    ).toEqual([1, 3]);
  });

  it("sorts by each sort field in either order, chats without the value last", async () => {
    const all = [{ field: "chats.customer", operator: ">", value: 0 }];
    expect(await found({ filter: all, sort: "chats.lastMessageAt", order: "desc" })).toEqual([
      2, 1, 3,
    ]);
    expect(await found({ filter: all, sort: "chats.lastMessageAt", order: "asc" })).toEqual([
      1, 2, 3,
    ]);
    expect(await found({ filter: all, sort: "chats.closedAt", order: "DESC" })).toEqual([2, 3, 1]);
    expect(await found({ filter: all, sort: "chats.lastCustomerMessageAt", order: "asc" })).toEqual(
      [3, 1, 2],
    );
    // The sandbox's default, where the API documents none: newest first.
    expect(await found({ filter: all })).toEqual([3, 2, 1]);
  });

  it("pages with offset and limit, counting every match in meta.total", async () => {
    const answer = await call(sandbox.url, "POST", "/chats/search", {
      filter: [{ field: "chats.customer", operator: ">", value: 0 }],
      sort: "chats.createdAt",
      order: "asc",
      offset: 1,
      limit: 1,
    });
    expect(answer.body.data.map((chat: { id: number }) => chat.id)).toEqual([2]);
    expect(answer.body.meta).toEqual({ total: 3 });

    const listed = await call(
      sandbox.url,
      "GET",
      "/chats?offset=2&limit=5&sort=chats.createdAt&order=asc",
    );
    expect(listed.body.data.map((chat: { id: number }) => chat.id)).toEqual([3]);
    expect(listed.body.meta).toEqual({ total: 3 });
  });

  it("finds a chat by updatedAt once it changes", async () => {
    const since = Math.floor(Date.now() / 1000);
    await call(sandbox.url, "PUT", "/chats/readByAgent", { id: 1, read: true });
    expect(await found(one("chats.updatedAt", ">=", since))).toEqual([1]);
  });
});
