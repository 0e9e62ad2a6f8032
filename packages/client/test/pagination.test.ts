// Pages: `list` and `search` resolve to a page and iterate over every chat of every page,
// fetching lazily, one request per page, and stopping at `total`, at a short or empty page,
// or when the API ignores `offset` and sends the same chats again.
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, ValidationError } from "../src/index.js";
import { CHAT, requestsSeen, useFaultServer } from "./support/fault-server.js";
import { makeClient, noBackoffJitter, rejectionOf } from "./support/harness.js";

const server = useFaultServer();
afterEach(() => {
  vi.restoreAllMocks();
});

const chats = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ ...CHAT, id: from + i }));
const page = (from: number, count: number, total?: number) => ({
  json: 200,
  body:
    total === undefined
      ? { data: chats(from, count) }
      : { data: chats(from, count), meta: { total } },
});
const query = (i: number) => new URL(server.received[i]?.url ?? "", server.url).searchParams;

describe("a page", () => {
  it("resolves to the first page, its total read from meta, a top-level total or a digit string", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2, 5));
    const first = await hc.chats.list({ limit: 2 });
    expect(first.data.map((c) => c.id)).toEqual([1, 2]);
    expect(first.total).toBe(5);
    expect(first.hasNextPage()).toBe(true);
    server.script({ json: 200, body: { data: chats(1, 2), total: "5" } });
    expect((await hc.chats.list({ limit: 2 })).total).toBe(5);
    server.script({ json: 200, body: { data: chats(1, 2), meta: null } });
    expect((await hc.chats.list({ limit: 2 })).total).toBeUndefined();
  });

  it("fetches the next page on demand, with the same parameters and offset moved on", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2, 3), page(3, 1, 3));
    const first = await hc.chats.list({ limit: 2, order: "desc" });
    expect(server.received).toHaveLength(1); // nothing fetched ahead
    const second = await first.getNextPage();
    expect(second.data.map((c) => c.id)).toEqual([3]);
    expect(second.hasNextPage()).toBe(false);
    expect(Object.fromEntries(query(1))).toEqual({ limit: "2", order: "desc", offset: "2" });
    await expect(second.getNextPage()).rejects.toThrow(/no next page/);
  });
});

describe("iterating", () => {
  it("yields every chat of every page and stops at total", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2, 5), page(3, 2, 5), page(5, 1, 5));
    const ids: number[] = [];
    for await (const chat of hc.chats.list({ limit: 2 })) {
      ids.push(chat.id);
    }
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(server.received.map((_, i) => query(i).get("offset"))).toEqual([null, "2", "4"]);
  });

  it("stops after a short page when the API gives no total", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 3), page(4, 1), page(99, 3));
    const ids: number[] = [];
    for await (const chat of hc.chats.list({ limit: 3 })) {
      ids.push(chat.id);
    }
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(server.received).toHaveLength(2);
  });

  it("stops at an empty page", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 100), page(1, 0));
    let count = 0;
    for await (const _ of hc.chats.list()) {
      count++;
    }
    expect(count).toBe(100);
    expect(server.received).toHaveLength(2);
  });

  it("never loops on an API that ignores offset: a page of chats already seen ends it", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2, 1000)); // every request gets the same first page
    const ids: number[] = [];
    for await (const chat of hc.chats.list({ limit: 2 })) {
      ids.push(chat.id);
    }
    expect(ids).toEqual([1, 2]);
    expect(server.received).toHaveLength(2);
  });

  it("pages a search by its body's offset, and the search is retried like a read", async () => {
    noBackoffJitter();
    const { hc } = makeClient(server.url);
    server.script(
      { json: 503, body: { errors: [] } },
      page(1, 1, 2),
      { json: 503, body: { errors: [] } },
      page(2, 1, 2),
    );
    const filter = [{ field: "chats.status", operator: "=", value: "on hold" }] as const;
    const ids: number[] = [];
    for await (const chat of hc.chats.search({ filter: [...filter], limit: 1 })) {
      ids.push(chat.id);
    }
    expect(ids).toEqual([1, 2]);
    expect(server.received.map((r) => [r.method, r.url, JSON.parse(r.body).offset])).toEqual([
      ["POST", "/chats/search", undefined],
      ["POST", "/chats/search", undefined],
      ["POST", "/chats/search", 1],
      ["POST", "/chats/search", 1],
    ]);
  });

  it("stops at once when the signal aborts between pages, sending nothing more", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2, 10));
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const chat of hc.chats.list({ limit: 2 }, { signal: controller.signal })) {
          seen.push(chat.id);
          controller.abort();
        }
      })(),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(seen).toEqual([1, 2]);
    await requestsSeen(server, 1);
  });

  it("validates each page's parameters before sending: a bad limit sends nothing", async () => {
    const { hc } = makeClient(server.url);
    const error = await rejectionOf(hc.chats.list({ limit: 0 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(server.received).toHaveLength(0);
  });
});

describe("pages found by probing", () => {
  it("reads the caller's input once: a getter cannot change the limit of page 2", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2, 4), page(3, 2, 4));
    let reads = 0;
    const input = {
      get limit() {
        reads += 1;
        return reads === 1 ? 2 : 100;
      },
    };
    const first = await hc.chats.list(input);
    await first.getNextPage();
    expect(reads).toBe(1);
    expect(query(1).get("limit")).toBe("2");
  });

  it("stops when pages alternate between chats already seen", async () => {
    const { hc } = makeClient(server.url);
    server.script(page(1, 2), page(3, 2), page(1, 2), page(3, 2));
    const ids: number[] = [];
    for await (const chat of hc.chats.list({ limit: 2 })) {
      ids.push(chat.id);
    }
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(server.received).toHaveLength(3);
  });

  it("reads only a number or a digit string as total", async () => {
    const { hc } = makeClient(server.url);
    for (const total of [null, true, [7], "", "1e3"]) {
      server.script({ json: 200, body: { data: chats(1, 2), meta: { total } } });
      expect((await hc.chats.list({ limit: 2 })).total).toBeUndefined();
    }
  });
});
