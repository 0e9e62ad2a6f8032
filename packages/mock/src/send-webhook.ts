// sendWebhook: one signed chat event, as HelpCrunch would send it, to an integrator's endpoint.
import { randomUUID } from "node:crypto";
import { webhookEventNames, webhookExample } from "./internal/sandbox/spec-data.js";
import { checkWebhookTarget, deliverWebhook } from "./internal/webhook-delivery.js";

/** How to send one webhook event with `sendWebhook`. */
export interface SendWebhookOptions {
  /** The webhook signing key the `X-HelpCrunch-Signature` header is made with; must not be empty. */
  signingKey: string;
  /**
   * Fields laid over the example's `eventData`: a shallow merge, so each top-level field given
   * replaces the example's whole (`customer: { id: 1 }` replaces the example customer, it is
   * not merged into it); fields not given keep the example's values.
   */
  eventData?: Record<string, unknown>;
  /** Aborting it cancels the delivery; `sendWebhook` then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a `sendWebhook` delivery got back, and what it sent. */
export interface SentWebhook {
  /** The HTTP status the receiver answered, whatever it is (a non-2xx status does not reject). */
  status: number;
  /** The receiver's answer body as UTF-8 text (its first 64 KiB). */
  body: string;
  /** The exact JSON text that was POSTed and signed, e.g. to read the event's fresh `id`. */
  sent: string;
}

/**
 * The webhook events `sendWebhook` knows: those of the bundled spec's `webhooks` section
 * (`chat.new`, `chat.status_updated`, `chat.assigned`, `chat.snoozed`, `chat.unsnoozed`,
 * `chat.closed`, `chat.rated`).
 */
export function webhookEvents(): string[] {
  return webhookEventNames();
}

/**
 * POSTs one chat webhook event to `url` as HelpCrunch does, to test an endpoint: the bundled
 * spec's example delivery of `event`, with `options.eventData` shallow-merged over its
 * `eventData`, a fresh `id` (a random UUID) and `createdAt` and `lastAttemptAt` set to now
 * (Unix seconds). The body is serialised once; `X-HelpCrunch-Signature` is the lowercase hex
 * HMAC-SHA1 of exactly those bytes keyed by `options.signingKey`, and `Content-Type` is
 * `application/json`.
 *
 * Resolves with the receiver's status and answer, whatever the status. Rejects, before
 * sending anything, for an event the spec does not know (the message lists those it does), an
 * empty signing key, a URL that is not http(s) or an `eventData` that is not an object; and
 * rejects on a network error, with no answer after 30 s, or when `options.signal` aborts.
 *
 * @example
 * const { status } = await sendWebhook("http://127.0.0.1:3000/webhooks", "chat.closed", {
 *   signingKey: process.env.HELPCRUNCH_WEBHOOK_KEY!,
 *   eventData: { id: 1234, closedBy: "agent" },
 * });
 */
export async function sendWebhook(
  url: string,
  event: string,
  options: SendWebhookOptions,
): Promise<SentWebhook> {
  const signingKey = options?.signingKey;
  checkWebhookTarget({ url, signingKey }, { url: "url", signingKey: "signingKey" });
  const example = typeof event === "string" ? webhookExample(event) : undefined;
  if (example === undefined) {
    throw new Error(
      `unknown webhook event ${JSON.stringify(event)}; the spec's events are ${webhookEventNames().join(", ")}`,
    );
  }
  const eventData = options.eventData ?? {};
  if (typeof eventData !== "object" || eventData === null || Array.isArray(eventData)) {
    throw new Error("eventData must be an object of fields to lay over the example's eventData");
  }
  options.signal?.throwIfAborted();
  const now = Math.floor(Date.now() / 1000);
  const sent = JSON.stringify({
    ...example,
    id: randomUUID(),
    event,
    eventData: { ...(example.eventData as Record<string, unknown>), ...eventData },
    lastAttemptAt: now,
    createdAt: now,
  });
  const answer = await deliverWebhook({ url, signingKey }, sent, options.signal);
  return { ...answer, sent };
}
