// The client's options and each call's options, parsed rather than pattern-matched: every
// option is type-checked, and a ValidationError names each bad one before anything is sent.
import { ValidationError, type ValidationIssue } from "../errors.js";
import { LOG_LEVELS, type Logger, type LogLevel } from "./log.js";

/** The most retries a call may be given. */
export const MAX_RETRIES = 10;
/** The longest delay a timer can hold; longer timeouts would fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Default cap on one answer's body, after decompression: 4 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** The largest `maxResponseBytes` accepted: 1 GiB. */
export const MAX_RESPONSE_BYTES = 2 ** 30;
/** The largest `rateLimit.requestsPerMinute` accepted. */
export const MAX_REQUESTS_PER_MINUTE = 1_000_000;

/** The client's options once parsed: every default filled in. */
export interface ClientSettings {
  apiKey: string;
  baseUrl: string;
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
  rateLimit: { requestsPerMinute: number; maxWaitMs: number } | false;
  logger: Logger | undefined;
  logLevel: LogLevel;
}

/** What one call runs with: the client's defaults, overridden by the call's own options. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
}

/** Adds an issue for `field` unless `ok` holds. */
export const expect = (issues: ValidationIssue[], ok: unknown, field: string, message: string) =>
  ok || issues.push({ field, message });

