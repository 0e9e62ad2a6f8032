// The stateful core: a node:http server on a private loopback port, behind Prism's validating
// proxy. It checks the key, counts the request against the rate limit, and does what the
// operation does to the chats in memory.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { WebhookTarget } from "../webhook-delivery.js";
import { ChatStore } from "./chats.js";
import { type RateLimit, SlidingWindow } from "./rate-limit.js";
import type { SearchRequest } from "./search.js";
import { errorExample } from "./spec-data.js";
import { badRequest, type Outcome, type SandboxChat } from "./types.js";
import { WebhookQueue } from "./webhooks.js";

export interface CoreOptions {
  /** The only key accepted, or undefined for any well-formed key. */
  apiKey: string | undefined;
  rateLimit: RateLimit | false;
  chats: readonly SandboxChat[];
  webhooks: WebhookTarget | undefined;
  /** Where the sandbox's own problems go (webhook failures). */
  report: (line: string) => void;
}

export interface Core {
  /** Its base URL on loopback, Prism's upstream. */
  readonly url: string;
  /**
   * Checks the key and counts the request, as every request is checked and counted: undefined if
   * admitted, else the 401 or 429 answer. Used for requests Prism refuses before they reach here.
   */
  admit(headers: IncomingHttpHeaders): Outcome | undefined;
  reset(): void;
  webhooksDelivered(): Promise<void>;
  close(): Promise<void>;
}

/** A well-formed key: non-empty printable ASCII without spaces (keys are sent without spaces). */
const WELL_FORMED_KEY = /^[\x21-\x7e]+$/;

export async function startCore(options: CoreOptions): Promise<Core> {
  const store = new ChatStore(options.chats);
  const limiter = options.rateLimit === false ? undefined : new SlidingWindow(options.rateLimit);
  const webhooks = new WebhookQueue(options.webhooks, options.report);

  function admit(headers: IncomingHttpHeaders): Outcome | undefined {
    const authorization = headers.authorization;
    const match = /^Bearer (.*)$/i.exec(authorization ?? "");
    if (!match) {
      return { status: 401, body: errorExample("Unauthorized", "unauthorized") };
    }
    const key = match[1] ?? "";
    const valid = options.apiKey === undefined ? WELL_FORMED_KEY.test(key) : key === options.apiKey;
    if (!valid) {
      return { status: 401, body: errorExample("Unauthorized", "invalidToken") };
    }
    const retryAfter = limiter?.take(key);
    if (retryAfter !== undefined) {
      return {
        status: 429,
        body: errorExample("TooManyRequests", "tooManyRequests"),
        headers: { "retry-after": String(retryAfter) },
      };
    }
    return undefined;
  }

  function route(method: string, url: URL, body: unknown): Outcome {
    const path = url.pathname;
    // Prism has checked the body against the operation's schema before it gets here.
    const input = body as never;
    if (path === "/chats" && method === "POST") {
      return store.create(input);
    }
    if (path === "/chats" && method === "GET") {
      const number = (name: string) => {
        const value = url.searchParams.get(name);
        return value === null ? undefined : Number(value);
      };
      return store.list({
        offset: number("offset"),
        limit: number("limit"),
        sort: url.searchParams.get("sort") ?? undefined,
        order: url.searchParams.get("order") ?? undefined,
      });
    }
    if (path === "/chats/search" && method === "POST") {
      return store.search(input as SearchRequest);
    }
    const byId = /^\/chats\/([0-9]+)$/.exec(path);
    if (byId && method === "GET") {
      return store.get(Number(byId[1]));
    }
    if (method === "PUT") {
      switch (path) {
        case "/chats/status":
          return store.updateStatus(input);
        case "/chats/readByAgent":
          return store.markRead("readByAgent", input);
        case "/chats/readByCustomer":
          return store.markRead("readByCustomer", input);
        case "/chats/assignee":
          return store.updateAssignee(input);
        case "/chats/department":
          return store.updateDepartment(input);
        case "/chats/snooze":
          return store.snooze(input);
      }
    }
    return {
      status: 404,
      body: { errors: [{ code: "not_found", message: `No operation ${method} ${path}` }] },
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const refused = admit(req.headers);
    if (refused) {
      send(res, refused);
      return;
    }
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // The front server lets only well-formed JSON through: this is a safety net.
      send(res, badRequest([{ code: "body", message: "The request body is not valid JSON." }]));
      return;
    }
    const outcome = route(req.method ?? "GET", new URL(req.url ?? "/", "http://core"), body);
    // The events' payloads are taken now, before the answer goes and anything else changes.
    webhooks.send(outcome.events ?? []);
    send(res, outcome);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      send(res, {
        status: 500,
        body: {
          errors: [
            { code: "sandbox_error", message: `The sandbox failed: ${(error as Error).message}` },
          ],
        },
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => resolve());
  });
  server.unref();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    admit,
    reset: () => {
      store.reset();
      limiter?.reset();
    },
    webhooksDelivered: () => webhooks.settled(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function send(res: ServerResponse, outcome: Outcome): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(outcome.body);
  res.writeHead(outcome.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...outcome.headers,
  });
  res.end(body);
}
