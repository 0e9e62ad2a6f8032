// Search and list: every documented field and operator, AND/OR, sort, order, offset, limit.
import { badRequest, type Outcome, type StoredChat } from "./types.js";

export interface SearchFilter {
  field: string;
  operator: string;
  value: unknown;
}

export interface SearchRequest {
  filter: SearchFilter[];
  comparison?: string;
  sort?: string;
  order?: string;
  offset?: number;
  limit?: number;
}

type Kind = "id" | "ids" | "timestamp" | "status" | "rating" | "email" | "tags";

/** The searchable fields (the spec's `ChatSearchField`), each with its kind of value. */
const FIELDS: Record<string, Kind> = {
  "chats.assignee": "id",
  "chats.agents": "ids",
  "chats.createdAt": "timestamp",
  "chats.updatedAt": "timestamp",
  "chats.closedAt": "timestamp",
  "chats.department": "id",
  "chats.status": "status",
  "chats.rating": "rating",
  "chats.customer": "id",
  "chats.customer.email": "email",
  "chats.customer.tagsData": "tags",
};

const ORDERING = new Set([">", "<", ">=", "<="]);
const TEXTUAL = new Set(["~", "!~"]);
const RATINGS = new Set(["great", "average", "poor"]);

/** The sortable fields (the spec's `ChatSortField`). */
const SORT_FIELDS = new Set([
  "chats.createdAt",
  "chats.lastCustomerMessageAt",
  "chats.lastMessageAt",
  "chats.closedAt",
]);

/** The sandbox's choices where the API documents no default: newest first. */
export const DEFAULT_SORT = "chats.createdAt";
export const DEFAULT_ORDER = "desc";
const DEFAULT_LIMIT = 100;

/** Seconds of a timestamp as the API writes it (digits, integer, or "N.fff"), or undefined. */
export function timestampSeconds(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === "string" && /^[0-9]+(\.[0-9]+)?$/.test(value)) {
    return Number(value);
  }
  return undefined;
}

/** The chats matching `request`, one page of them, as `{ data, meta: { total } }`. */
export function searchChats(chats: StoredChat[], request: SearchRequest): Outcome {
  const problems = [
    ...request.filter.flatMap((filter, index) => filterProblems(filter, index)),
    ...pageProblems(request),
  ];
  if (problems.length > 0) {
    return badRequest(problems);
  }
  const any = request.comparison === "OR";
  const matching = chats.filter((stored) => {
    if (request.filter.length === 0) {
      return true;
    }
    const results = request.filter.map((filter) => matches(stored, filter));
    return any ? results.some(Boolean) : results.every(Boolean);
  });
  const sort = request.sort ?? DEFAULT_SORT;
  const descending = (request.order ?? DEFAULT_ORDER).toLowerCase() === "desc";
  const key = sort.slice("chats.".length);
  matching.sort((a, b) => {
    const x = timestampSeconds(a.chat[key]);
    const y = timestampSeconds(b.chat[key]);
    // Chats without the value come last either way; ties keep a stable order by id.
    if (x === undefined || y === undefined || x === y) {
      if (x !== y) {
        return x === undefined ? 1 : -1;
      }
      return descending ? b.chat.id - a.chat.id : a.chat.id - b.chat.id;
    }
    return descending ? y - x : x - y;
  });
  const offset = request.offset ?? 0;
  const limit = request.limit ?? DEFAULT_LIMIT;
  return {
    status: 200,
    body: {
      data: matching.slice(offset, offset + limit).map((stored) => stored.chat),
      meta: { total: matching.length },
    },
  };
}

function pageProblems(request: SearchRequest): { code: string; message: string }[] {
  const problems: { code: string; message: string }[] = [];
  if (request.sort !== undefined && !SORT_FIELDS.has(request.sort)) {
    problems.push({ code: "sort", message: "The value you selected is not a valid choice." });
  }
  if (request.order !== undefined && !["asc", "desc"].includes(request.order.toLowerCase())) {
    problems.push({ code: "order", message: "The value you selected is not a valid choice." });
  }
  if (request.comparison !== undefined && !["AND", "OR"].includes(request.comparison)) {
    problems.push({ code: "comparison", message: "The value you selected is not a valid choice." });
  }
  const offset = request.offset;
  if (offset !== undefined && !(Number.isSafeInteger(offset) && offset >= 0)) {
    problems.push({ code: "offset", message: "This value should be greater than or equal to 0." });
  }
  const limit = request.limit;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 1 && limit <= 100)) {
    problems.push({ code: "limit", message: "This value should be between 1 and 100." });
  }
  return problems;
}

