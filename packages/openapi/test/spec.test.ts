// The contract states the wire facts of the HelpCrunch seed pages. These tests read the
// bundled spec (what other teams generate from) and check each fact, and that every example
// and every documented wire shape validates against its schema with an independent
// JSON Schema 2020-12 validator.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openapiJsonPath, openapiYamlPath } from "../index.js";

type Json = Record<string, any>;
const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: true });
// The one format the spec uses (the webhook envelope's id); Ajv knows none without ajv-formats.
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addSchema(spec, "openapi");
const schemaValidator = (ref: string) => {
  const validate = ajv.getSchema(`openapi${ref}`);
  if (!validate) {
    throw new Error(`no schema at ${ref}`);
  }
  return (value: unknown) => {
    const ok = validate(value) as boolean;
    return { ok, errors: ajv.errorsText(validate.errors) };
  };
};
const chat = schemaValidator("#/components/schemas/Chat");

/** Follows a local `$ref` (one level is all the bundle uses). */
const deref = (node: Json): Json =>
  node.$ref
    ? node.$ref
        .slice(2)
        .split("/")
        .reduce((n: Json, key: string) => n[key], spec)
    : node;

const SIX_STATUSES = ["new", "opened", "pending", "on hold", "no communication", "closed"];

interface Param {
  name: string;
  in: "path" | "query";
  required: boolean;
}

interface ExpectedOperation {
  id: string;
  method: string;
  path: string;
  /** The strict JSON body, when the operation takes one. */
  body?: { schema: string; required: string[]; optional: string[] };
  params: Param[];
  success: string;
  /** The schema of the success body. */
  answers: "Chat" | "ChatPage";
  errors: string[];
  /** Vendor extensions on the operation besides x-codeSamples. */
  extensions: Record<string, unknown>;
}

const byId = (schema: string, required: string[], optional: string[] = []) => ({
  schema,
  required,
  optional,
});

const PAGE_PARAMS: Param[] = [
  { name: "offset", in: "query", required: false },
  { name: "limit", in: "query", required: false },
  { name: "sort", in: "query", required: false },
  { name: "order", in: "query", required: false },
];

const OPERATIONS: ExpectedOperation[] = [
  {
    id: "createChat",
    method: "post",
    path: "/chats",
    body: byId("CreateChatRequest", ["customer", "application"], ["assignee", "department"]),
    params: [],
    success: "201",
    answers: "Chat",
    errors: ["400", "401", "409", "429"],
    extensions: {},
  },
  {
    id: "updateChatStatus",
    method: "put",
    path: "/chats/status",
    body: byId("UpdateChatStatusRequest", ["id", "status"]),
    params: [],
    success: "200",
    answers: "Chat",
    errors: ["400", "401", "404", "429"],
    extensions: {},
  },
  {
    id: "markChatReadByAgent",
    method: "put",
    path: "/chats/readByAgent",
    body: byId("MarkChatReadRequest", ["id", "read"]),
    params: [],
    success: "200",
    answers: "Chat",
    errors: ["400", "401", "404", "429"],
    extensions: {},
  },
  {
    id: "markChatReadByCustomer",
    method: "put",
    path: "/chats/readByCustomer",
    body: byId("MarkChatReadRequest", ["id", "read"]),
    params: [],
    success: "200",
    answers: "Chat",
    errors: ["400", "401", "404", "429"],
    extensions: {},
  },
  {
    id: "updateChatAssignee",
    method: "put",
    path: "/chats/assignee",
    body: byId("UpdateChatAssigneeRequest", ["id", "assignee"]),
    params: [],
    success: "200",
    answers: "Chat",
    errors: ["400", "401", "404", "429"],
    extensions: {},
  },
  {
    id: "updateChatDepartment",
    method: "put",
    path: "/chats/department",
    body: byId("UpdateChatDepartmentRequest", ["id", "department"]),
    params: [],
    success: "200",
    answers: "Chat",
    errors: ["400", "401", "404", "429"],
    extensions: {},
  },
  {
    id: "getChat",
    method: "get",
    path: "/chats/{id}",
    params: [{ name: "id", in: "path", required: true }],
    success: "200",
    answers: "Chat",
    // 400 by the API's general rule; the get-chat page itself shows 401, 404 and 429.
    errors: ["400", "401", "404", "429"],
    extensions: {},
  },
  {
    id: "listChats",
    method: "get",
    path: "/chats",
    params: PAGE_PARAMS,
    success: "200",
    answers: "ChatPage",
    errors: ["400", "401", "429"],
    extensions: { "x-paginated": true },
  },
  {
    id: "searchChats",
    method: "post",
    path: "/chats/search",
    body: byId(
      "SearchChatsRequest",
      ["filter"],
      ["comparison", "sort", "order", "offset", "limit"],
    ),
    params: [],
    success: "200",
    answers: "ChatPage",
    errors: ["400", "401", "429"],
    extensions: { "x-paginated": true, "x-repeatable": true },
  },
  {
    id: "snoozeChat",
    method: "put",
    path: "/chats/snooze",
    body: byId("SnoozeChatRequest", ["id", "snoozedUntil"]),
    params: [],
    success: "200",
    answers: "Chat",
    errors: ["400", "401", "404", "409", "429"],
    extensions: {},
  },
];

