// What startMockServer (../index.ts) and startSandbox (../sandbox.ts) share: the options they
// both take, checked and given their defaults before anything starts, and the start itself
// of the public front server with Prism behind it on a private loopback port.
import type { MockServer, MockServerOptions } from "../index.js";
import { type ReviewAnswer, startFront } from "./front.js";
import { launchPrism } from "./launch.js";

/** The default of `startTimeoutMs`: generous, as Prism takes seconds to start on a loaded machine. */
const DEFAULT_START_TIMEOUT_MS = 120_000;

/** The options both starts take, checked, with their defaults filled in. */
export interface StartSettings {
  /** The front server's port; 0 picks a free one. */
  port: number;
  /** The front server's interface. */
  host: string;
  startTimeoutMs: number;
}

/**
 * Checks `port` and `startTimeoutMs` and fills in the defaults of `port`, `host` and
 * `startTimeoutMs`; throws on a bad value. Called first, so a bad option starts nothing.
 */
export function startSettings(
  options: Pick<MockServerOptions, "port" | "host" | "startTimeoutMs">,
): StartSettings {
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port < 65_536)) {
    throw new Error(`port must be an integer from 1 to 65535 (or 0 for a free one), not ${port}`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!(startTimeoutMs > 0)) {
    throw new Error(`startTimeoutMs must be a positive number, not ${startTimeoutMs}`);
  }
  return { port, host: options.host ?? "127.0.0.1", startTimeoutMs };
}

export interface FrontAndPrismOptions extends StartSettings {
  specPath: string;
  onLog: ((line: string) => void) | undefined;
  signal: AbortSignal | undefined;
  /** Passed to the front server: may replace Prism's answers (the sandbox's envelope). */
  review?: ReviewAnswer | undefined;
  /** Runs Prism as a validating proxy in front of this URL instead of mocking. */
  upstream?: string | undefined;
}

/**
 * Starts the front server on host:port, then Prism behind it, and resolves once both answer;
 * if Prism cannot start, closes the front server before rejecting.
 */
export async function startFrontAndPrism(options: FrontAndPrismOptions): Promise<MockServer> {
  const front = await startFront({
    host: options.host,
    port: options.port,
    review: options.review,
  });
  try {
    // Prism itself listens on a private loopback port that only the front server uses.
    const prism = await launchPrism({
      specPath: options.specPath,
      host: "127.0.0.1",
      port: undefined,
      startTimeoutMs: options.startTimeoutMs,
      onLog: options.onLog,
      signal: options.signal,
      shownUrl: front.url,
      upstream: options.upstream,
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
