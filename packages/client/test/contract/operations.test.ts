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
  ConflictError,
  createHelpCrunchClient,
  type HelpCrunchClient,
  NotFoundError,
  type Page,
  PermissionDeniedError,
  RateLimitError,
} from "../../src/index.js";
import {
  documented,
  documentedPairs,
  recordingFetch,
  schemaErrors,
  specOperations,
} from "../support/contract.js";

// The table of (operation, status) pairs and the request of each come from the spec: a new
// operation is covered here without an edit. What is the client's own is which error class
// each status gives.
const STATUS_CLASS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

type Method = (input: unknown) => Promise<unknown>;
const call = (hc: HelpCrunchClient, method: string, input: unknown) =>
  (hc.chats as unknown as Record<string, Method>)[method]?.(input) ??
  Promise.reject(new Error(`the client has no method ${method}`));

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

describe.each(specOperations)(
  "$operationId",
  ({ operationId, method, success, errors, input, paginated }) => {
    it(`answers a valid request with ${success} and ${paginated ? "a page of chats" : "a Chat"}`, async () => {
      const result = await call(hc, method, input);
      const schema = paginated ? "#/components/schemas/ChatPage" : "#/components/schemas/Chat";
      const exchange = expectConformingExchange(success, schema);
      const { example } = documented(operationId, success);
      if (paginated) {
        const page = result as Page<unknown>;
        expect(page.data).toEqual((exchange?.body as { data?: unknown[] } | undefined)?.data);
        expect(page.data).toEqual(example.data);
      } else {
        expect(result).toEqual(exchange?.body);
        expect(result).toEqual(example);
      }
      exercised.add(`${operationId} ${success}`);
    });

    it.each(errors.map((status) => ({ status, ErrorClass: STATUS_CLASS[status] })))(
      "rejects a forced $status with $ErrorClass.name and the envelope's codes",
      async ({ status, ErrorClass }) => {
        recorder.forceStatus(status);
        const error = await call(hc, method, input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(ErrorClass, `no error class for ${status}`).toBeDefined();
        expect(error).toBeInstanceOf(ErrorClass);
        const apiError = error as APIError;
        const { schemaRef, example } = documented(operationId, status);
        const exchange = expectConformingExchange(status, schemaRef);
        expect(apiError.status).toBe(status);
        expect(apiError.errors).toEqual(example.errors);
        expect(apiError.errors).toEqual(
          (exchange?.body as { errors?: unknown } | undefined)?.errors,
        );
        expect(apiError.attempts).toBe(1);
        if (status === 429) {
          const header = exchange?.headers.get("retry-after");
          expect(apiError.retryAfterMs).toBe(header ? Number(header) * 1000 : undefined);
        }
        exercised.add(`${operationId} ${status}`);
      },
    );
  },
);

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
