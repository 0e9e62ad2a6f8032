// The mock's public face: a small HTTP server in front of Prism. It serves the API under /v1
// like the real base URL, answers the requests Prism would hang on or crash on (malformed,
// too deeply nested or too large JSON bodies) with the API's own error envelope, and forwards
// everything else to Prism on a private loopback port, passing Prism's answer back unchanged.
import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  request,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import {
  isJsonMediaType,
  isUnreadableJsonType,
  jsonBodyProblem,
  MAX_BODY_BYTES,
  MAX_JSON_DEPTH,
} from "./json-body.js";
import { baseUrl } from "./ports.js";

/** The path prefix of the real API (`https://api.helpcrunch.com/v1`). */
export const API_PREFIX = "/v1";
/** How long Prism may stay silent on a forwarded request before the mock answers 504. */
const UPSTREAM_TIMEOUT_MS = 60_000;

/** Headers that describe one connection, not the message: never passed on either way. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

/** One entry of the API's error envelope (`ErrorDetail` in the spec). */
interface ErrorDetail {
  code: string;
  message: string;
}

/** The API's error envelope: `invalid_request` first, then what went wrong (as the spec documents). */
export function errorEnvelope(code: string, message: string): { errors: ErrorDetail[] } {
  return {
    errors: [
      { code: "invalid_request", message: "Invalid request" },
      { code, message },
    ],
  };
}

export interface FrontOptions {
  host: string;
  /** A fixed port, or 0 for one the operating system picks. */
  port: number;
  maxBodyBytes?: number;
  maxDepth?: number;
  /**
   * Sees each complete answer from upstream before it is passed on, and may replace it (the
   * sandbox turns Prism's own problem answers into the API's envelope). Without it, answers
   * are streamed back unchanged.
   */
  review?: ReviewAnswer;
}

/** A complete HTTP answer. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The request as forwarded upstream (path without /v1), with its parsed-as-is headers. */
export interface ForwardedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** Returns the answer to send instead of upstream's, or undefined to pass upstream's on. */
export type ReviewAnswer = (request: ForwardedRequest, answer: Answer) => Answer | undefined;

export interface FrontServer {
  /** The public base URL, ending in /v1. */
  readonly url: string;
  readonly port: number;
  /** Starts forwarding to Prism on 127.0.0.1:port; until then requests get a 503 envelope. */
  setUpstream(port: number): void;
  /** Closes the listening socket and every connection, idle or not; resolves once closed. */
  close(): Promise<void>;
}

