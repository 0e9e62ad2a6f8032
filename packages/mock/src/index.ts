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
import { startFrontAndPrism, startSettings } from "./internal/start.js";

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

/** Starts the mock and resolves once it answers; rejects with the reason (Prism's own message if Prism cannot start). */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const settings = startSettings(options);
  options.signal?.throwIfAborted();
  return startFrontAndPrism({
    ...settings,
    specPath: options.specPath ?? openapiYamlPath,
    onLog: options.onLog,
    signal: options.signal,
  });
}

export { type Sandbox, type SandboxChat, type SandboxOptions, startSandbox } from "./sandbox.js";
export {
  type SendWebhookOptions,
  type SentWebhook,
  sendWebhook,
  webhookEvents,
} from "./send-webhook.js";