const allOperations = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })),
);

/**
 * The JSON Schema keywords a request schema may use: what the client code generator
 * understands. Anything else (allOf, if/then, discriminator, patternProperties, ...) fails.
 */
const REQUEST_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "anyOf",
  "oneOf",
  "$ref",
  "description",
  "example",
  "examples",
  "default",
  "format",
]);

/** Every keyword used by a request schema, following its `$ref`s, with where it was seen. */
function requestKeywords(node: Json, at: string, seen = new Set<string>()): [string, string][] {
  if (node.$ref) {
    expect(node.$ref, at).toMatch(/^#\/components\/schemas\/[A-Za-z]+$/);
    if (seen.has(node.$ref)) {
      return [];
    }
    seen.add(node.$ref);
  }
  const found: [string, string][] = Object.keys(node).map((k) => [k, at]);
  const target = deref(node);
  if (target !== node) {
    found.push(...requestKeywords(target, node.$ref, seen));
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    found.push(...requestKeywords(child as Json, `${at}.${key}`, seen));
  }
  if (node.items) {
    found.push(...requestKeywords(node.items, `${at}[]`, seen));
  }
  for (const key of ["anyOf", "oneOf"]) {
    for (const [i, child] of (node[key] ?? []).entries()) {
      found.push(...requestKeywords(child, `${at}.${key}[${i}]`, seen));
    }
  }
  if ("additionalProperties" in node) {
    expect(node.additionalProperties, `${at}: additionalProperties`).toBe(false);
  }
  if (typeof node.pattern === "string") {
    // Simple, linear patterns only: anchors, classes, literal characters, ? + * and {n,m}.
    expect(node.pattern, `${at}: pattern`).toMatch(/^\^[\w[\]\\.?+*{},-]*\$$/);
    expect(node.pattern, `${at}: no nested quantifier`).not.toMatch(/\)[+*]/);
  }
  return found;
}

describe("the bundle", () => {
  it("is the same document as YAML and as JSON", () => {
    expect(parse(readFileSync(openapiYamlPath, "utf8"))).toEqual(spec);
  });

  it("is OpenAPI 3.1 with the HelpCrunch v1 server and bearer auth on every operation", () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    expect(spec.servers).toEqual([
      expect.objectContaining({ url: "https://api.helpcrunch.com/v1" }),
    ]);
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    for (const { op } of allOperations) {
      expect(op.security ?? spec.security).toEqual([{ bearerAuth: [] }]);
    }
  });

  it("has exactly the ten documented operations", () => {
    expect(allOperations).toHaveLength(10);
    expect(allOperations.map(({ op }) => op.operationId).sort()).toEqual(
      OPERATIONS.map((o) => o.id).sort(),
    );
  });

  it("says in its introduction how many kinds of answer there are, and what the extensions mean", () => {
    const description: string = spec.info.description;
    expect(description).not.toMatch(/six operations/i);
    expect(description).toContain("x-paginated: true");
    expect(description).toContain("x-repeatable: true");
    expect(description).toContain("page of chats");
  });
});

