// The client's options and each call's options, parsed rather than pattern-matched: every
// option is read once (a getter cannot change it after it was checked), type-checked, and a
// ValidationError names each bad one before anything is sent.
import { ValidationError, type ValidationIssue } from "../errors.js";
import type { RateLimitStore } from "../rate-limit.js";
import { LOG_LEVELS, type Logger, type LogLevel } from "./log.js";
import { excerpt } from "./text.js";

/** The longest delay a timer can hold; longer timeouts would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The client's options once parsed: every default filled in. */
export interface ClientSettings {
  apiKey: string;
  baseUrl: string;
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  maxRetries: number;
  maxResponseBytes: number;
  rateLimit:
    | { limit: number; intervalMs: number; maxWaitMs: number; store?: RateLimitStore }
    | false;
  logger: Logger | undefined;
  logLevel: LogLevel;
  defaultHeaders: Record<string, string> | undefined;
}

/** What one call runs with: the client's defaults, overridden by the call's own options. */
export interface CallSettings {
  signal: AbortSignal | undefined;
  timeoutMs: number;
  maxRetries: number;
  headers: Record<string, string> | undefined;
}

type Options = Record<string, unknown>;
/** One option's rule: [check, what it must be]. */
type Rule = readonly [check: (value: unknown, all: Options) => unknown, expected: string];

/** Throws a ValidationError for the issues, if there are any. */
export function throwIssues(what: string, issues: ValidationIssue[]): void {
  if (issues.length) {
    // At most 10 issues in the message (all stay in `issues`), each field name bounded and
    // on one line, whatever keys the caller's input had.
    const shown = issues.slice(0, 10).map((i) => `${excerpt(i.field, 80)} ${i.message}`);
    const more = issues.length > 10 ? `; and ${issues.length - 10} more` : "";
    throw new ValidationError(`${what}: ${shown.join("; ")}${more}`, {
      issues,
    });
  }
}

const isObject = (value: unknown): value is Options =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A copy of the options object at `field` (own enumerable properties, each read once), `{}`
 * when it is undefined, or undefined with an issue when it is not an object or cannot be read.
 */
function read(value: unknown, field: string, issues: ValidationIssue[]): Options | undefined {
  try {
    if (value === undefined || isObject(value)) {
      return { ...value };
    }
  } catch {}
  issues.push({ field, message: "must be an object (or omitted)" });
}

/** A number rule: a number (an integer if `integer`) from `min` to `max`. */
const range = (min: number, max: number, integer?: boolean, unit = ""): Rule => [
  (value) =>
    typeof value === "number" &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value)),
  `must be ${integer ? "an integer" : "a number"}${unit} from ${min} to ${max}`,
];

/**
 * Checks `given` against `rules` (options given as undefined are removed: left to their
 * defaults), adding an issue for each bad option and for each option that has no rule (a
 * typo, most often).
 */
function check(
  given: Options,
  rules: Record<string, Rule>,
  issues: ValidationIssue[],
  prefix = "",
) {
  for (const key in given) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    const value = given[key];
    if (!rule) {
      issues.push({ field: prefix + key, message: "is not an option" });
    } else if (value === undefined) {
      delete given[key]; // left to its default
    } else if (!rule[0](value, given)) {
      issues.push({ field: prefix + key, message: rule[1] });
    }
  }
}

/**
 * Extra headers, copied: header names (HTTP tokens) to values `fetch` can send (Latin-1
 * without control characters). `Authorization` and `Content-Type` are the client's own;
 * `Content-Length` and the connection's own headers are ones `fetch` refuses to send.
 */