/** Throws a ValidationError for the issues, if there are any. */
export function throwIssues(what: string, issues: ValidationIssue[]): void {
  if (issues.length) {
    throw new ValidationError(
      `${what}: ${issues.map((i) => `${i.field} ${i.message}`).join("; ")}`,
      {
        issues,
      },
    );
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Adds an issue for each key of `given` that is not an option (a typo, most often). */
function unknownKeys(issues: ValidationIssue[], given: object, known: string[], prefix = ""): void {
  for (const key of Object.keys(given)) {
    expect(issues, known.includes(key), prefix + key, "is not an option");
  }
}

const CLIENT_OPTIONS = [
  "apiKey",
  "baseUrl",
  "fetch",
  "maxRetries",
  "timeoutMs",
  "maxResponseBytes",
  "rateLimit",
  "logger",
  "logLevel",
];
const CALL_OPTIONS = ["signal", "timeoutMs", "maxRetries"];

const isTimeout = (value: unknown) =>
  typeof value === "number" && value > 0 && value <= MAX_TIMEOUT_MS;
const isRetries = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RETRIES;
const TIMEOUT_RULE = `must be a number of ms from 1 to ${MAX_TIMEOUT_MS}`;
const RETRIES_RULE = `must be an integer from 0 to ${MAX_RETRIES}`;

/** An AbortSignal, from this realm or another (checked by shape, not by class). */
const isSignal = (value: unknown): value is AbortSignal =>
  isObject(value) &&
  typeof value.aborted === "boolean" &&
  typeof value.addEventListener === "function" &&
  typeof value.removeEventListener === "function";

/** Parses the options of createHelpCrunchClient; throws a ValidationError naming each bad one. */
export function parseClientOptions(options: unknown): ClientSettings {
  const issues: ValidationIssue[] = [];
  if (options !== undefined && !isObject(options)) {
    expect(issues, 0, "options", "must be an object (or omitted)");
    throwIssues("Invalid client options", issues);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  unknownKeys(issues, given, CLIENT_OPTIONS);
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const {
    apiKey = env?.HELPCRUNCH_API_KEY,
    baseUrl = "https://api.helpcrunch.com/v1",
    fetch,
    timeoutMs = 30_000,
    maxRetries = 2,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    rateLimit = {},
    logger,
    logLevel = "off",
  } = given;

  expect(
    issues,
    typeof apiKey === "string" && /^[\x21-\x7e]+$/.test(apiKey),
    "apiKey",
    "must be a string (or HELPCRUNCH_API_KEY), without whitespace or line breaks",
  );
  const url = parseBaseUrl(baseUrl);
  expect(
    issues,
    url,
    "baseUrl",
    "must be an https URL (http only for loopback) without credentials, query or fragment",
  );
  expect(issues, fetch === undefined || typeof fetch === "function", "fetch", "must be a function");
  expect(issues, isTimeout(timeoutMs), "timeoutMs", TIMEOUT_RULE);
  expect(issues, isRetries(maxRetries), "maxRetries", RETRIES_RULE);
  expect(
    issues,
    Number.isInteger(maxResponseBytes) &&
      (maxResponseBytes as number) >= 1 &&
      (maxResponseBytes as number) <= MAX_RESPONSE_BYTES,
    "maxResponseBytes",
    `must be an integer from 1 to ${MAX_RESPONSE_BYTES}`,
  );

  let limit: ClientSettings["rateLimit"] = false;
  if (rateLimit !== false) {
    if (isObject(rateLimit)) {
      unknownKeys(issues, rateLimit, ["requestsPerMinute", "maxWaitMs"], "rateLimit.");
      const { requestsPerMinute = 120, maxWaitMs = Number.POSITIVE_INFINITY } = rateLimit;
      expect(
        issues,
        Number.isInteger(requestsPerMinute) &&
          (requestsPerMinute as number) >= 1 &&
          (requestsPerMinute as number) <= MAX_REQUESTS_PER_MINUTE,
        "rateLimit.requestsPerMinute",
        `must be an integer from 1 to ${MAX_REQUESTS_PER_MINUTE}`,
      );
      expect(
        issues,
        typeof maxWaitMs === "number" && maxWaitMs >= 0,
        "rateLimit.maxWaitMs",
        "must be a number of ms ≥ 0 (Infinity: no bound)",
      );
      limit = { requestsPerMinute, maxWaitMs } as { requestsPerMinute: number; maxWaitMs: number };
    } else {
      expect(issues, 0, "rateLimit", "must be false or { requestsPerMinute?, maxWaitMs? }");
    }
  }

  const level = LOG_LEVELS.indexOf(logLevel as LogLevel);
  expect(issues, level >= 0, "logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  if (logger !== undefined) {
    const missing = LOG_LEVELS.slice(1, Math.max(level, 0) + 1).filter(
      (name) => typeof (logger as Record<string, unknown> | null)?.[name] !== "function",
    );
    expect(
      issues,
      isObject(logger) && !missing.length,
      "logger",
      `must be an object with the methods ${missing.join(", ") || "of its level"}`,
    );
  }
  throwIssues("Invalid client options", issues);
  return {
    apiKey: apiKey as string,
    baseUrl: url as string,
    fetch: fetch as typeof globalThis.fetch | undefined,
    timeoutMs: timeoutMs as number,
    maxRetries: maxRetries as number,
    maxResponseBytes: maxResponseBytes as number,
    rateLimit: limit,
    logger: logger as Logger | undefined,
    logLevel: logLevel as LogLevel,
  };
}

/**
 * The base URL without its trailing slashes, or undefined when it is not acceptable: it must
 * parse as an absolute URL, be https (plain http only to a loopback host: localhost,
 * 127.x.x.x, [::1]), and carry no credentials, query, fragment or whitespace, and no port 0.
 */
function parseBaseUrl(value: unknown): string | undefined {
  if (typeof value !== "string" || /[\s?#]/.test(value)) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
  const ok =
    (url.protocol === "https:" || (url.protocol === "http:" && loopback)) &&
    !url.username &&
    !url.password &&
    url.port !== "0";
  return ok ? `${url.origin}${url.pathname.replace(/\/+$/, "")}` : undefined;
}

/** Parses a call's options over the client's defaults, adding an issue for each bad one. */
export function parseCallOptions(
  options: unknown,
  defaults: ClientSettings,
  issues: ValidationIssue[],
): CallSettings {
  if (options === undefined || !isObject(options)) {
    expect(issues, options === undefined, "options", "must be an object (or omitted)");
    return { signal: undefined, timeoutMs: defaults.timeoutMs, maxRetries: defaults.maxRetries };
  }
  const given = options as Record<string, unknown>;
  unknownKeys(issues, given, CALL_OPTIONS);
  const { signal, timeoutMs = defaults.timeoutMs, maxRetries = defaults.maxRetries } = given;
  expect(issues, signal === undefined || isSignal(signal), "signal", "must be an AbortSignal");
  expect(issues, isTimeout(timeoutMs), "timeoutMs", TIMEOUT_RULE);
  expect(issues, isRetries(maxRetries), "maxRetries", RETRIES_RULE);
  return {
    signal: signal as AbortSignal | undefined,
    timeoutMs: timeoutMs as number,
    maxRetries: maxRetries as number,
  };
}
