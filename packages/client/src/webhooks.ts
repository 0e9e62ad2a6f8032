/**
 * Receiving HelpCrunch webhooks: check a delivery's `X-HelpCrunch-Signature` and read the
 * event it carries.
 *
 * Imported as `@helpcrunch-chats/client/webhooks`, apart from the API client, so that a
 * receiver does not load the client and the client does not carry this code. It uses only
 * Web Crypto (`globalThis.crypto.subtle`) and `TextEncoder`/`TextDecoder`: Node 20+, Deno,
 * Bun, Cloudflare Workers and browsers alike; nothing from `node:`.
 */
import type { components } from "@helpcrunch-chats/types";
import { HelpCrunchError } from "./errors.js";

/** Any chat webhook event HelpCrunch sends, told apart by `event` (generated from the spec). */
export type ChatWebhookEvent = components["schemas"]["ChatWebhookEvent"];

/** The chat event types: `"chat.new"`, `"chat.status_updated"`, `"chat.assigned"`, …. */
export type ChatWebhookEventName = ChatWebhookEvent["event"];

/** The event of one type, e.g. `WebhookEventOf<"chat.closed">`. */
export type WebhookEventOf<Name extends ChatWebhookEventName> = Extract<
  ChatWebhookEvent,
  { event: Name }
>;

/**
 * A request body exactly as it arrived: the bytes (`Uint8Array`, Node's `Buffer`, or an
 * `ArrayBuffer`), or the text they decode to as UTF-8. Never a re-serialised object.
 */
export type WebhookRawBody = string | Uint8Array | ArrayBuffer;

/**
 * The `X-HelpCrunch-Signature` header as a server framework hands it over: a string, or
 * nothing when it is missing. A list (the header sent more than once) never verifies.
 */
export type WebhookSignatureHeader = string | readonly string[] | null | undefined;

/**
 * A webhook delivery that must not be trusted: its signature does not match its body
 * (`reason: "signature"`), or the body is not a webhook event (`reason: "body"`). The message
 * never contains the signing key, the signature or the body.
 */
export class WebhookVerificationError extends HelpCrunchError {
  /** Why the delivery was refused. */
  declare readonly reason: "signature" | "body";
}
// Spelled out, as for the other error classes: a minifier renames the class itself.
WebhookVerificationError.prototype.name = "WebhookVerificationError";

const SIGNATURE = /^[0-9a-fA-F]{40}$/;
const encoder = new TextEncoder();

/** The body's bytes, copied into a fresh buffer (Web Crypto wants a plain ArrayBuffer). */
function bytesOf(rawBody: unknown): Uint8Array<ArrayBuffer> | undefined {
  try {
    return copyOf(rawBody);
  } catch {
    // A detached buffer, a Proxy around one: no bytes to verify.
    return undefined;
  }
}

function copyOf(rawBody: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof rawBody === "string") {
    return encoder.encode(rawBody);
  }
  if (rawBody instanceof Uint8Array) {
    return new Uint8Array(rawBody);
  }
  if (rawBody instanceof ArrayBuffer) {
    return new Uint8Array(rawBody.slice(0));
  }
  return undefined;
}

/** 40 hex characters (already checked) as their 20 bytes. */
function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return bytes;
}

function subtleCrypto(): SubtleCrypto {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new HelpCrunchError(
      "Web Crypto is not available (globalThis.crypto.subtle): verifying a webhook needs Node 20+ or a runtime with Web Crypto",
    );
  }
  return subtle;
}

/**
 * Whether `signature` (the `X-HelpCrunch-Signature` header) is the HMAC-SHA1 of `rawBody`
 * keyed with your webhook signing key (Settings → Developers → Webhooks).
 *
 * Pass the body exactly as received, before any JSON parsing: parsed and re-serialised JSON
 * is not the same bytes. The signature is 40 hex characters, in either case; the comparison
 * is Web Crypto's HMAC verify, which takes the same time wherever the bytes differ. A
 * missing, empty, wrongly sized or non-hex signature, a body that is not a string or bytes,
 * and a key that is not a non-empty string all give `false`, never an exception.
 */
export async function verifyWebhookSignature(
  rawBody: WebhookRawBody,
  signature: WebhookSignatureHeader,
  signingKey: string,
): Promise<boolean> {
  if (typeof signature !== "string" || !SIGNATURE.test(signature)) {
    return false;
  }
  if (typeof signingKey !== "string" || signingKey.length === 0) {
    return false;
  }
  const body = bytesOf(rawBody);
  if (!body) {
    return false;
  }
  const subtle = subtleCrypto();
  try {
    const key = await subtle.importKey(
      "raw",
      encoder.encode(signingKey),
      { name: "HMAC", hash: "SHA-1" },
      false,
      ["verify"],
    );
    return await subtle.verify("HMAC", key, hexToBytes(signature), body);
  } catch {
    return false;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Verifies a webhook delivery (see {@link verifyWebhookSignature}), then parses its body and
 * returns the event, typed by the spec: `switch (event.event)` narrows `event.eventData`.
 *
 * Throws a {@link WebhookVerificationError} when the signature does not match (`reason:
 * "signature"`: answer 401 and ignore the delivery), or when the body is not a JSON object
 * with a string `event` and an object `eventData` (`reason: "body"`). Event types outside
 * the chat events (`customer.*`, `message.*`) are returned as they came: keep a `default`
 * branch.
 */
export async function parseWebhookEvent(
  rawBody: WebhookRawBody,
  signature: WebhookSignatureHeader,
  signingKey: string,
): Promise<ChatWebhookEvent> {
  if (!(await verifyWebhookSignature(rawBody, signature, signingKey))) {
    throw new WebhookVerificationError(
      "The webhook's X-HelpCrunch-Signature does not match its body: check the signing key, and verify the raw body bytes as received, not re-serialised JSON",
      { reason: "signature" },
    );
  }
  let value: unknown;
  try {
    const text =
      typeof rawBody === "string"
        ? rawBody
        : new TextDecoder("utf-8", { fatal: true }).decode(bytesOf(rawBody));
    value = JSON.parse(text);
  } catch {
    // No `cause`: the parser's message quotes the body.
    throw new WebhookVerificationError("The webhook body is not valid UTF-8 JSON", {
      reason: "body",
    });
  }
  if (!isObject(value) || typeof value.event !== "string" || !isObject(value.eventData)) {
    throw new WebhookVerificationError(
      "The webhook body is not a webhook event: expected a JSON object with a string `event` and an object `eventData`",
      { reason: "body" },
    );
  }
  return value as unknown as ChatWebhookEvent;
}
