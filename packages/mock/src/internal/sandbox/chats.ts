// The sandbox's memory: its chats and what each operation does to them, as HelpCrunch
// documents it. No HTTP here: operations take parsed bodies and return an outcome.
import { type SearchRequest, searchChats, timestampSeconds } from "./search.js";
import { errorExample } from "./spec-data.js";
import {
  badRequest,
  type ChatEvent,
  type ErrorBody,
  type Outcome,
  type SandboxChat,
  type StoredChat,
} from "./types.js";

/** The statuses the update-status operation takes (the spec's `ChatStatus`). */
const STATUSES = new Set(["new", "opened", "pending", "on hold", "no communication", "closed"]);

/** Where the 404 envelope of each operation comes from: the spec's NotFound examples. */
const NOT_FOUND_EXAMPLE = {
  update: "notFount", // the five seed operations' pages: not_fount (sic), Chat for ID "<id>" was not found
  get: "notFound", // the newer get-chat page: invalid_request + not_found
  snooze: "chatNotFound", // the older snooze page: chat_not_found
} as const;

const seconds = (ms: number) => String(Math.floor(ms / 1000));

export class ChatStore {
  private chats = new Map<number, StoredChat>();
  private nextId = 1;
  private agents = new Map<number, Record<string, unknown>>();
  private customers = new Map<number, Record<string, unknown>>();
  private departments = new Map<number, Record<string, unknown>>();

  constructor(
    private readonly initial: readonly SandboxChat[],
    private readonly now: () => number = Date.now,
  ) {
    this.reset();
  }

  /** Back to the initial chats (copies: the caller's objects are never changed). */
  reset(): void {
    this.chats.clear();
    this.agents.clear();
    this.customers.clear();
    this.departments.clear();
    for (const given of this.initial) {
      const chat = structuredClone(given);
      this.chats.set(chat.id, { chat, updatedMs: initialUpdatedMs(chat), exactMs: {} });
      this.learn(chat);
    }
    this.nextId = Math.max(0, ...this.chats.keys()) + 1;
  }

  /** Remembers the agents, customers and departments a chat names, to describe them by id later. */
  private learn(chat: SandboxChat): void {
    const agents = Array.isArray(chat.agents) ? chat.agents : [chat.agents];
    for (const agent of [...agents, chat.assignee]) {
      remember(this.agents, agent);
    }
    remember(this.customers, chat.customer);
    remember(this.departments, chat.department);
  }

  private described(known: Map<number, Record<string, unknown>>, id: number, fields: string[]) {
    const found = known.get(id);
    if (found) {
      return structuredClone(found);
    }
    return Object.fromEntries([["id", id], ...fields.map((field) => [field, null])]);
  }

  create(body: {
    customer: number;
    application: number;
    assignee?: number;
    department?: number;
  }): Outcome {
    const nowMs = this.now();
    const id = this.nextId++;
    const chat: SandboxChat = {
      id,
      status: "new",
      closedBy: null,
      rating: null,
      createdAt: seconds(nowMs),
      closedAt: null,
      lastMessageAt: null,
      lastCustomerMessageAt: null,
      snoozedUntil: null,
      lastMessageText: null,
      lastMessageId: null,
      applicationId: body.application,
      lastCommunicatedAgentId: null,
      readByAgent: false,
      readByCustomer: false,
      createdWith: "public_api",
      agents: [],
      customer: this.described(this.customers, body.customer, ["name", "email", "userId"]),
      assignee:
        body.assignee === undefined
          ? null
          : this.described(this.agents, body.assignee, ["name", "email", "role"]),
      department:
        body.department === undefined
          ? null
          : this.described(this.departments, body.department, ["name"]),
    };
    const stored: StoredChat = { chat, updatedMs: nowMs, exactMs: { createdAt: nowMs } };
    this.chats.set(id, stored);
    return { status: 201, body: chat, events: [{ event: "chat.new", chat: stored }] };
  }

  get(id: number): Outcome {
    const stored = this.chats.get(id);
    if (!stored) {
      return notFound("get", id);
    }
    return { status: 200, body: stored.chat };
  }