describe.each(OPERATIONS)("$id", (expected) => {
  const op: Json = spec.paths[expected.path]?.[expected.method] ?? {};

  it(`is ${expected.method.toUpperCase()} ${expected.path} with a tag, summary and description`, () => {
    expect(op.operationId).toBe(expected.id);
    expect(op.tags).toEqual(["Chats"]);
    expect(op.summary).toEqual(expect.any(String));
    expect(op.description?.length).toBeGreaterThan(20);
  });

  it(
    expected.body ? "takes a strict request body with the documented fields" : "takes no body",
    () => {
      if (!expected.body) {
        expect(op.requestBody).toBeUndefined();
        return;
      }
      const media = op.requestBody.content["application/json"];
      expect(media.schema).toEqual({ $ref: `#/components/schemas/${expected.body.schema}` });
      const body = deref(media.schema);
      expect(op.requestBody.required).toBe(true);
      expect(body.type).toBe("object");
      expect(body.additionalProperties).toBe(false);
      expect([...body.required].sort()).toEqual([...expected.body.required].sort());
      expect(Object.keys(body.properties).sort()).toEqual(
        [...expected.body.required, ...expected.body.optional].sort(),
      );
    },
  );

  it(`takes ${expected.params.length ? expected.params.map((p) => `${p.in} ${p.name}`).join(", ") : "no parameters"}`, () => {
    const params: Json[] = (op.parameters ?? []).map(deref);
    expect(params.map((p) => ({ name: p.name, in: p.in, required: p.required ?? false }))).toEqual(
      expected.params,
    );
    for (const param of params) {
      // A schema each, default style: what the generator reads.
      expect(param.schema, param.name).toBeDefined();
      expect(param.content, param.name).toBeUndefined();
      expect(param.style, param.name).toBeUndefined();
      expect(param.explode, param.name).toBeUndefined();
      expect(param.description?.length, param.name).toBeGreaterThan(5);
    }
    const templated = [...expected.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    expect(params.filter((p) => p.in === "path").map((p) => p.name)).toEqual(templated);
  });

  it("uses only the JSON Schema keywords the client generator reads, in its request", () => {
    const roots: [Json, string][] = [
      ...(op.parameters ?? []).map((p: Json) => [deref(p).schema, `parameter ${deref(p).name}`]),
      ...(op.requestBody ? [[op.requestBody.content["application/json"].schema, "body"]] : []),
    ] as [Json, string][];
    for (const [schema, at] of roots) {
      for (const [keyword, where] of requestKeywords(schema, at)) {
        expect(REQUEST_KEYWORDS.has(keyword), `${keyword} at ${where}`).toBe(true);
      }
    }
  });

  it(`answers ${expected.success} with a ${expected.answers} and documents exactly ${expected.errors.join(", ")}`, () => {
    const statuses = Object.keys(op.responses);
    expect(statuses.sort()).toEqual([expected.success, ...expected.errors].sort());
    const success = deref(op.responses[expected.success]);
    expect(success.content["application/json"].schema).toEqual({
      $ref: `#/components/schemas/${expected.answers}`,
    });
    for (const status of expected.errors) {
      const ref: string = op.responses[status].$ref;
      expect(ref, `${status} is a shared response component`).toMatch(
        /^#\/components\/responses\//,
      );
      expect(deref(op.responses[status]).content["application/json"].schema).toEqual({
        $ref: "#/components/schemas/ErrorEnvelope",
      });
    }
  });

  it("has request, parameter and response examples that validate against their schemas", () => {
    const bodies = [
      ...(op.requestBody ? [op.requestBody.content["application/json"]] : []),
      ...Object.values(op.responses as Json).map((r) => deref(r).content["application/json"]),
    ];
    for (const media of bodies) {
      const validate = schemaValidator(media.schema.$ref);
      const examples = Object.values(media.examples as Json).map((e) => deref(e).value);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const result = validate(example);
        expect(result.ok, `${JSON.stringify(example)}: ${result.errors}`).toBe(true);
      }
    }
    for (const param of (op.parameters ?? []).map(deref)) {
      expect(param.example, `example of ${param.name}`).toBeDefined();
      // Parameter schemas are named components, so the docs and the generator name them.
      const validate = schemaValidator(param.schema.$ref);
      const result = validate(param.example);
      expect(result.ok, `example of ${param.name}: ${result.errors}`).toBe(true);
    }
  });

  it("has curl and TypeScript code samples", () => {
    expect(op["x-codeSamples"].map((s: Json) => s.lang)).toEqual(["curl", "TypeScript"]);
    const ts = op["x-codeSamples"][1].source as string;
    expect(ts).toContain("@helpcrunch-chats/client");
    const curl = op["x-codeSamples"][0].source as string;
    expect(curl).toContain(
      `https://api.helpcrunch.com/v1${expected.path.replace("{id}", "542335")}`,
    );
  });

  it(`carries ${Object.keys(expected.extensions).join(" and ") || "no vendor extension"} besides x-codeSamples`, () => {
    const extensions = Object.fromEntries(
      Object.entries(op).filter(([key]) => key.startsWith("x-") && key !== "x-codeSamples"),
    );
    expect(extensions).toEqual(expected.extensions);
  });
});