/** What is wrong with one filter: the value must have the field's type, the operator suit it. */
function filterProblems(filter: SearchFilter, index: number): { code: string; message: string }[] {
  const at = `filter[${index}]`;
  const kind = FIELDS[filter.field];
  if (!kind) {
    return [{ code: `${at}.field`, message: "The value you selected is not a valid choice." }];
  }
  const problems: { code: string; message: string }[] = [];
  const numeric = kind === "id" || kind === "ids" || kind === "timestamp";
  const allowed =
    ["=", "!="].includes(filter.operator) ||
    (ORDERING.has(filter.operator) && numeric) ||
    (TEXTUAL.has(filter.operator) && !numeric);
  if (!allowed) {
    problems.push({
      code: `${at}.operator`,
      message: `The operator "${filter.operator}" cannot be used with ${filter.field}.`,
    });
  }
  const message = valueProblem(kind, filter.value);
  if (message) {
    problems.push({ code: `${at}.value`, message });
  }
  return problems;
}

function valueProblem(kind: Kind, value: unknown): string | undefined {
  switch (kind) {
    case "id":
    case "ids":
      return Number.isSafeInteger(value) ? undefined : "This value should be of type numeric.";
    case "timestamp":
      return Number.isSafeInteger(value) || (typeof value === "string" && /^[0-9]+$/.test(value))
        ? undefined
        : "This value should be a valid UNIX timestamp.";
    case "rating":
      return typeof value === "string" && RATINGS.has(value)
        ? undefined
        : "This value should be one of: great, average, poor.";
    case "status":
    case "email":
      return typeof value === "string" ? undefined : "This value should be of type string.";
    case "tags":
      return Array.isArray(value) && value.length > 0 && value.every((tag) => tagName(tag))
        ? undefined
        : 'This value should be a list of tags, e.g. [{"name": "Lead"}].';
  }
}

function tagName(tag: unknown): string | undefined {
  if (typeof tag === "string") {
    return tag;
  }
  const name = (tag as { name?: unknown } | null)?.name;
  return typeof name === "string" ? name : undefined;
}

/** "onhold" and "on-hold", as the API also reports it, are "on hold". */
function normalisedStatus(value: unknown): string | undefined {
  return typeof value === "string" ? value.replace(/^on-?hold$/, "on hold") : undefined;
}

function idOf(value: unknown): number | undefined {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === "number" ? id : undefined;
}

function compare(actual: number | undefined, operator: string, wanted: number): boolean {
  if (actual === undefined) {
    return operator === "!=";
  }
  switch (operator) {
    case "=":
      return actual === wanted;
    case "!=":
      return actual !== wanted;
    case ">":
      return actual > wanted;
    case "<":
      return actual < wanted;
    case ">=":
      return actual >= wanted;
    case "<=":
      return actual <= wanted;
    default:
      return false;
  }
}

function compareText(actual: string | undefined, operator: string, wanted: string): boolean {
  switch (operator) {
    case "=":
      return actual === wanted;
    case "!=":
      return actual !== wanted;
    case "~":
      return actual?.includes(wanted) ?? false;
    case "!~":
      return !(actual?.includes(wanted) ?? false);
    default:
      return false;
  }
}

function matches(stored: StoredChat, { field, operator, value }: SearchFilter): boolean {
  const { chat } = stored;
  const customer = chat.customer as Record<string, unknown> | null | undefined;
  switch (field) {
    case "chats.assignee":
      return compare(idOf(chat.assignee), operator, value as number);
    case "chats.department":
      return compare(idOf(chat.department), operator, value as number);
    case "chats.customer":
      return compare(idOf(customer), operator, value as number);
    case "chats.agents": {
      const agents = Array.isArray(chat.agents) ? chat.agents : chat.agents ? [chat.agents] : [];
      const ids = agents.map(idOf).filter((id) => id !== undefined);
      // `!=`: no agent of the chat has the id; any other operator: some agent satisfies it.
      return operator === "!="
        ? !ids.includes(value as number)
        : ids.some((id) => compare(id, operator, value as number));
    }
    case "chats.createdAt":
    case "chats.closedAt":
      return compare(timestampSeconds(chat[field.slice(6)]), operator, Number(value));
    case "chats.updatedAt":
      return compare(
        stored.updatedMs === undefined ? undefined : Math.floor(stored.updatedMs / 1000),
        operator,
        Number(value),
      );
    case "chats.status":
      return compareText(normalisedStatus(chat.status), operator, normalisedStatus(value) ?? "");
    case "chats.rating":
      return compareText(
        typeof chat.rating === "string" ? chat.rating : undefined,
        operator,
        value as string,
      );
    case "chats.customer.email": {
      const email = typeof customer?.email === "string" ? customer.email.toLowerCase() : undefined;
      return compareText(email, operator, (value as string).toLowerCase());
    }
    case "chats.customer.tagsData": {
      const tags = customer?.tagsData;
      const has = new Set((Array.isArray(tags) ? tags : []).map(tagName));
      const wanted = (value as unknown[]).map(tagName);
      // `=` and `~`: the customer has every tag given; `!=` and `!~`: none of them.
      return operator === "=" || operator === "~"
        ? wanted.every((name) => has.has(name))
        : wanted.every((name) => !has.has(name));
    }
    default:
      return false;
  }
}
