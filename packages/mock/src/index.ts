/**
 * A Prism mock server of the HelpCrunch Chats API v1: it answers every documented operation
 * with the contract's own examples and validates each request against the spec.
 */
import { openapiYamlPath } from "@helpcrunch-chats/openapi";
import { launchPrism } from "./internal/launch.js";

/** How to start the mock; every option has a default. */
export interface MockServerOptions {
  /** Port to listen on; omitted or 0 picks a free port (retrying if another process takes it first). */
  port?: number;
  /** Interface to listen on; defaults to "127.0.0.1" (loopback only). */
  host?: string;
  /** OpenAPI file to mock; defaults to the bundled HelpCrunch Chats spec of @helpcrunch-chats/openapi. */
  specPath?: string;
  /** Milliseconds to wait for Prism to accept connections before the start fails; defaults to 15000. */
  startTimeoutMs?: number;
  /** Receives each line Prism logs (routes, requests, validation results); by default they are dropped. */
  onLog?: (line: string) => void;
}

/** A running mock: a real Prism process serving the spec over HTTP. */
export interface MockServer {
  /** Base URL to point a client at, e.g. "http://127.0.0.1:43121" (no trailing slash). */
  readonly url: string;
  /** Port Prism listens on. */
  readonly port: number;
  /** Process id of the Prism child process. */
  readonly pid: number;
  /** Stops Prism (SIGTERM, then SIGKILL after a grace period) and resolves once it has exited; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts Prism on the spec and resolves once it accepts connections; rejects with Prism's own message if it cannot start. */
export function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  return launchPrism({
    specPath: options.specPath ?? openapiYamlPath,
    host: options.host ?? "127.0.0.1",
    port: options.port || undefined,
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    onLog: options.onLog,
  });
}
