// startSandbox: a local HelpCrunch that remembers, errs and rate-limits like the real one.
//   client → front server (/v1, JSON checks) → Prism proxy --errors (the contract, both ways)
//          → the stateful core (chats in memory, keys, rate limit, webhooks)
import { openapiYamlPath } from "@helpcrunch-chats/openapi";
import type { MockServer, MockServerOptions } from "./index.js";
import { startCore } from "./internal/sandbox/core.js";
import { sandboxReview } from "./internal/sandbox/review.js";
import { exampleChats } from "./internal/sandbox/spec-data.js";
import type { SandboxChat } from "./internal/sandbox/types.js";
import { startFrontAndPrism, startSettings } from "./internal/start.js";
import { checkWebhookTarget } from "./internal/webhook-delivery.js";

export type { SandboxChat } from "./internal/sandbox/types.js";

/** How to start a sandbox: the mock's options (but `specPath`), plus its account's settings. */
export interface SandboxOptions extends Omit<MockServerOptions, "specPath"> {
  /** The only API key accepted (as `Authorization: Bearer <key>`); by default any well-formed key (non-empty printable ASCII, no spaces). */
  apiKey?: string;
  /** Requests each key may make per interval: by default 120 a minute, as the API; `false` disables the limit. A sliding window. */
  rateLimit?: { limit: number; intervalMs: number } | false;
  /** The chats the sandbox starts with (and `reset()` restores); by default three chats built from the spec's examples (542335, 542336, 542337). */
  chats?: readonly SandboxChat[];
  /** Where to send the chat events, signed with `X-HelpCrunch-Signature` (HMAC-SHA1 of the body, hex, keyed by `signingKey`); none by default. */
  webhooks?: { url: string; signingKey: string };
  /** Receives Prism's lines and the sandbox's own (`[sandbox] …`: contract violations, failed webhooks); without it the sandbox's own go to stderr. */
  onLog?: (line: string) => void;
}

/** A running sandbox: the mock's handle, plus its state. */
export interface Sandbox extends MockServer {
  /** Restores the initial chats and clears the rate-limit counters. */
  reset(): void;
  /** Resolves once every webhook event sent so far was delivered or failed (failures are logged through `onLog`). */
  webhooksDelivered(): Promise<void>;
}

/** The API's rate limit: 120 requests a minute per key. */
const DEFAULT_RATE_LIMIT = { limit: 120, intervalMs: 60_000 };

/**
 * Starts a sandbox and resolves once it answers: a stateful HelpCrunch Chats API in memory,
 * every request and answer checked against the bundled contract by Prism.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = startSettings(options);
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  if (
    rateLimit !== false &&
    !(Number.isSafeInteger(rateLimit.limit) && rateLimit.limit > 0 && rateLimit.intervalMs > 0)
  ) {
    throw new Error(
      "rateLimit must be false or { limit: a positive integer, intervalMs: a positive number }",
    );
  }
  if (options.apiKey !== undefined && !/^[\x21-\x7e]+$/.test(options.apiKey)) {
    throw new Error("apiKey must be non-empty printable ASCII without spaces");
  }
  checkChats(options.chats);
  checkWebhooks(options.webhooks);
  options.signal?.throwIfAborted();
  // The sandbox's own problems (contract violations, failed webhooks) are never silent.
  const report = (line: string) => {
    if (options.onLog) {
      try {
        options.onLog(line);
      } catch {
        // Logging is best effort.
      }
    } else {
      process.stderr.write(`${line}\n`);
    }
  };
  const core = await startCore({
    apiKey: options.apiKey,
    rateLimit,
    chats: options.chats ?? exampleChats(),
    webhooks: options.webhooks,
    report,
  });
  const server = await startFrontAndPrism({
    ...settings,
    specPath: openapiYamlPath,
    onLog: options.onLog,
    signal: options.signal,
    review: sandboxReview({ admit: core.admit, report }),
    upstream: core.url,
  }).catch(async (error: unknown) => {
    await core.close();
    throw error;
  });
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    pid: server.pid,
    reset: () => core.reset(),
    webhooksDelivered: () => core.webhooksDelivered(),
    stop: () => {
      stopping ??= Promise.all([server.stop(), core.close()]).then(() => undefined);
      return stopping;
    },
  };
}

/** Each chat an object with a positive integer id of its own: the sandbox's key to it. */
function checkChats(chats: readonly SandboxChat[] | undefined): void {
  const ids = new Set<number>();
  for (const chat of chats ?? []) {
    const id = (chat as { id?: unknown } | null)?.id;
    if (!(Number.isSafeInteger(id) && (id as number) > 0)) {
      throw new Error(`every chat needs a positive integer id, not ${JSON.stringify(id)}`);
    }
    if (ids.has(id as number)) {
      throw new Error(`two chats have the id ${id}`);
    }
    ids.add(id as number);
  }
}

function checkWebhooks(webhooks: SandboxOptions["webhooks"]): void {
  if (webhooks !== undefined) {
    checkWebhookTarget(webhooks, { url: "webhooks.url", signingKey: "webhooks.signingKey" });
  }
}
