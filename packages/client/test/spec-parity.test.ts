// The generated client follows the spec end to end: for every operation of the bundled
// contract, the method of the generator's naming rule exists, and calling it with the spec's
// own example input sends that operation's HTTP method to its path (path parameters filled
// in), its query parameters in the query string and exactly its body fields as JSON. And the
// client has no method the spec does not define.
import { describe, expect, it } from "vitest";
import { specOperations } from "./support/contract.js";
import { CHAT, useFaultServer } from "./support/fault-server.js";
import { makeClient } from "./support/harness.js";

const server = useFaultServer();

describe.each(specOperations)("$operationId", (op) => {
  it(`is chats.${op.method}, sending ${op.httpMethod} ${op.path}`, async () => {
    server.script({
      json: op.success,
      body: op.paginated ? { data: [CHAT], meta: { total: 1 } } : CHAT,
    });
    const { hc } = makeClient(server.url);
    const method = (hc.chats as unknown as Record<string, (input: unknown) => Promise<unknown>>)[
      op.method
    ];
    expect(typeof method).toBe("function");
    await method?.(op.input);

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    const url = new URL(request?.url ?? "", server.url);
    expect(request?.method).toBe(op.httpMethod);
    expect(url.pathname).toBe(
      op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(String(op.input[name])),
      ),
    );
    const expectedQuery = op.queryParams.filter((name) => op.input[name] !== undefined);
    expect([...url.searchParams.keys()].sort()).toEqual(expectedQuery.sort());
    for (const name of expectedQuery) {
      expect(url.searchParams.get(name)).toBe(String(op.input[name]));
    }
    const bodyFields = Object.fromEntries(
      Object.entries(op.input).filter(
        ([name]) => !op.pathParams.includes(name) && !op.queryParams.includes(name),
      ),
    );
    if (op.httpMethod === "GET") {
      expect(request?.body).toBe("");
    } else {
      expect(JSON.parse(request?.body ?? "")).toEqual(bodyFields);
      expect(request?.headers["content-type"]).toBe("application/json");
    }
  });
});

it("has no method the spec does not define", () => {
  const { hc } = makeClient(server.url);
  expect(Object.keys(hc.chats).sort()).toEqual(specOperations.map((op) => op.method).sort());
});
