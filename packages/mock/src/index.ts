/**
 * A mock server of the HelpCrunch Chats API v1: Prism answers every documented operation with
 * the contract's own examples and validates each request against the spec, behind a small
 * front server that serves it under /v1 like the real API and answers malformed, too deeply
 * nested and oversized JSON bodies with the API's error envelope. And a stateful sandbox
 * (`startSandbox`, in ./sandbox.ts): the same front server and Prism, as a validating proxy,
 * in front of chats kept in memory. And `sendWebhook` (in ./send-webhook.ts): one signed chat
 * webhook event, from the spec's examples, POSTed to an endpoint under test.
 */
import { openapiYamlPath } from "@helpcrunch-chats/openapi";
import { startFront } from "./internal/front.js";
import { launchPrism } from "./internal/launch.js";

/** How to start the mock; every option has a default. */
export interface MockServerOptions {
  /** Port to listen on; omitted or 0 picks a free port. */
  port?: number;
  /** Interface to listen on; defaults to "127.0.0.1" (loopback only). */
  host?: string;
  /** OpenAPI file to mock; defaults to the bundled HelpCrunch Chats spec of @helpcrunch-chats/openapi. */
  specPath?: string;
  /** Milliseconds to wait for Prism to accept connections before the start fails; defaults to 120000. */
  startTimeoutMs?: number;
  /** Receives each line Prism logs (routes, requests, validation results); by default they are dropped. */
  onLog?: (line: string) => void;
  /** Aborting it during the start kills Prism at once and rejects the start with an AbortError. */
  signal?: AbortSignal;
}

/** A running mock: a front server on `port` and the Prism process behind it. */
export interface MockServer {
  /** Base URL to point a client at, ending in /v1 like the real one, e.g. "http://127.0.0.1:43121/v1". */
  readonly url: string;
  /** Port the mock listens on. */
  readonly port: number;
  /** Process id of the Prism child process. */
  readonly pid: number;
  /** Stops the server and Prism (SIGTERM, then SIGKILL after a grace period); resolves once both are gone; safe to call twice. */
  stop(): Promise<void>;
}

/** The default of `startTimeoutMs`: generous, as Prism takes seconds to start on a loaded machine. */
const DEFAULT_START_TIMEOUT_MS = 120_000;

/** Starts the mock and resolves once it answers; rejects with the reason (Prism's own message if Prism cannot start). */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port < 65_536)) {
    throw new Error(`port must be an integer from 1 to 65535 (or 0 for a free one), not ${port}`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!(startTimeoutMs > 0)) {
    throw new Error(`startTimeoutMs must be a positive number, not ${startTimeoutMs}`);
  }
  options.signal?.throwIfAborted();
  const front = await startFront({ host: options.host ?? "127.0.0.1", port });
  try {
    // Prism itself listens on a private loopback port that only the front server uses.
    const prism = await launchPrism({
      specPath: options.specPath ?? openapiYamlPath,
      host: "127.0.0.1",
      port: undefined,
      startTimeoutMs,
      onLog: options.onLog,
      signal: options.signal,
      shownUrl: front.url,
    });
    front.setUpstream(prism.port);
    let stopping: Promise<void> | undefined;
    return {
      url: front.url,
      port: front.port,
      pid: prism.pid,
      stop: () => {
        stopping ??= Promise.all([front.close(), prism.stop()]).then(() => undefined);
        return stopping;
      },
    };
  } catch (error) {
    await front.close();
    throw error;
  }
}

export { type Sandbox, type SandboxChat, type SandboxOptions, startSandbox } from "./sandbox.js";
export {
  type SendWebhookOptions,
  type SentWebhook,
  sendWebhook,
  webhookEvents,
} from "./send-webhook.js";