describe("error responses", () => {
  const responses = spec.components.responses;

  it("declare an optional Retry-After header on 429", () => {
    expect(responses.TooManyRequests.headers["Retry-After"]).toMatchObject({ required: false });
  });

  it("keep the real `not_fount` code of the 404 example", () => {
    const first = Object.values(responses.NotFound.content["application/json"].examples as Json)[0];
    expect(first.value.errors[0]).toEqual({
      code: "not_fount",
      message: 'Chat for ID "542335" was not found',
    });
  });

  it("share one envelope that requires a non-empty list of {code, message}", () => {
    const envelope = schemaValidator("#/components/schemas/ErrorEnvelope");
    expect(
      envelope({ errors: [{ code: "too_many_requests", message: "Too many requests" }] }).ok,
    ).toBe(true);
    expect(envelope({ errors: [] }).ok).toBe(false);
    expect(envelope({ errors: [{ code: "x" }] }).ok).toBe(false);
    expect(envelope({ error: "x" }).ok).toBe(false);
  });
});

describe("requests are strict", () => {
  const status = schemaValidator("#/components/schemas/UpdateChatStatusRequest");
  const create = schemaValidator("#/components/schemas/CreateChatRequest");
  const read = schemaValidator("#/components/schemas/MarkChatReadRequest");

  it.each(SIX_STATUSES)("accepts the status %j", (value) => {
    expect(status({ id: 1, status: value }).ok).toBe(true);
  });

  it.each([
    ["a response-only spelling", { id: 1, status: "onhold" }],
    ["a hyphenated spelling", { id: 1, status: "on-hold" }],
    ["the response-only status empty", { id: 1, status: "empty" }],
    ["an id of zero", { id: 0, status: "new" }],
    ["an id as a string", { id: "542335", status: "new" }],
    ["a fractional id", { id: 1.5, status: "new" }],
    ["an unknown field", { id: 1, status: "new", note: "x" }],
    ["a missing status", { id: 1 }],
  ])("rejects %s", (_, body) => {
    expect(status(body).ok).toBe(false);
  });

  it("needs customer and application to create a chat, and nothing unknown", () => {
    expect(create({ customer: 1, application: 2 }).ok).toBe(true);
    expect(create({ customer: 1 }).ok).toBe(false);
    expect(create({ customer: 1, application: 2, message: "hi" }).ok).toBe(false);
  });

  it("needs read to be a boolean", () => {
    expect(read({ id: 1, read: true }).ok).toBe(true);
    expect(read({ id: 1, read: "true" }).ok).toBe(false);
  });
});

