// Shapes the sandbox works with.

/**
 * A chat as the sandbox stores and answers it: the spec's `Chat`, any of its fields. Only
 * `id` is required; the sandbox serves the chat as given (a chat that breaks the contract
 * makes every answer that carries it fail loudly, with a 500).
 */
export interface SandboxChat {
  id: number;
  [field: string]: unknown;
}

/** One entry of the API's error envelope. */
export interface ErrorDetail {
  code: string;
  message: string;
}

/** The API's error envelope. */
export interface ErrorBody {
  errors: ErrorDetail[];
}

/** What an operation answers, and the webhook events its change sends. */
export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  events?: ChatEvent[];
}

/** A change worth a webhook: the event type and the chat as it is after the change. */
export interface ChatEvent {
  event:
    | "chat.new"
    | "chat.status_updated"
    | "chat.assigned"
    | "chat.snoozed"
    | "chat.unsnoozed"
    | "chat.closed";
  chat: StoredChat;
}

/** A chat and what the sandbox knows about it beyond what it answers. */
export interface StoredChat {
  chat: SandboxChat;
  /** When it last changed, in milliseconds (searchable as `chats.updatedAt`, never answered). */
  updatedMs: number | undefined;
  /** Exact moments the sandbox set itself, in milliseconds, for webhook timestamps with a fraction. */
  exactMs: { createdAt?: number; closedAt?: number };
}

/** A 400 envelope: the generic entry, then one per offending field (the JSON path as `code`). */
export function badRequest(fields: { code: string; message: string }[]): Outcome {
  return {
    status: 400,
    body: { errors: [{ code: "invalid_request", message: "Invalid request" }, ...fields] },
  };
}
