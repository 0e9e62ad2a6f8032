// Shared by the fault-injection suites: a client pointed at a fault server, with a planted
// API key and a logger that records everything it is given at the most verbose level.
import { inspect } from "node:util";
import { expect, vi } from "vitest";
import {
  createHelpCrunchClient,
  type HelpCrunchClient,
  type HelpCrunchClientOptions,
} from "../../src/index.js";

/** A key that must never appear in any error, log line or inspection output. */
export const PLANTED_KEY = "hc_live_PLANTED-SECRET-7f3a9c51d2";

export interface Harness {
  hc: HelpCrunchClient;
  /** Every line the logger received, at every level. */
  logs: string[];
}

export function makeClient(baseUrl: string, options: HelpCrunchClientOptions = {}): Harness {
  const logs: string[] = [];
  const record = (level: string) => (message: string) => logs.push(`${level} ${message}`);
  const hc = createHelpCrunchClient({
    apiKey: PLANTED_KEY,
    baseUrl,
    rateLimit: false,
    logLevel: "debug",
    logger: {
      error: record("error"),
      warn: record("warn"),
      info: record("info"),
      debug: record("debug"),
    },
    ...options,
  });
  return { hc, logs };
}

/** Everything a user could print of a value: message, stack, JSON and a deep inspection. */
export function renderings(value: unknown): string[] {
  const error = value as Error;
  return [
    String(error?.message),
    String(error?.stack),
    JSON.stringify(value) ?? "",
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY, getters: true }),
  ];
}

/** Asserts the planted key appears in none of the renderings of the values, nor in the logs. */
export function expectNoLeak(logs: string[], ...values: unknown[]): void {
  for (const text of [...logs, ...values.flatMap(renderings)]) {
    expect(text).not.toContain(PLANTED_KEY);
  }
}

/** Captures the rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

/** Full-jitter backoff draws from Math.random: pin it so retries do not wait. */
export function noBackoffJitter(): void {
  vi.spyOn(Math, "random").mockReturnValue(0);
}
