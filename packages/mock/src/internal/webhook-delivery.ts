// One signed webhook POST, as HelpCrunch sends it: the sandbox's deliveries and sendWebhook
// both go through here, so the signature and the request cannot differ between them.
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** Where webhook events go and the key their signature is made with. */
export interface WebhookTarget {
  url: string;
  signingKey: string;
}

/** What the receiver answered. */
export interface WebhookAnswer {
  /** The HTTP status of the answer. */
  status: number;
  /** The answer's body as text (UTF-8), cut at MAX_ANSWER_BYTES. */
  body: string;
}

/** How long one delivery may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 30_000;

/** How much of a receiver's answer is kept; the rest is read and dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The lowercase hex HMAC-SHA1 of the exact body bytes, keyed by the signing key. */
export function signature(body: string, signingKey: string): string {
  return createHmac("sha1", signingKey).update(body).digest("hex");
}

/**
 * Throws unless `url` is an http(s) URL and `signingKey` a non-empty string; `names` says
 * what the caller calls them in its messages.
 */
export function checkWebhookTarget(
  target: WebhookTarget,
  names: { url: string; signingKey: string },
): void {
  const protocol = URL.canParse(target.url) ? new URL(target.url).protocol : "";
  if (protocol !== "http:" && protocol !== "https:") {
    throw new Error(`${names.url} must be an http or https URL, not ${JSON.stringify(target.url)}`);
  }
  if (typeof target.signingKey !== "string" || target.signingKey === "") {
    throw new Error(`${names.signingKey} must be a non-empty string`);
  }
}

/**
 * POSTs `body` (serialised once, by the caller) to the target with `Content-Type:
 * application/json` and `X-HelpCrunch-Signature` over exactly those bytes; resolves with the
 * answer whatever its status; rejects on a network error, after DELIVERY_TIMEOUT_MS, or when
 * `signal` aborts (with its reason). Uses node:http(s), not the global fetch, which a user's
 * test may have stubbed.
 */
export function deliverWebhook(
  target: WebhookTarget,
  body: string,
  signal?: AbortSignal,
): Promise<WebhookAnswer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const url = new URL(target.url);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "x-helpcrunch-signature": signature(body, target.signingKey),
      },
      timeout: DELIVERY_TIMEOUT_MS,
      agent: false,
    });
    const onAbort = () => request.destroy(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on("data", (chunk: Buffer) => {
        if (kept < MAX_ANSWER_BYTES) {
          chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - kept));
          kept += chunk.length;
        }
      });
      response.on("end", () => {
        done();
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
      response.on("error", (error) => {
        done();
        reject(error);
      });
      // Cut off before its end (an abort, a reset): after "end", this rejection is a no-op.
      response.on("close", () => {
        done();
        reject(signal?.aborted ? signal.reason : new Error("the answer was cut off"));
      });
    });
    request.on("timeout", () => {
      request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`));
    });
    request.on("error", (error) => {
      done();
      reject(error);
    });
    request.end(body);
  });
}
