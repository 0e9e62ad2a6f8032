// Pages of chats: what `list` and `search` resolve to, and an async iterator over every chat
// of every page, fetched lazily, one request per page.
import type { APIPromise, WithResponse } from "./call-options.js";
import type { ValidationIssue } from "./errors.js";
import { dataOf, withResponse } from "./internal/api-promise.js";
import { snapshot } from "./internal/snapshot.js";

/** One page of a paginated operation. */
export interface Page<Item> {
  /** The items of this page, as the API sent them. */
  readonly data: Item[];
  /** How many items match in all, when the API said (`meta.total` or a top-level `total`). */
  readonly total: number | undefined;
  /** Whether another page may follow: false past `total`, after a short or empty page, or when a page brought nothing new. */
  hasNextPage(): boolean;
  /** Fetches the page after this one, with the same parameters and call options. */
  getNextPage(): Promise<Page<Item>>;
}

/**
 * What `list` and `search` return: await it for the first page, or iterate it with
 * `for await` for every item of every page, each page fetched only when the one before is
 * used up, through the same rate limit, retries and abort signal.
 */
export interface PagePromise<Item> extends APIPromise<Page<Item>>, AsyncIterable<Item> {}

/** The page size the API uses when no `limit` is given ("the first 100 chats"). */
const DEFAULT_LIMIT = 100;

/** A page as the API sends it: `{ data, meta: { total } }`, or `total` at the top level. */
interface RawPage<Item> {
  data: Item[];
  meta?: { total?: unknown } | null;
  total?: unknown;
}

/**
 * Turns one request (`fetchPage(input)`) into a PagePromise. `input` holds the operation's
 * parameters; the next page is the same input with `offset` moved past the items received.
 */
export function paginate<Item extends { id?: unknown }>(
  fetchPage: (input: Record<string, unknown>) => Promise<WithResponse<unknown>>,
  input: Record<string, unknown>,
): PagePromise<Item> {
  // Pages of chats all seen before (an API that ignores `offset`): never iterated.
  const repeats = new WeakSet<Page<Item>>();
  const load = async (
    params: Record<string, unknown>,
    before: ReadonlySet<unknown>,
  ): Promise<WithResponse<Page<Item>>> => {
    const { data: answer, response } = await fetchPage(params);
    const raw = answer as RawPage<Item>;
    const { data } = raw;
    // Only a number or a string of digits is a total; anything else means the API said none.
    const given = raw.meta?.total ?? raw.total;
    const count =
      typeof given === "number" || (typeof given === "string" && /^\d{1,15}$/.test(given))
        ? Number(given)
        : Number.NaN;
    const total = Number.isSafeInteger(count) && count >= 0 ? count : undefined;
    const ids = new Set(data.map((item) => item.id));
    const repeat = data.length > 0 && data.every((item) => before.has(item.id));
    const next = ((params.offset as number | undefined) ?? 0) + data.length;
    const more =
      data.length > 0 &&
      !repeat &&
      (total === undefined
        ? data.length >= ((params.limit as number | undefined) ?? DEFAULT_LIMIT)
        : next < total);
    const page: Page<Item> = {
      data,
      total,
      hasNextPage: () => more,
      getNextPage: () =>
        more
          ? load({ ...params, offset: next }, new Set([...before, ...ids])).then(dataOf)
          : Promise.reject(new RangeError("there is no next page: check hasNextPage() first")),
    };
    if (repeat) {
      repeats.add(page);
    }
    return { data: page, response };
  };
  // Every page is built from one copy of the caller's input, read once (a getter cannot give
  // page 2 another limit); input that cannot be copied goes as it is, to be refused by name.
  const issues: ValidationIssue[] = [];
  const copy = snapshot(input, issues) as Record<string, unknown>;
  const loading = load(issues.length ? input : copy, new Set());
  const first = withResponse(loading);
  return Object.assign(first, {
    async *[Symbol.asyncIterator]() {
      for (let page = await first; ; page = await page.getNextPage()) {
        if (!repeats.has(page)) {
          yield* page.data;
        }
        if (!page.hasNextPage()) {
          return;
        }
      }
    },
  });
}
