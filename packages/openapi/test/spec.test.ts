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

const OPERATIONS = [
  {
    id: "createChat",
    method: "post",
    path: "/chats",
    required: ["customer", "application"],
    optional: ["assignee", "department"],
    success: "201",
    errors: ["400", "401", "409", "429"],
  },
  {
    id: "updateChatStatus",
    method: "put",
    path: "/chats/status",
    required: ["id", "status"],
    optional: [],
    success: "200",
    errors: ["400", "401", "404", "429"],
  },
  {
    id: "markChatReadByAgent",
    method: "put",
    path: "/chats/readByAgent",
    required: ["id", "read"],
    optional: [],
    success: "200",
    errors: ["400", "401", "404", "429"],
  },
  {
    id: "markChatReadByCustomer",
    method: "put",
    path: "/chats/readByCustomer",
    required: ["id", "read"],
    optional: [],
    success: "200",
    errors: ["400", "401", "404", "429"],
  },
  {
    id: "updateChatAssignee",
    method: "put",
    path: "/chats/assignee",
    required: ["id", "assignee"],
    optional: [],
    success: "200",
    errors: ["400", "401", "404", "429"],
  },
  {
    id: "updateChatDepartment",
    method: "put",
    path: "/chats/department",
    required: ["id", "department"],
    optional: [],
    success: "200",
    errors: ["400", "401", "404", "429"],
  },
] as const;

const allOperations = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, op]) => ({ path, method, op: op as Json })),
);

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

  it("has exactly the six documented operations", () => {
    expect(allOperations.map(({ op }) => op.operationId).sort()).toEqual(
      OPERATIONS.map((o) => o.id).sort(),
    );
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

  it("takes a strict request body with the documented fields", () => {
    const body = deref(op.requestBody.content["application/json"].schema);
    expect(op.requestBody.required).toBe(true);
    expect(body.additionalProperties).toBe(false);
    expect([...body.required].sort()).toEqual([...expected.required].sort());
    expect(Object.keys(body.properties).sort()).toEqual(
      [...expected.required, ...expected.optional].sort(),
    );
  });

  it(`answers ${expected.success} with a Chat and documents exactly ${expected.errors.join(", ")}`, () => {
    const statuses = Object.keys(op.responses);
    expect(statuses.sort()).toEqual([expected.success, ...expected.errors].sort());
    const success = deref(op.responses[expected.success]);
    expect(success.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Chat",
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

  it("has request and response examples that validate against their schemas", () => {
    const bodies = [
      op.requestBody.content["application/json"],
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
  });

  it("has curl and TypeScript code samples", () => {
    expect(op["x-codeSamples"].map((s: Json) => s.lang)).toEqual(["curl", "TypeScript"]);
    const ts = op["x-codeSamples"][1].source as string;
    expect(ts).toContain("@helpcrunch-chats/client");
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
