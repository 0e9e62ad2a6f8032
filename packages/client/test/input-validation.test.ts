// Bad input is caught before anything is sent: a ValidationError names every bad field.
import { describe, expect, it, vi } from "vitest";
import { createHelpCrunchClient, HelpCrunchError, ValidationError } from "../src/index.js";
import { CHAT, useFaultServer } from "./support/fault-server.js";
import {
  expectNoLeak,
  makeClient,
  noBackoffJitter,
  PLANTED_KEY,
  rejectionOf,
} from "./support/harness.js";

const server = useFaultServer();

type AnyCall = (body: unknown, options?: unknown) => Promise<unknown>;

describe("request bodies", () => {
  it.each([
    ["updateStatus", { id: 1, status: "onhold" }, ["status"]],
    ["updateStatus", { id: 1, status: "On Hold" }, ["status"]],
    ["updateStatus", { id: 0, status: "new" }, ["id"]],
    ["updateStatus", { id: -4, status: "new" }, ["id"]],
    ["updateStatus", { id: 1.5, status: "new" }, ["id"]],
    ["updateStatus", { id: "542335", status: "new" }, ["id"]],
    ["updateStatus", { id: 2 ** 53, status: "new" }, ["id"]],
    ["updateStatus", { id: Number.NaN, status: "new" }, ["id"]],
    ["updateStatus", { status: "new" }, ["id"]],
    ["updateStatus", {}, ["id", "status"]],
    ["updateStatus", { id: 1, status: "new", note: "x" }, ["note"]],
    ["markReadByAgent", { id: 1, read: "true" }, ["read"]],
    ["markReadByCustomer", { id: 1, read: 1 }, ["read"]],
    ["markReadByCustomer", { id: 1 }, ["read"]],
    ["updateAssignee", { id: 1, assignee: null }, ["assignee"]],
    ["updateDepartment", { id: 1, department: { id: 2 } }, ["department"]],
    ["create", { customer: 1 }, ["application"]],
    ["create", { customer: 1, application: 2, assignee: 0 }, ["assignee"]],
    ["create", { customer: 1, application: 2, message: "hi" }, ["message"]],
  ] as const)("%s(%j) rejects naming %j and sends nothing", async (method, body, fields) => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf((hc.chats[method] as AnyCall)(body))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toBeInstanceOf(HelpCrunchError);
    expect(error.issues.map((i) => i.field)).toEqual(fields);
    for (const field of fields) {
      expect(error.message).toContain(field);
    }
    expect(server.received).toHaveLength(0);
  });

  it("rejects a BigInt id, without a serialization TypeError", async () => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      (hc.chats.create as AnyCall)({ customer: 10n, application: 2 }),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain("customer must be JSON data, not a bigint");
  });

  it.each([null, "id=1", 42, [1, "new"]])(
    "rejects an input that is not an object (%j)",
    async (body) => {
      const { hc } = makeClient(server.url);
      const error = (await rejectionOf(
        (hc.chats.updateStatus as AnyCall)(body),
      )) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues).toEqual([{ field: "input", message: "must be an object" }]);
    },
  );

  it("reads a missing input as an empty object: every required field is named", async () => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      (hc.chats.updateStatus as AnyCall)(undefined),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["id", "status"]);
    expect(server.received).toHaveLength(0);
  });

  it("says what each field must be", async () => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      (hc.chats.updateStatus as AnyCall)({ id: 1, status: "onhold" }),
    )) as Error;
    expect(error.message).toBe(
      'Invalid updateStatus call: status must be one of "new", "opened", "pending", "on hold", "no communication", "closed"',
    );
    const missing = (await rejectionOf((hc.chats.create as AnyCall)({ customer: 1 }))) as Error;
    expect(missing.message).toBe("Invalid create call: application is required");
  });

  it("accepts every documented status and optional field", async () => {
    const { hc } = makeClient(server.url);
    for (const status of [
      "new",
      "opened",
      "pending",
      "on hold",
      "no communication",
      "closed",
    ] as const) {
      await hc.chats.updateStatus({ id: 1, status });
    }
    await hc.chats.create({ customer: 1, application: 2, assignee: 3, department: 4 });
    await hc.chats.create({ customer: 1, application: 2, assignee: undefined });
    expect(server.received).toHaveLength(8);
  });
});

