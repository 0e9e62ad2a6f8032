// Contract tests: the client against the real Prism mock of the bundled spec. Every operation
// is called with a valid request and with each of its documented error statuses forced, and
// each test asserts the typed result or error, that Prism found nothing wrong with the
// request (no `sl-violations` header) and that the body validates against the spec's schema.
// The suite ends by printing how many documented (operation, status) pairs it exercised, and
// fails below 100%.
import { type MockServer, startMockServer } from "@helpcrunch-chats/mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  type Chat,
  ConflictError,
  createHelpCrunchClient,
  type HelpCrunchClient,
  NotFoundError,
  RateLimitError,
} from "../../src/index.js";
import { documented, documentedPairs, recordingFetch, schemaErrors } from "../support/contract.js";

type Call = (hc: HelpCrunchClient) => Promise<Chat>;

/** The operations and, for each, the documented error statuses with the class each must give. */
const OPERATIONS: {
  operationId: string;
  success: number;
  call: Call;
  errors: Record<number, typeof APIError>;
}[] = [
  {
    operationId: "createChat",
    success: 201,
    call: (hc) =>
      hc.chats.create({ customer: 8738438, application: 3838, assignee: 4188, department: 233048 }),
    errors: {
      400: BadRequestError,
      401: AuthenticationError,
      409: ConflictError,
      429: RateLimitError,
    },
  },
  {
    operationId: "updateChatStatus",
    success: 200,
    call: (hc) => hc.chats.updateStatus({ id: 542335, status: "on hold" }),
    errors: {
      400: BadRequestError,
      401: AuthenticationError,
      404: NotFoundError,
      429: RateLimitError,
    },
  },
  {
    operationId: "markChatReadByAgent",
    success: 200,
    call: (hc) => hc.chats.markReadByAgent({ id: 5208, read: true }),
    errors: {
      400: BadRequestError,
      401: AuthenticationError,
      404: NotFoundError,
      429: RateLimitError,
    },
  },
  {
    operationId: "markChatReadByCustomer",
    success: 200,
    call: (hc) => hc.chats.markReadByCustomer({ id: 5208, read: false }),
    errors: {
      400: BadRequestError,
      401: AuthenticationError,
      404: NotFoundError,
      429: RateLimitError,
    },
  },
  {
    operationId: "updateChatAssignee",
    success: 200,
    call: (hc) => hc.chats.updateAssignee({ id: 542335, assignee: 4188 }),
    errors: {
      400: BadRequestError,
      401: AuthenticationError,
      404: NotFoundError,
      429: RateLimitError,
    },
  },
  {
    operationId: "updateChatDepartment",
    success: 200,
    call: (hc) => hc.chats.updateDepartment({ id: 5215752, department: 233048 }),
    errors: {
      400: BadRequestError,
      401: AuthenticationError,
      404: NotFoundError,
      429: RateLimitError,
    },
  },
];

let mock: MockServer;
const recorder = recordingFetch();
let hc: HelpCrunchClient;
const exercised = new Set<string>();

beforeAll(async () => {
  mock = await startMockServer();
  hc = createHelpCrunchClient({
    apiKey: "contract-test-key",
    baseUrl: mock.url,
    fetch: recorder.fetch,
    maxRetries: 0,
    rateLimit: false,
  });
});

afterAll(async () => {
  await mock?.stop();
  const missing = documentedPairs.filter((pair) => !exercised.has(pair));
  const percent = Math.floor(
    (100 * (documentedPairs.length - missing.length)) / documentedPairs.length,
  );
  console.log(
    `contract coverage: ${documentedPairs.length - missing.length}/${documentedPairs.length} documented (operation, status) pairs exercised = ${percent}%`,
  );
  expect(missing, "documented (operation, status) pairs no contract test exercised").toEqual([]);
});

beforeEach(() => {
  recorder.exchanges.length = 0;
  recorder.forceStatus(undefined);
});

/** The single exchange of the test: answered with `status`, no violations, body valid against `schemaRef`. */
function expectConformingExchange(status: number, schemaRef: string) {
  expect(recorder.exchanges).toHaveLength(1);
  const [exchange] = recorder.exchanges;
  expect(exchange?.status).toBe(status);
  expect(exchange?.headers.get("sl-violations"), "Prism found the request invalid").toBeNull();
  expect(schemaErrors(schemaRef, exchange?.body)).toBeUndefined();
  return exchange;
}

describe.each(OPERATIONS)("$operationId", ({ operationId, success, call, errors }) => {
  it(`answers a valid request with ${success} and a Chat`, async () => {
    const chat = await call(hc);
    const exchange = expectConformingExchange(success, "#/components/schemas/Chat");
    expect(chat).toEqual(exchange?.body);
    expect(Number.isInteger(chat.id)).toBe(true);
    expect(chat).toEqual(documented(operationId, success).example);
    exercised.add(`${operationId} ${success}`);
  });

  it.each(
    Object.entries(errors).map(([status, ErrorClass]) => ({ status: Number(status), ErrorClass })),
  )(
    "rejects a forced $status with $ErrorClass.name and the envelope's codes",
    async ({ status, ErrorClass }) => {
      recorder.forceStatus(status);
      const error = await call(hc).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ErrorClass);
      const apiError = error as APIError;
      const { schemaRef, example } = documented(operationId, status);
      const exchange = expectConformingExchange(status, schemaRef);
      expect(apiError.status).toBe(status);
      expect(apiError.errors).toEqual(example.errors);
      expect(apiError.errors).toEqual((exchange?.body as { errors?: unknown } | undefined)?.errors);
      expect(apiError.attempts).toBe(1);
      if (status === 429) {
        const header = exchange?.headers.get("retry-after");
        expect(apiError.retryAfterMs).toBe(header ? Number(header) * 1000 : undefined);
      }
      exercised.add(`${operationId} ${status}`);
    },
  );
});

describe("the mock checks what the client sends", () => {
  it("a request Prism finds invalid is flagged by sl-violations (the check above can fail)", async () => {
    const response = await fetch(`${mock.url}/chats/status`, {
      method: "PUT",
      headers: { authorization: "Bearer x", "content-type": "application/json" },
      body: JSON.stringify({ id: 0, status: "onhold" }),
    });
    await response.arrayBuffer();
    expect(response.headers.get("sl-violations")).toContain("status");
  });
});
