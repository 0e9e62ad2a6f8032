// Webhook deliveries as HelpCrunch sends them: a signed JSON POST per event, in order.
import { randomUUID } from "node:crypto";
import { deliverWebhook, type WebhookTarget } from "../webhook-delivery.js";
import type { ChatEvent, StoredChat } from "./types.js";

/** Seconds with a millisecond fraction, as eventData writes timestamps ("1607542030.713"). */
function withFraction(value: unknown, exactMs: number | undefined): string | null {
  if (exactMs !== undefined) {
    return (exactMs / 1000).toFixed(3);
  }
  if (
    typeof value === "number" ||
    (typeof value === "string" && /^[0-9]+(\.[0-9]+)?$/.test(value))
  ) {
    return Number(value).toFixed(3);
  }
  return null;
}

/** A webhook's chat model, from the chat as it is now (a copy: later changes do not alter it). */
export function eventData({ chat, exactMs }: StoredChat): Record<string, unknown> {
  const agents = Array.isArray(chat.agents) ? chat.agents : chat.agents ? [chat.agents] : [];
  return structuredClone({
    id: chat.id,
    communicatedAgents: agents
      .map((agent) => (agent as { id?: unknown } | null)?.id)
      .filter((id) => typeof id === "number"),
    customer: chat.customer ?? null,
    closedBy: chat.closedBy ?? null,
    status: chat.status ?? null,
    closedAt: withFraction(chat.closedAt, exactMs.closedAt),
    rating: chat.rating ?? null,
    createdAt: withFraction(chat.createdAt, exactMs.createdAt),
    snoozedUntil: withFraction(chat.snoozedUntil, undefined),
    applicationId: chat.applicationId ?? null,
    department: chat.department ?? null,
  });
}

/** Sends events to one URL, one after another; failures are reported, never thrown. */
export class WebhookQueue {
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: WebhookTarget | undefined,
    private readonly report: (line: string) => void,
  ) {}

  /** Queues the events of one change (their payloads are fixed now, sent later in order). */
  send(events: readonly ChatEvent[]): void {
    const target = this.target;
    if (!target) {
      return;
    }
    for (const { event, chat } of events) {
      const nowSeconds = Math.floor(Date.now() / 1000);
      const payload = {
        id: randomUUID(),
        event,
        eventData: eventData(chat),
        attempts: 0,
        lastAttemptAt: nowSeconds,
        createdAt: nowSeconds,
      };
      this.last = this.last.then(() => this.deliver(target, event, JSON.stringify(payload)));
    }
  }

  /** Resolves once every event queued so far was delivered or failed. */
  settled(): Promise<void> {
    return this.last;
  }

  private async deliver(target: WebhookTarget, event: string, body: string): Promise<void> {
    try {
      const { status } = await deliverWebhook(target, body);
      if (status < 200 || status > 299) {
        this.report(`[sandbox] webhook ${event} to ${target.url} failed: HTTP ${status}`);
      }
    } catch (error) {
      this.report(
        `[sandbox] webhook ${event} to ${target.url} failed: ${(error as Error).message}`,
      );
    }
  }
}