const HEADERS: Rule = [
  (value) =>
    isObject(value) &&
    Object.entries(value).every(
      ([name, text]) =>
        /^[!#$%&'*+.^_`|~\w-]+$/.test(name) &&
        !/^(authorization|content-(type|length)|connection|keep-alive|transfer-encoding|upgrade|expect)$/i.test(
          name,
        ) &&
        typeof text === "string" &&
        /^[\t\x20-\x7e\x80-\xff]*$/.test(text),
    ),
  "must map header names to Latin-1 strings without control characters (not Authorization, Content-Type, Content-Length or a hop-by-hop header)",
];
const TIMEOUT = range(1, MAX_TIMER_MS, false, " of ms");
const RETRIES = range(0, 10, true);
const CALL_RULES: Record<string, Rule> = {
  signal: [
    // An AbortSignal of this realm or another: checked by its shape, not its class.
    (value) =>
      typeof (value as AbortSignal)?.aborted === "boolean" &&
      typeof (value as AbortSignal).addEventListener === "function" &&
      typeof (value as AbortSignal).removeEventListener === "function",
    "must be an AbortSignal",
  ],
  timeoutMs: TIMEOUT,
  maxRetries: RETRIES,
  headers: HEADERS,
};
const RATE_RULES: Record<string, Rule> = {
  requestsPerMinute: [
    (value, all) => RATE_RULES.limit?.[0](value, {}) && all.limit === undefined,
    "must be an integer from 1 to 1000000, and not given with limit",
  ],
  limit: range(1, 1e6, true),
  intervalMs: range(1, MAX_TIMER_MS, true, " of ms"),
  maxWaitMs: [(value) => typeof value === "number" && value >= 0, "must be a number of ms ≥ 0"],
  store: [
    (value) =>
      isObject(value) &&
      ["reserve", "release", "pause"].every((method) => typeof value[method] === "function"),
    "must be a rate-limit store: an object with reserve, release and pause methods",
  ],
};
const CLIENT_RULES: Record<string, Rule> = {
  apiKey: [
    (value) => typeof value === "string" && /^[\x21-\x7e]+$/.test(value),
    "must be a string without whitespace or line breaks",
  ],
  baseUrl: [
    (value) => parseBaseUrl(value),
    "must be an https URL (http only for loopback) without credentials, query or fragment",
  ],
  fetch: [(value) => typeof value === "function", "must be a function"],
  defaultHeaders: HEADERS,
  timeoutMs: TIMEOUT,
  maxRetries: RETRIES,
  maxResponseBytes: range(1, 2 ** 30, true),
  rateLimit: [
    (value) => value === false || isObject(value),
    "must be false or { limit?, intervalMs?, requestsPerMinute?, maxWaitMs?, store? }",
  ],
  logLevel: [(value) => LOG_LEVELS.includes(value as LogLevel), `must be one of ${LOG_LEVELS}`],
  logger: [
    // The methods of its level and every level above it.
    (value, all) =>
      isObject(value) &&
      LOG_LEVELS.slice(1, LOG_LEVELS.indexOf((all.logLevel as LogLevel) ?? "off") + 1).every(
        (level) => typeof value[level] === "function",
      ),
    "must have a method for logLevel and each level above it",
  ],
};

/**
 * Copies the nested option objects of `given` that the client keeps (each read once), so a
 * later change to the caller's objects changes nothing.
 */
function copyNested(given: Options, keys: string[]) {
  for (const key of keys) {
    if (isObject(given[key])) {
      given[key] = read(given[key], key, []) ?? null; // unreadable: refused by its rule
    }
  }
}

/** Parses the options of createHelpCrunchClient; throws a ValidationError naming each bad one. */
export function parseClientOptions(options: unknown): ClientSettings {
  const issues: ValidationIssue[] = [];
  const given = read(options, "options", issues) ?? {};
  copyNested(given, ["rateLimit", "defaultHeaders"]);
  check(given, CLIENT_RULES, issues);
  if (isObject(given.rateLimit)) {
    check(given.rateLimit, RATE_RULES, issues, "rateLimit.");
  }
  const {
    apiKey = (globalThis as { process?: { env: Options } }).process?.env.HELPCRUNCH_API_KEY,
    baseUrl = "https://api.helpcrunch.com/v1",
    rateLimit = {},
  } = given;
  if (!issues.length && !CLIENT_RULES.apiKey?.[0](apiKey, {})) {
    issues.push({ field: "apiKey", message: "must be set (or HELPCRUNCH_API_KEY)" });
  }
  throwIssues("Invalid client options", issues);
  const {
    requestsPerMinute,
    limit = requestsPerMinute ?? 120,
    intervalMs = 60_000,
    maxWaitMs = Number.POSITIVE_INFINITY,
    store,
  } = rateLimit as Options;
  return {
    timeoutMs: 30_000,
    maxRetries: 2,
    maxResponseBytes: 4 * 1024 * 1024,
    logLevel: "off",
    ...given,
    apiKey,
    baseUrl: parseBaseUrl(baseUrl),
    rateLimit: rateLimit && { limit, intervalMs, maxWaitMs, store },
  } as ClientSettings;
}

/**
 * The base URL without its trailing slashes, or undefined when it is not acceptable: it must
 * parse as an absolute URL, be https (plain http only to a loopback host: localhost,
 * 127.x.x.x, [::1]), and carry no credentials, query, fragment or whitespace, and no port 0.
 */
function parseBaseUrl(value: unknown): string | undefined {
  try {
    const url = new URL(value as string);
    return typeof value === "string" &&
      !/[\s?#]/.test(value) &&
      (url.protocol === "https:" ||
        (url.protocol === "http:" &&
          /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname))) &&
      !url.username &&
      !url.password &&
      url.port !== "0"
      ? url.origin + url.pathname.replace(/\/+$/, "")
      : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a call's options over the client's defaults, adding an issue for each bad one. */
export function parseCallOptions(
  options: unknown,
  defaults: ClientSettings,
  issues: ValidationIssue[],
): CallSettings {
  const { timeoutMs, maxRetries } = defaults;
  if (options === undefined) {
    return { signal: undefined, timeoutMs, maxRetries, headers: undefined };
  }
  const given = read(options, "options", issues) ?? {};
  copyNested(given, ["headers"]);
  check(given, CALL_RULES, issues);
  return { timeoutMs, maxRetries, ...given } as CallSettings;
}