/** Listens on host:port; rejects with Node's own error (e.g. EADDRINUSE) if it cannot. */
export async function startFront(options: FrontOptions): Promise<FrontServer> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  const agent = new Agent({ keepAlive: true });
  let upstreamPort: number | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      answerError(res, 500, "mock_error", `The mock failed: ${(error as Error).message}`);
    });
  });
  // What Node would answer with a bare 400 (a request it cannot parse) gets the envelope too.
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify(
      errorEnvelope(
        tooLarge ? "headers" : "request",
        tooLarge ? "The request headers are too large." : "The request is not valid HTTP.",
      ),
    );
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
        "content-type: application/json\r\n" +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        "connection: close\r\n\r\n" +
        body,
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on("error", () => res.destroy());
    const target = req.url ?? "/";
    const path = stripPrefix(target);
    if (path === undefined) {
      answerError(
        res,
        404,
        "not_found",
        `No such path: ${target.split("?")[0]}. The API is served under ${API_PREFIX}.`,
      );
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (declared > maxBodyBytes) {
      answerError(res, 413, "body", tooLargeMessage(maxBodyBytes));
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      answerError(res, 413, "body", tooLargeMessage(maxBodyBytes));
      return;
    }
    if (body.length > 0 && isUnreadableJsonType(req.headers["content-type"])) {
      answerError(
        res,
        415,
        "content-type",
        "Send a JSON body as application/json (UTF-8), one content type, no other parameter.",
      );
      return;
    }
    if (isJsonMediaType(req.headers["content-type"])) {
      const problem = jsonBodyProblem(body, maxDepth);
      if (problem) {
        answerError(res, problem.status, "body", problem.message);
        return;
      }
    }
    if (upstreamPort === undefined) {
      answerError(res, 503, "unavailable", "The mock is still starting; try again.");
      return;
    }
    forward(req, res, path, body, upstreamPort);
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer,
    port: number,
    again = false,
  ): void {
    const headers = passedOn(req.headers) as OutgoingHttpHeaders;
    if (body.length > 0 || req.headers["content-length"] !== undefined) {
      headers["content-length"] = String(body.length);
    }
    const upstream = request({
      host: "127.0.0.1",
      port,
      method: req.method,
      path,
      headers,
      agent: again ? false : agent, // a second try on a connection of its own
      timeout: UPSTREAM_TIMEOUT_MS,
    });
    let answered = false;
    upstream.on("response", (answer) => {
      answered = true;
      answer.on("error", () => res.destroy());
      const review = options.review;
      if (!review) {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, passedOn(answer.headers));
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const received: Answer = {
          status: answer.statusCode ?? 502,
          headers: passedOn(answer.headers),
          body: Buffer.concat(chunks),
        };
        const sent = review({ method: req.method ?? "GET", path, headers: req.headers }, received);
        if (sent === undefined) {
          res.writeHead(received.status, answer.statusMessage, received.headers);
        } else {
          // Prism's CORS headers stay, so a browser can read the replacement too.
          for (const [name, value] of Object.entries(received.headers)) {
            if (name.startsWith("access-control-") && sent.headers[name] === undefined) {
              sent.headers[name] = value;
            }
          }
          sent.headers["content-length"] = String(sent.body.length);
          res.writeHead(sent.status, sent.headers);
        }
        res.end((sent ?? received).body);
      });
    });
    upstream.on("timeout", () => {
      upstream.destroy(new Error(`Prism did not answer within ${UPSTREAM_TIMEOUT_MS} ms`));
    });
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      // Prism closes a connection idle for 5 s (`Keep-Alive: timeout=5`; the agent lets it go
      // after 4). On a loaded machine, with the event loop late by more than that second, the
      // next request can go out on it as Prism closes it, and Prism resets it unread. So a
      // kept-alive connection reset before any answer is tried again, once, on a connection
      // of its own: Prism had not read the request, so even a create is not made twice.
      if (
        upstream.reusedSocket &&
        !answered &&
        !again &&
        error.code === "ECONNRESET" &&
        !res.destroyed
      ) {
        forward(req, res, path, body, port, true);
        return;
      }
      if (res.headersSent) {
        res.destroy();
      } else {
        answerError(res, 502, "upstream", `Prism did not answer: ${error.message}`);
      }
    });
    res.on("close", () => {
      if (!res.writableFinished) {
        upstream.destroy();
      }
    });
    upstream.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Like Prism's own process before, only Prism keeps the process alive: a process whose Prism
  // died ends (the bin reports it) instead of serving 502s for ever.
  server.unref();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  let closing: Promise<void> | undefined;

  return {
    url: `${baseUrl(options.host, port)}${API_PREFIX}`,
    port,
    setUpstream: (value) => {
      upstreamPort = value;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      });
      return closing;
    },
  };
}

/** The request target without the /v1 prefix, or undefined if it lies outside /v1. */
function stripPrefix(target: string): string | undefined {
  if (target === API_PREFIX) {
    return "/";
  }
  for (const next of ["/", "?"]) {
    if (target.startsWith(`${API_PREFIX}${next}`)) {
      const rest = target.slice(API_PREFIX.length);
      return rest.startsWith("/") ? rest : `/${rest}`;
    }
  }
  return undefined;
}

/** Reads the whole body, or resolves undefined as soon as it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.off("end", onEnd);
        // The rest is read and dropped (Node discards it once the answer is sent), so the
        // client finishes sending and then reads the 413.
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", reject);
  });
}

function tooLargeMessage(limit: number): string {
  return `The request body is larger than ${limit} bytes.`;
}

/** Headers to pass on: all but the hop-by-hop ones. */
function passedOn(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name)) {
      kept[name] = value;
    }
  }
  return kept;
}

/** Answers with the API's error envelope, unless an answer is already under way. */
function answerError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(errorEnvelope(code, message));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}
