// Type-level tests of `@helpcrunch-chats/client/webhooks`: the event types come from the spec.

import type { components } from "@helpcrunch-chats/types";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ChatWebhookEvent,
  type ChatWebhookEventName,
  parseWebhookEvent,
  verifyWebhookSignature,
  type WebhookEventOf,
} from "../src/webhooks.js";

describe("webhook types", () => {
  it("are the generated ChatWebhookEvent union", () => {
    expectTypeOf<ChatWebhookEvent>().toEqualTypeOf<components["schemas"]["ChatWebhookEvent"]>();
    expectTypeOf<ChatWebhookEventName>().toEqualTypeOf<
      | "chat.new"
      | "chat.status_updated"
      | "chat.assigned"
      | "chat.snoozed"
      | "chat.unsnoozed"
      | "chat.closed"
      | "chat.rated"
    >();
  });

  it("pick one event by name", () => {
    expectTypeOf<WebhookEventOf<"chat.closed">>().toEqualTypeOf<
      components["schemas"]["ChatClosedWebhookEvent"]
    >();
    expectTypeOf<WebhookEventOf<"chat.closed">["event"]>().toEqualTypeOf<"chat.closed">();
    // @ts-expect-error: not a chat event
    type _Unknown = WebhookEventOf<"chat.deleted">;
  });

  it("narrow on `event` and type the envelope and eventData", async () => {
    const delivered = await parseWebhookEvent("{}", "0".repeat(40), "key");
    expectTypeOf(delivered.id).toEqualTypeOf<string>();
    expectTypeOf(delivered.attempts).toEqualTypeOf<number>();
    if (delivered.event === "chat.rated") {
      expectTypeOf(delivered).toEqualTypeOf<WebhookEventOf<"chat.rated">>();
      expectTypeOf(delivered.eventData.rating).toEqualTypeOf<string | null | undefined>();
    }
  });

  it("take a string, bytes or an ArrayBuffer, and a header as frameworks give it", () => {
    expectTypeOf(verifyWebhookSignature)
      .parameter(0)
      .toEqualTypeOf<string | Uint8Array | ArrayBuffer>();
    expectTypeOf(verifyWebhookSignature).toBeCallableWith(
      Buffer.from("{}"),
      undefined as string | string[] | undefined,
      "key",
    );
    expectTypeOf(verifyWebhookSignature).toBeCallableWith("{}", null, "key");
    expectTypeOf(verifyWebhookSignature).returns.resolves.toEqualTypeOf<boolean>();
  });
});
