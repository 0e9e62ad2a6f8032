// What the sandbox and sendWebhook take from the bundled spec itself, so that they cannot drift
// from it: the error envelopes of its examples, the example chats the sandbox starts with and
// the example delivery of each webhook event.
import { readFileSync } from "node:fs";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import type { ErrorBody, SandboxChat } from "./types.js";

interface SpecExample {
  value: unknown;
}
interface Spec {
  webhooks: Record<
    string,
    {
      post: {
        requestBody: { content: { "application/json": { examples: Record<string, SpecExample> } } };
      };
    }
  >;
  components: {
    examples: Record<string, SpecExample>;
    responses: Record<
      string,
      { content: { "application/json": { examples: Record<string, SpecExample> } } }
    >;
  };
}

let loaded: Spec | undefined;
function spec(): Spec {
  loaded ??= JSON.parse(readFileSync(openapiJsonPath, "utf8")) as Spec;
  return loaded;
}

/** The id the spec's examples use for a chat; replaced by the real id in an answer. */
const EXAMPLE_ID = "542335";

/** A copy of the named example of a shared error response, with the example chat id replaced by `id`. */
export function errorExample(response: string, example: string, id?: number): ErrorBody {
  const value =
    spec().components.responses[response]?.content["application/json"].examples[example]?.value;
  if (value === undefined) {
    throw new Error(`the bundled spec has no example ${example} of the ${response} response`);
  }
  const text = JSON.stringify(value);
  return JSON.parse(id === undefined ? text : text.replaceAll(EXAMPLE_ID, String(id))) as ErrorBody;
}

/**
 * The sandbox's default chats, from the spec's examples: the two chats of the documented page
 * (542335, closed and rated; 542336, on hold) and the snoozed chat of the snooze page, given
 * the id 542337 (the examples reuse 542335).
 */
export function exampleChats(): SandboxChat[] {
  const examples = spec().components.examples;
  const page = structuredClone(examples.ChatPageAsDocumented?.value) as { data: SandboxChat[] };
  const snoozed = structuredClone(examples.ChatSnoozed?.value) as SandboxChat;
  return [...page.data, { ...snoozed, id: 542337 }];
}

/** The events of the spec's `webhooks` section, in its order. */
export function webhookEventNames(): string[] {
  return Object.keys(spec().webhooks);
}

/** A copy of the first example delivery of a webhook event, or undefined for an unknown event. */
export function webhookExample(event: string): Record<string, unknown> | undefined {
  if (!Object.hasOwn(spec().webhooks, event)) {
    return undefined;
  }
  const examples = spec().webhooks[event]?.post.requestBody.content["application/json"].examples;
  const first = Object.values(examples ?? {})[0];
  if (first === undefined) {
    throw new Error(`the bundled spec has no example delivery of the ${event} webhook`);
  }
  return structuredClone(first.value) as Record<string, unknown>;
}