describe("per-call options", () => {
  it.each([
    [{ timeoutMs: 0 }, "timeoutMs"],
    [{ timeoutMs: -1 }, "timeoutMs"],
    [{ timeoutMs: 2 ** 31 }, "timeoutMs"],
    [{ timeoutMs: Number.NaN }, "timeoutMs"],
    [{ maxRetries: -1 }, "maxRetries"],
    [{ maxRetries: 1.5 }, "maxRetries"],
  ])("%j rejects with a ValidationError naming %s", async (options, field) => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      (hc.chats.updateStatus as AnyCall)({ id: 1, status: "new" }, options),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual([field]);
    expect(server.received).toHaveLength(0);
  });
});

describe("creating a client", () => {
  const create = (options: Parameters<typeof createHelpCrunchClient>[0]) => () =>
    createHelpCrunchClient(options);

  it("falls back to HELPCRUNCH_API_KEY", async () => {
    vi.stubEnv("HELPCRUNCH_API_KEY", PLANTED_KEY);
    const hc = createHelpCrunchClient({ baseUrl: server.url, rateLimit: false });
    await hc.chats.updateStatus({ id: 1, status: "new" });
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${PLANTED_KEY}`);
    vi.unstubAllEnvs();
  });

  it.each([
    ["a missing key", { apiKey: undefined }, "apiKey"],
    ["an empty key", { apiKey: "" }, "apiKey"],
    ["a key with a space", { apiKey: `${PLANTED_KEY} ` }, "apiKey"],
    ["a key with a line break", { apiKey: `${PLANTED_KEY}\n` }, "apiKey"],
    ["a key with a tab", { apiKey: `Bearer\t${PLANTED_KEY}` }, "apiKey"],
    ["a non-ASCII key", { apiKey: `${PLANTED_KEY}é` }, "apiKey"],
    ["a plain-http remote baseUrl", { baseUrl: "http://api.helpcrunch.com/v1" }, "baseUrl"],
    ["a baseUrl that is no URL", { baseUrl: "api.helpcrunch.com" }, "baseUrl"],
    ["a baseUrl with credentials", { baseUrl: "https://user:pw@api.helpcrunch.com/v1" }, "baseUrl"],
    ["a baseUrl with a user name", { baseUrl: "https://user@api.helpcrunch.com/v1" }, "baseUrl"],
    [
      "plain http to a host that starts like localhost",
      { baseUrl: "http://localhost.evil.example/v1" },
      "baseUrl",
    ],
    [
      "plain http to a host that starts like 127.0.0.1",
      { baseUrl: "http://127.0.0.1.evil.example" },
      "baseUrl",
    ],
    ["plain http to a private address", { baseUrl: "http://10.0.0.5:4010" }, "baseUrl"],
    ["a baseUrl with a space", { baseUrl: "https://api.helpcrunch.com/v 1" }, "baseUrl"],
    ["another scheme", { baseUrl: "ftp://api.helpcrunch.com/v1" }, "baseUrl"],
    ["a zero timeout", { timeoutMs: 0 }, "timeoutMs"],
    ["negative retries", { maxRetries: -1 }, "maxRetries"],
    ["a zero rate limit", { rateLimit: { requestsPerMinute: 0 } }, "rateLimit.requestsPerMinute"],
    ["an unknown log level", { logLevel: "verbose" }, "logLevel"],
  ] as const)("throws a ValidationError on %s", (_, options, field) => {
    vi.stubEnv("HELPCRUNCH_API_KEY", "");
    let thrown: unknown;
    try {
      createHelpCrunchClient({ apiKey: PLANTED_KEY, ...(options as object) });
    } catch (error) {
      thrown = error;
    }
    vi.unstubAllEnvs();
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues.map((i) => i.field)).toEqual([field]);
    expectNoLeak([], thrown);
  });

  it.each([
    "http://localhost:4010",
    "http://127.0.0.1:4010/v1",
    "http://[::1]:4010",
    "https://api.helpcrunch.com/v1/",
    "HTTPS://API.HELPCRUNCH.COM/v1",
    "http://localhost",
  ])("accepts the baseUrl %s", (baseUrl) => {
    expect(create({ apiKey: PLANTED_KEY, baseUrl })).not.toThrow();
  });
});

describe("what is validated is what is sent", () => {
  it("reads a getter once: the value checked is the value sent, on every attempt", async () => {
    server.script({ json: 503, body: { errors: [] } }, { json: 200, body: CHAT });
    noBackoffJitter();
    let reads = 0;
    const input = {
      id: 1,
      get status() {
        reads++;
        return reads === 1 ? "closed" : "bogus";
      },
    };
    const { hc } = makeClient(server.url);
    await hc.chats.updateStatus(input as never);
    expect(reads).toBe(1);
    expect(server.received.map((r) => JSON.parse(r.body))).toEqual([
      { id: 1, status: "closed" },
      { id: 1, status: "closed" },
    ]);
    vi.restoreAllMocks();
  });

  it("sends the input as it was at the call, whatever the caller changes during retries", async () => {
    server.script({ json: 503, body: { errors: [] } }, { json: 200, body: CHAT });
    noBackoffJitter();
    const input: Record<string, unknown> = { id: 1, status: "closed" };
    const { hc } = makeClient(server.url);
    const call = hc.chats.updateStatus(input as never);
    input.status = "bogus";
    input.extra = true;
    await call;
    expect(server.received.map((r) => r.body)).toEqual([
      '{"id":1,"status":"closed"}',
      '{"id":1,"status":"closed"}',
    ]);
    vi.restoreAllMocks();
  });

  it("ignores nothing silently: a toJSON method is not data and is refused", async () => {
    const { hc } = makeClient(server.url);
    const input = { id: 1, status: "closed", toJSON: () => ({ id: 2, status: "bogus" }) };
    const error = (await rejectionOf((hc.chats.updateStatus as AnyCall)(input))) as ValidationError;
    expect(error.issues).toEqual([
      { field: "toJSON", message: "must be JSON data, not a function" },
    ]);
    expect(server.received).toHaveLength(0);
  });

  class Id {
    valueOf() {
      return 1;
    }
  }
  const cyclic: Record<string, unknown> = { id: 1, status: "closed" };
  cyclic.self = cyclic;
  const throwing = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("trap");
      },
    },
  );
  it.each([
    ["a class instance", { id: new Id(), status: "closed" }, "id", "must be a plain object"],
    ["a Date", { id: new Date(), status: "closed" }, "id", "must be a plain object"],
    ["a cycle", cyclic, "self", "refers to itself (a cycle)"],
    [
      "a Proxy that throws",
      { id: 1, status: throwing },
      "status",
      "cannot be read (its getter or Proxy threw)",
    ],
    ["a BigInt", { id: 1n, status: "closed" }, "id", "must be JSON data, not a bigint"],
    ["a symbol", { id: Symbol("x"), status: "closed" }, "id", "must be JSON data, not a symbol"],
    [
      "Infinity",
      { id: Number.POSITIVE_INFINITY, status: "closed" },
      "id",
      "must be a finite number",
    ],
  ])("refuses %s, naming the field, and sends nothing", async (_, input, field, message) => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf((hc.chats.updateStatus as AnyCall)(input))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual([{ field, message }]);
    expect(server.received).toHaveLength(0);
  });

  it("keeps a key named __proto__ a key, and refuses it as unknown", async () => {
    const { hc } = makeClient(server.url);
    const input = JSON.parse('{"id": 1, "status": "closed", "__proto__": {"x": 1}}');
    const error = (await rejectionOf((hc.chats.updateStatus as AnyCall)(input))) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["__proto__"]);
  });
});

describe("options are parsed, and each bad one is named", () => {
  const thrownBy = (options: unknown): ValidationError => {
    try {
      createHelpCrunchClient(options as never);
    } catch (error) {
      return error as ValidationError;
    }
    throw new Error("expected createHelpCrunchClient to throw");
  };
  const base = { apiKey: PLANTED_KEY, rateLimit: false } as const;

  it.each([
    ["null options", null, "options"],
    ["a string as options", "key", "options"],
    ["a number as the key", { ...base, apiKey: 42 }, "apiKey"],
    [
      "a baseUrl with a query",
      { ...base, baseUrl: "https://api.helpcrunch.com/v1?x=1" },
      "baseUrl",
    ],
    [
      "a baseUrl with an empty query",
      { ...base, baseUrl: "https://api.helpcrunch.com/v1?" },
      "baseUrl",
    ],
    [
      "a baseUrl with a fragment",
      { ...base, baseUrl: "https://api.helpcrunch.com/v1#x" },
      "baseUrl",
    ],
    [
      "a baseUrl with an impossible port",
      { ...base, baseUrl: "https://api.helpcrunch.com:99999/v1" },
      "baseUrl",
    ],
    ["a baseUrl with port 0", { ...base, baseUrl: "https://api.helpcrunch.com:0/v1" }, "baseUrl"],
    [
      "a baseUrl that is not a string",
      { ...base, baseUrl: new URL("https://x.example") },
      "baseUrl",
    ],
    ["a fetch that is not a function", { ...base, fetch: {} }, "fetch"],
    ["maxRetries above the cap of 10", { ...base, maxRetries: 11 }, "maxRetries"],
    ["a huge maxRetries", { ...base, maxRetries: 1e9 }, "maxRetries"],
    ["a timeout that overflows a timer", { ...base, timeoutMs: 2 ** 31 }, "timeoutMs"],
    ["a timeout given as a string", { ...base, timeoutMs: "1000" }, "timeoutMs"],
    [
      "a tiny rate limit",
      { ...base, rateLimit: { requestsPerMinute: 0.0001 } },
      "rateLimit.requestsPerMinute",
    ],
    ["a rate limit given as a number", { ...base, rateLimit: 120 }, "rateLimit"],
    ["a negative maxWaitMs", { ...base, rateLimit: { maxWaitMs: -1 } }, "rateLimit.maxWaitMs"],
    ["a fractional limit", { ...base, rateLimit: { limit: 1.5 } }, "rateLimit.limit"],
    ["a zero intervalMs", { ...base, rateLimit: { intervalMs: 0 } }, "rateLimit.intervalMs"],
    [
      "both limit and requestsPerMinute",
      { ...base, rateLimit: { limit: 10, requestsPerMinute: 10 } },
      "rateLimit.requestsPerMinute",
    ],
    ["a store without methods", { ...base, rateLimit: { store: {} } }, "rateLimit.store"],
    [
      "an unknown rate-limit option",
      { ...base, rateLimit: { perMinute: 60 } },
      "rateLimit.perMinute",
    ],
    ["a zero maxResponseBytes", { ...base, maxResponseBytes: 0 }, "maxResponseBytes"],
    ["a fractional maxResponseBytes", { ...base, maxResponseBytes: 1.5 }, "maxResponseBytes"],
    ["an empty logger", { ...base, logger: {}, logLevel: "info" }, "logger"],
    [
      "a logger without debug at debug",
      { ...base, logger: { error() {}, warn() {}, info() {} }, logLevel: "debug" },
      "logger",
    ],
    ["a log level that is not a string", { ...base, logLevel: 3 }, "logLevel"],
    ["an unknown option", { ...base, retries: 3 }, "retries"],
  ])("%s", (_, options, field) => {
    const error = thrownBy(options);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual([field]);
    expect(error.message).toContain(field);
    expectNoLeak([], error);
  });

  it("reads each option once: the baseUrl checked is the one requests go to", async () => {
    let reads = 0;
    const hc = createHelpCrunchClient({
      ...base,
      get baseUrl() {
        reads += 1;
        return reads === 1 ? server.url : "http://127.0.0.1:9/elsewhere";
      },
    });
    await hc.chats.updateStatus({ id: 1, status: "new" });
    expect(reads).toBe(1);
    expect(server.received).toHaveLength(1);
  });

  it("accepts a logger with only the methods its level needs", () => {
    expect(() =>
      createHelpCrunchClient({
        ...base,
        logger: { error() {}, warn() {} } as never,
        logLevel: "warn",
      }),
    ).not.toThrow();
  });

  it.each([
    [{ signal: {} }, "signal"],
    [{ signal: "abort" }, "signal"],
    [{ signal: { aborted: false, addEventListener() {} } }, "signal"],
    [{ maxRetries: 11 }, "maxRetries"],
    [{ timeout: 5 }, "timeout"],
  ])("refuses the call options %j, naming %s, and sends nothing", async (options, field) => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      (hc.chats.updateStatus as AnyCall)({ id: 1, status: "new" }, options),
    )) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((i) => i.field)).toEqual([field]);
    expect(server.received).toHaveLength(0);
  });

  it("refuses call options that are not an object", async () => {
    const { hc } = makeClient(server.url);
    const error = (await rejectionOf(
      (hc.chats.updateStatus as AnyCall)({ id: 1, status: "new" }, null),
    )) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(["options"]);
  });
});

describe("inputs found by probing", () => {
  it("refuses a sparse array of 2^32-1 holes at once, with a short message", async () => {
    const { hc } = makeClient(server.url);
    const filter: unknown[] = [];
    filter.length = 2 ** 32 - 1;
    const error = (await rejectionOf((hc.chats.search as AnyCall)({ filter }))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues).toEqual([{ field: "filter", message: "has more than 10000 items" }]);
    expect(server.received).toHaveLength(0);
  });

  it("names at most ten issues in the message, each field on one bounded line", async () => {
    const { hc } = makeClient(server.url);
    const input = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => [`k${i}\n\u001b[31m${"x".repeat(300)}`, 1]),
    );
    const error = (await rejectionOf((hc.chats.updateStatus as AnyCall)(input))) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message.length).toBeLessThan(2000);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the check
    expect(error.message).not.toMatch(/[\u0000-\u001f]/);
    expect(error.message).toContain("more");
  });
});
