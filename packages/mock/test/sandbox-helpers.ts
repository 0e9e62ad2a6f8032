// Shared by the sandbox tests: requests with fetch, and a loopback webhook receiver.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";

/** A safety net only: every answer comes at once. */
const SAFETY_NET_MS = 60_000;

export const KEY = "sandbox-test-key";

/** Sends a request to the sandbox: JSON body if given, the bearer key unless `key` is null. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = KEY,
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = {};
  if (key !== null) {
    headers.authorization = `Bearer ${key}`;
  }
  if (body !== undefined) {
    headers["content-type"] = "application/json";
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(SAFETY_NET_MS),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** One delivery as the receiver got it: the raw bytes and the headers. */
export interface Delivery {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** A loopback HTTP server that records every POST it gets and answers `status`. */
export async function webhookReceiver(status = 200) {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      deliveries.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/helpcrunch`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** True if the delivery's X-HelpCrunch-Signature is the HMAC-SHA1 of its exact bytes. */
export function signedWith(delivery: Delivery, signingKey: string): boolean {
  const sent = String(delivery.headers["x-helpcrunch-signature"] ?? "");
  const expected = createHmac("sha1", signingKey).update(delivery.raw).digest("hex");
  return (
    /^[0-9a-f]{40}$/.test(sent) &&
    timingSafeEqual(Buffer.from(sent, "utf8"), Buffer.from(expected, "utf8"))
  );
}