describe("reading requests are strict", () => {
  const id = schemaValidator("#/components/schemas/Id");
  const offset = schemaValidator("#/components/schemas/PageOffset");
  const limit = schemaValidator("#/components/schemas/PageLimit");
  const sort = schemaValidator("#/components/schemas/ChatSortField");
  const order = schemaValidator("#/components/schemas/SortOrder");
  const search = schemaValidator("#/components/schemas/SearchChatsRequest");
  const snooze = schemaValidator("#/components/schemas/SnoozeChatRequest");
  const filter = (field: string, operator: string, value: unknown) => ({
    filter: [{ field, operator, value }],
  });

  it("takes a positive integer chat id in the path", () => {
    expect(id(542335).ok).toBe(true);
    for (const bad of [0, -1, 1.5, "542335", "abc"]) {
      expect(id(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it("pages with offset >= 0 and a limit from 1 to 100 (the inferred maximum)", () => {
    expect(offset(0).ok).toBe(true);
    expect(limit(1).ok).toBe(true);
    expect(limit(100).ok).toBe(true);
    for (const bad of [-1, 1.5, "0"]) {
      expect(offset(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    for (const bad of [0, 101, 1.5, "100"]) {
      expect(limit(bad).ok, JSON.stringify(bad)).toBe(false);
    }
    const limitSchema = spec.components.schemas.PageLimit;
    expect(limitSchema).toMatchObject({ default: 100, maximum: 100 });
    expect(limitSchema.description).toMatch(/inferred/);
  });

  it.each([
    "chats.createdAt",
    "chats.lastCustomerMessageAt",
    "chats.lastMessageAt",
    "chats.closedAt",
  ])("sorts by %s", (field) => {
    expect(sort(field).ok).toBe(true);
  });

  it("sorts only by the prefixed names, in either spelling of the order", () => {
    expect(sort("lastCustomerMessageAt").ok).toBe(false);
    expect(sort("chats.updatedAt").ok).toBe(false);
    for (const value of ["asc", "desc", "ASC", "DESC"]) {
      expect(order(value).ok, value).toBe(true);
    }
    for (const value of ["Asc", "ascending", ""]) {
      expect(order(value).ok, value).toBe(false);
    }
  });

  it.each([
    ["an agent id", filter("chats.assignee", "=", 4188)],
    ["an agent who wrote", filter("chats.agents", "=", 4188)],
    ["a timestamp as digits", filter("chats.createdAt", ">=", "1592438400")],
    ["a timestamp as an integer", filter("chats.closedAt", "<", 1592438400)],
    ["an update time", filter("chats.updatedAt", ">", "1592438400")],
    ["a department", filter("chats.department", "!=", 233048)],
    ["a status as a digit string", filter("chats.status", "=", "3")],
    ["a status by name", filter("chats.status", "=", "closed")],
    ["a rating", filter("chats.rating", "=", "great")],
    ["a customer", filter("chats.customer", "=", 8738438)],
    ["a customer email", filter("chats.customer.email", "~", "@example.com")],
    ["tags as the examples send them", filter("chats.customer.tagsData", "=", [{ name: "Lead" }])],
    ["tags as the field table lists them", filter("chats.customer.tagsData", "=", ["Lead"])],
    [
      "every option at once",
      {
        ...filter("chats.assignee", "=", 4188),
        comparison: "OR",
        sort: "chats.lastMessageAt",
        order: "DESC",
        offset: 100,
        limit: 100,
      },
    ],
  ])("searches by %s", (_, body) => {
    const result = search(body);
    expect(result.ok, result.errors).toBe(true);
  });

  it.each([
    ["no filter", { comparison: "AND" }],
    ["an empty filter list", { filter: [] }],
    ["an undocumented field", filter("chats.customer.userId", "=", "user-42")],
    ["a field without its prefix", filter("assignee", "=", 4188)],
    ["an undocumented operator", filter("chats.assignee", "like", 4188)],
    ["an object as the value", filter("chats.assignee", "=", { id: 4188 })],
    ["a missing value", { filter: [{ field: "chats.assignee", operator: "=" }] }],
    ["a tag without a name", filter("chats.customer.tagsData", "=", [{ title: "Lead" }])],
    ["an empty tag list", filter("chats.customer.tagsData", "=", [])],
    [
      "an unknown key in a filter",
      { filter: [{ field: "chats.assignee", operator: "=", value: 1, not: true }] },
    ],
    ["a lowercase comparison", { ...filter("chats.assignee", "=", 1), comparison: "and" }],
    ["an unprefixed sort", { ...filter("chats.assignee", "=", 1), sort: "createdAt" }],
    ["a limit over 100", { ...filter("chats.assignee", "=", 1), limit: 500 }],
    ["an unknown field", { ...filter("chats.assignee", "=", 1), page: 2 }],
  ])("refuses a search with %s", (_, body) => {
    expect(search(body).ok).toBe(false);
  });

  it.each([
    ["an integer timestamp", 1603864800],
    ["a digit-string timestamp", "1603885746"],
    ["null, to unsnooze", null],
  ])("snoozes until %s", (_, snoozedUntil) => {
    expect(snooze({ id: 542335, snoozedUntil }).ok).toBe(true);
  });

  it.each([
    ["no snoozedUntil", { id: 542335 }],
    ["no id", { snoozedUntil: 1603864800 }],
    ["a date", { id: 542335, snoozedUntil: "2020-10-28" }],
    ["a fractional string (answers only)", { id: 542335, snoozedUntil: "1603864800.000" }],
    ["a negative timestamp", { id: 542335, snoozedUntil: -1 }],
    ["an unknown field", { id: 542335, snoozedUntil: null, reason: "later" }],
  ])("refuses a snooze with %s", (_, body) => {
    expect(snooze(body).ok).toBe(false);
  });
});

describe("pages of chats are liberal", () => {
  const page = schemaValidator("#/components/schemas/ChatPage");
  const data = [{ id: 542335, status: "closed" }];

  it.each([
    ["the total in meta, as documented", { data, meta: { total: 435 } }],
    ["the total at the top level", { data, total: 435 }],
    ["the total as a digit string", { data, meta: { total: "435" } }],
    ["no meta", { data }],
    ["a null meta", { data, meta: null }],
    ["meta without a total", { data, meta: {} }],
    ["an empty page", { data: [], meta: { total: 0 } }],
    ["chats in older shapes", { data: [{ id: 1, createdAt: 1603885746, status: "onhold" }] }],
    ["fields the API adds later", { data, meta: { total: 1, pages: 1 }, links: {} }],
  ])("accepts %s", (_, body) => {
    const result = page(body);
    expect(result.ok, result.errors).toBe(true);
  });

  it.each([
    ["no data", { meta: { total: 435 } }],
    ["data that is not a list", { data: { id: 1 } }],
    ["a chat without an id", { data: [{ status: "new" }] }],
    ["a total that is not a number", { data, total: "many" }],
  ])("still rejects %s", (_, body) => {
    expect(page(body).ok).toBe(false);
  });
});

describe("the snooze answer", () => {
  it("shows a snoozedUntil with a fraction, as the snooze page returns it", () => {
    const op = spec.paths["/chats/snooze"].put;
    const examples = Object.values(
      op.responses["200"].content["application/json"].examples as Json,
    ).map((e) => deref(e).value);
    expect(examples.map((e) => e.snoozedUntil)).toContain("1603864800.000");
  });
});

describe("404 answers", () => {
  it("show every code the pages document: not_fount, chat_not_found and not_found", () => {
    const examples = Object.values(
      spec.components.responses.NotFound.content["application/json"].examples as Json,
    );
    const codes = examples.flatMap((e) => e.value.errors.map((entry: Json) => entry.code));
    expect(codes).toEqual(expect.arrayContaining(["not_fount", "chat_not_found", "not_found"]));
  });
});

describe("responses are liberal", () => {
  const base = { id: 542335 };
  it.each([
    ["timestamps as digit strings", { createdAt: "1603885746", closedAt: "1603885746" }],
    ["timestamps as integers", { createdAt: 1603885746, lastMessageAt: 1603885746 }],
    ["timestamps as N.000 strings", { snoozedUntil: "1603864800.000" }],
    ["null timestamps", { closedAt: null, snoozedUntil: null }],
    ...[
      "new",
      "opened",
      "pending",
      "on hold",
      "onhold",
      "on-hold",
      "no communication",
      "closed",
      "empty",
    ].map((s) => [`status ${JSON.stringify(s)}`, { status: s }] as const),
    ["a documented rating", { rating: "great" }],
    ["a rating outside the documented list", { rating: "perfect" }],
    ["no rating", { rating: null }],
    ["no assignee or department", { assignee: null, department: null }],
    ["a single agent object instead of a list", { agents: { id: 4188, name: "Jane" } }],
    ["a customer with no name or email", { customer: { id: 1, name: null, email: null } }],
    ["read flags", { readByAgent: true, readByCustomer: false }],
    ["older fields such as notes", { notes: "called back" }],
    ["fields the API adds later", { priority: "high" }],
  ])("accepts %s", (_, fields) => {
    const result = chat({ ...base, ...fields });
    expect(result.ok, result.errors).toBe(true);
  });

  it.each([
    ["a chat without an id", { status: "new" }],
    ["a timestamp that is not a number", { createdAt: "yesterday" }],
    ["an unknown status", { status: "archived" }],
  ])("still rejects %s", (_, body) => {
    expect(chat(body).ok).toBe(false);
  });
});

// ---- Webhooks: what HelpCrunch POSTs to an integrator's endpoint. ----

/** The chat events HelpCrunch documents, with the component schema of each. */
const CHAT_EVENTS: [event: string, schema: string][] = [
  ["chat.new", "ChatNewWebhookEvent"],
  ["chat.status_updated", "ChatStatusUpdatedWebhookEvent"],
  ["chat.assigned", "ChatAssignedWebhookEvent"],
  ["chat.snoozed", "ChatSnoozedWebhookEvent"],
  ["chat.unsnoozed", "ChatUnsnoozedWebhookEvent"],
  ["chat.closed", "ChatClosedWebhookEvent"],
  ["chat.rated", "ChatRatedWebhookEvent"],
];
const ENVELOPE = ["id", "event", "eventData", "attempts", "lastAttemptAt", "createdAt"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe("webhooks", () => {
  it("describe exactly the seven documented chat events, each a POST", () => {
    expect(Object.keys(spec.webhooks ?? {}).sort()).toEqual(CHAT_EVENTS.map(([e]) => e).sort());
    for (const [event, item] of Object.entries(spec.webhooks as Json)) {
      expect(Object.keys(item as Json), event).toEqual(["post"]);
    }
  });

  it("are typed by a union of one schema per event, told apart by `event`", () => {
    const union = spec.components.schemas.ChatWebhookEvent;
    expect(union.oneOf).toEqual(
      CHAT_EVENTS.map(([, schema]) => ({ $ref: `#/components/schemas/${schema}` })),
    );
    expect(union.discriminator.propertyName).toBe("event");
    expect(union.discriminator.mapping).toEqual(
      Object.fromEntries(CHAT_EVENTS.map(([e, s]) => [e, `#/components/schemas/${s}`])),
    );
  });
});

describe.each(CHAT_EVENTS)("webhook %s", (event, schemaName) => {
  const op: Json = spec.webhooks?.[event]?.post ?? {};
  const schema: Json = spec.components.schemas[schemaName] ?? {};

  it("says when it fires and how to verify its signature", () => {
    expect(op.tags).toEqual(["Chat webhooks"]);
    expect(op.summary).toContain(`(${event})`);
    const description = collapseSpaces(op.description ?? "");
    expect(description).toMatch(/^Sent when /);
    for (const words of [
      "X-HelpCrunch-Signature",
      "HMAC-SHA1 of the raw body bytes",
      "exactly as received",
      "lowercase hex",
      "constant time",
      "2xx",
    ]) {
      expect(description, words).toContain(words);
    }
  });

  it("carries the required X-HelpCrunch-Signature header: 40 hex characters", () => {
    const params: Json[] = (op.parameters ?? []).map(deref);
    expect(params.map((p) => ({ name: p.name, in: p.in, required: p.required }))).toEqual([
      { name: "X-HelpCrunch-Signature", in: "header", required: true },
    ]);
    const signature = schemaValidator(params[0]?.schema.$ref);
    expect(signature(params[0]?.example).ok).toBe(true);
    expect(signature("0123456789abcdef0123456789abcdef01234567").ok).toBe(true);
    expect(signature("0123456789ABCDEF0123456789ABCDEF01234567").ok).toBe(true);
    for (const bad of ["", "0123456789abcdef", "g123456789abcdef0123456789abcdef01234567"]) {
      expect(signature(bad).ok, bad).toBe(false);
    }
    expect(signature(`${"a".repeat(40)}0`).ok).toBe(false);
  });

  it("is a JSON POST of its event schema, acknowledged by any 2xx, with no API key", () => {
    expect(op.requestBody.required).toBe(true);
    expect(Object.keys(op.requestBody.content)).toEqual(["application/json"]);
    expect(op.requestBody.content["application/json"].schema).toEqual({
      $ref: `#/components/schemas/${schemaName}`,
    });
    expect(Object.keys(op.responses)).toEqual(["2XX"]);
    expect(op.security).toEqual([]);
  });

  it("has the common envelope, `event` fixed to its name and eventData a WebhookChat", () => {
    expect(schema.type).toBe("object");
    expect([...schema.required].sort()).toEqual([...ENVELOPE].sort());
    expect(Object.keys(schema.properties).sort()).toEqual([...ENVELOPE].sort());
    expect(schema.properties.event).toMatchObject({ type: "string", const: event });
    expect(schema.properties.eventData).toMatchObject({ $ref: "#/components/schemas/WebhookChat" });
    expect(deref(schema.properties.id)).toMatchObject({ type: "string", format: "uuid" });
    expect(deref(schema.properties.attempts)).toMatchObject({ type: "integer" });
    expect(deref(schema.properties.lastAttemptAt)).toMatchObject({ type: "integer" });
    expect(deref(schema.properties.createdAt)).toMatchObject({ type: "integer" });
  });

  it("has examples valid against its schema, and against the union as this event only", () => {
    const media = op.requestBody.content["application/json"];
    const examples = Object.values(media.examples as Json).map((e) => deref(e).value);
    expect(examples.length).toBeGreaterThan(0);
    const own = schemaValidator(`#/components/schemas/${schemaName}`);
    const union = schemaValidator("#/components/schemas/ChatWebhookEvent");
    for (const example of examples) {
      const result = own(example);
      expect(result.ok, `${JSON.stringify(example)}: ${result.errors}`).toBe(true);
      expect(union(example).ok).toBe(true);
      expect(example.event).toBe(event);
      expect(example.id).toMatch(UUID);
      expect(typeof example.eventData.createdAt).toBe("string");
      for (const [other, otherSchema] of CHAT_EVENTS) {
        if (other !== event) {
          expect(schemaValidator(`#/components/schemas/${otherSchema}`)(example).ok).toBe(false);
        }
      }
    }
  });
});

describe("webhook payloads are liberal (the receiver's side)", () => {
  const union = schemaValidator("#/components/schemas/ChatWebhookEvent");
  const webhookChat = schemaValidator("#/components/schemas/WebhookChat");
  const envelope = (eventData: Json, event = "chat.new") => ({
    id: "3f1d8a52-6b0e-4c2a-9f5e-1a2b3c4d5e01",
    event,
    eventData,
    attempts: 0,
    lastAttemptAt: 1607542030,
    createdAt: 1607542030,
  });

  it.each([
    ["timestamps with a fraction, as documented", { createdAt: "1607542030.713" }],
    ["timestamps as digit strings", { createdAt: "1607542030", closedAt: "1607542030" }],
    ["timestamps as numbers", { createdAt: 1607542030, snoozedUntil: 1607542030.713 }],
    ["null timestamps", { closedAt: null, snoozedUntil: null }],
    ["agent ids as numbers", { communicatedAgents: [4188, 4189] }],
    ["no agents", { communicatedAgents: [] }],
    ["a department (older deliveries)", { department: { id: 233048, name: "Support" } }],
    ["applications (newer deliveries)", { applications: [{ id: 3838 }] }],
    ["no department", { department: null }],
    ["a customer without name or email", { customer: { id: 1, name: null, email: null } }],
    ["a rating outside the documented list", { rating: "perfect" }],
    ["fields the docs do not show", { id: 542335, lastMessageText: "Hi", priority: "high" }],
    ["nothing at all", {}],
  ])("accepts eventData with %s", (_, eventData) => {
    const chat = webhookChat(eventData);
    expect(chat.ok, chat.errors).toBe(true);
    const result = union(envelope(eventData));
    expect(result.ok, result.errors).toBe(true);
  });

  it("accepts fields the envelope may gain later", () => {
    expect(union({ ...envelope({}), version: 2 }).ok).toBe(true);
  });

  it.each([
    ["a timestamp that is not a number", envelope({ createdAt: "yesterday" })],
    ["agent ids as strings", envelope({ communicatedAgents: ["4188"] })],
    ["an undocumented event", envelope({}, "chat.deleted")],
    ["no eventData", { ...envelope({}), eventData: undefined }],
    ["eventData that is not an object", envelope("chat" as unknown as Json)],
    ["attempts that is not an integer", { ...envelope({}), attempts: "0" }],
    ["an envelope timestamp as a string", { ...envelope({}), createdAt: "1607542030" }],
    ["an id that is not a string", { ...envelope({}), id: 42 }],
    ["an id that is not a UUID", { ...envelope({}), id: "delivery-1" }],
  ])("still rejects %s", (_, body) => {
    expect(union(JSON.parse(JSON.stringify(body))).ok).toBe(false);
  });
});

function collapseSpaces(text: string) {
  return text.replace(/\s+/g, " ").trim();
}