  updateStatus(body: { id: number; status: string }): Outcome {
    if (!STATUSES.has(body.status)) {
      return badRequest([
        { code: "status", message: "The value you selected is not a valid choice." },
      ]);
    }
    return this.change("update", body.id, (stored, nowMs) => {
      const { chat } = stored;
      if (chat.status === body.status) {
        return [];
      }
      chat.status = body.status;
      const events: ChatEvent["event"][] = ["chat.status_updated"];
      if (body.status === "closed") {
        chat.closedAt = seconds(nowMs);
        chat.closedBy = "agent";
        stored.exactMs.closedAt = nowMs;
        events.push("chat.closed");
      } else if (chat.closedAt !== undefined && chat.closedAt !== null) {
        chat.closedAt = null;
        chat.closedBy = null;
        stored.exactMs.closedAt = undefined;
      }
      return events;
    });
  }

  markRead(side: "readByAgent" | "readByCustomer", body: { id: number; read: boolean }): Outcome {
    return this.change("update", body.id, ({ chat }) => {
      chat[side] = body.read;
      return [];
    });
  }

  updateAssignee(body: { id: number; assignee: number }): Outcome {
    return this.change("update", body.id, ({ chat }) => {
      const current = (chat.assignee as { id?: unknown } | null | undefined)?.id;
      if (current === body.assignee) {
        return [];
      }
      chat.assignee = this.described(this.agents, body.assignee, ["name", "email", "role"]);
      return ["chat.assigned"];
    });
  }

  updateDepartment(body: { id: number; department: number }): Outcome {
    return this.change("update", body.id, ({ chat }) => {
      chat.department = this.described(this.departments, body.department, ["name"]);
      return []; // HelpCrunch documents no webhook event for a department change
    });
  }

  snooze(body: { id: number; snoozedUntil: number | string | null }): Outcome {
    const stored = this.chats.get(body.id);
    if (!stored) {
      return notFound("snooze", body.id);
    }
    if (stored.chat.status === "closed") {
      return { status: 409, body: errorExample("Conflict", "conflict") };
    }
    return this.change("snooze", body.id, ({ chat }) => {
      if (body.snoozedUntil === null) {
        const was = chat.snoozedUntil;
        chat.snoozedUntil = null;
        return was === null || was === undefined ? [] : ["chat.unsnoozed"];
      }
      // As the snooze page answers it: seconds with a fractional part, "1603864800.000".
      chat.snoozedUntil = `${BigInt(body.snoozedUntil)}.000`;
      return ["chat.snoozed"];
    });
  }

  list(query: { offset?: number; limit?: number; sort?: string; order?: string }): Outcome {
    return searchChats([...this.chats.values()], { filter: [], ...query });
  }

  search(body: SearchRequest): Outcome {
    return searchChats([...this.chats.values()], body);
  }

  /** Applies `apply` to a chat that exists; answers it with the events of the change. */
  private change(
    operation: "update" | "snooze",
    id: number,
    apply: (stored: StoredChat, nowMs: number) => ChatEvent["event"][],
  ): Outcome {
    const stored = this.chats.get(id);
    if (!stored) {
      return notFound(operation, id);
    }
    const nowMs = this.now();
    const before = JSON.stringify(stored.chat);
    const events = apply(stored, nowMs);
    if (JSON.stringify(stored.chat) !== before) {
      stored.updatedMs = nowMs;
    }
    return {
      status: 200,
      body: stored.chat,
      events: events.map((event) => ({ event, chat: stored })),
    };
  }
}

function notFound(operation: keyof typeof NOT_FOUND_EXAMPLE, id: number): Outcome {
  const body: ErrorBody = errorExample("NotFound", NOT_FOUND_EXAMPLE[operation], id);
  return { status: 404, body };
}

function remember(known: Map<number, Record<string, unknown>>, value: unknown): void {
  if (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { id?: unknown }).id === "number"
  ) {
    const entry = value as Record<string, unknown> & { id: number };
    if (!known.has(entry.id)) {
      known.set(entry.id, structuredClone(entry));
    }
  }
}

/** A given chat's last change, as far as its timestamps tell. */
function initialUpdatedMs(chat: SandboxChat): number | undefined {
  const moments = [chat.createdAt, chat.lastMessageAt, chat.closedAt]
    .map(timestampSeconds)
    .filter((value): value is number => value !== undefined);
  return moments.length > 0 ? Math.max(...moments) * 1000 : undefined;
}
