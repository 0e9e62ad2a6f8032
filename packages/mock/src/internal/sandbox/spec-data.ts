// What the sandbox takes from the bundled spec itself, so that it cannot drift from it: the
// error envelopes of its examples and the example chats it starts with.
import { readFileSync } from "node:fs";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import type { ErrorBody, SandboxChat } from "./types.js";

interface SpecExample {
  value: unknown;
}
interface Spec {
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
