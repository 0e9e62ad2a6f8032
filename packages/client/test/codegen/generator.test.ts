// The generator on small fixture specs: the descriptors and method signatures it emits, the
// verdicts and issue paths of the validators it compiles (run for real), the keywords it
// refuses, the method-name rule, and the drift check.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  emitAliases,
  emitOperations,
  generate,
  methodName,
  staleFiles,
} from "../../scripts/generate.mjs";
import type { OperationDescriptor } from "../../src/generated/operations.js";
import { issuesOf, loadOperations } from "../support/codegen.js";
import { fixtureSpec, keywordSpec } from "./fixtures.js";

type Json = Record<string, any>;
let OPS: Record<string, OperationDescriptor>;
let source: string;

beforeAll(async () => {
  source = emitOperations(fixtureSpec());
  OPS = (await loadOperations(source)).OPERATIONS;
});

const fields = (name: string, input: unknown) =>
  issuesOf(OPS[name] as OperationDescriptor, input).map((i) => `${i.field}: ${i.message}`);

describe("descriptors", () => {
  it("has one entry per operation, by method name, with its route and parameters", () => {
    const summary = Object.fromEntries(
      Object.entries(OPS).map(([name, { validate: _, ...rest }]) => [name, rest]),
    );
    expect(summary).toEqual({
      get: {
        method: "GET",
        path: "/chats/{id}",
        pathParams: ["id"],
        queryParams: [],
        bodyParams: null,
        repeatable: true,
        paginated: false,
      },
      list: {
        method: "GET",
        path: "/chats",
        pathParams: [],
        queryParams: ["offset", "limit", "sort", "order"],
        bodyParams: null,
        repeatable: true,
        paginated: true,
      },
      create: {
        method: "POST",
        path: "/chats",
        pathParams: [],
        queryParams: [],
        bodyParams: ["customer", "note"],
        repeatable: false,
        paginated: false,
      },
      search: {
        method: "POST",
        path: "/chats/search",
        pathParams: [],
        queryParams: [],
        bodyParams: ["filter", "comparison", "limit"],
        repeatable: true,
        paginated: true,
      },
      snooze: {
        method: "PUT",
        path: "/chats/snooze",
        pathParams: [],
        queryParams: [],
        bodyParams: ["id", "snoozedUntil"],
        repeatable: true,
        paginated: false,
      },
    });
  });

  it("types each method's one argument from the generated types, optional when nothing is required", () => {
    const flat = source.replace(/\s+/g, " ");
    expect(flat).toContain(
      'get(params: operations["getChat"]["parameters"]["path"], options?: CallOptions): APIPromise<Chat>;',
    );
    expect(flat).toContain(
      'list(params?: NonNullable<operations["listChats"]["parameters"]["query"]>, options?: CallOptions): PagePromise<Chat>;',
    );
    expect(flat).toContain(
      "search(params: SearchChatsRequest, options?: CallOptions): PagePromise<Chat>;",
    );
    expect(flat).toContain(
      "snooze(params: SnoozeChatRequest, options?: CallOptions): APIPromise<Chat>;",
    );
    expect(flat).toContain(
      "create(params: CreateChatRequest, options?: CallOptions): APIPromise<Chat>;",
    );
    expect(flat).toContain('import type { PagePromise } from "../pagination.js";');
  });

  it("documents each method with the summary, the description and the TypeScript code sample", () => {
    expect(source).toContain(
      [
        "/**",
        " * Get a chat",
        " *",
        " * Returns one chat.",
        " *",
        " * `GET /chats/{id}` (`getChat`).",
        " *",
        " * @example",
        " * ```ts",
        " * const chat = await hc.chats.get({ id: 1 });",
        " * ```",
        " */",
      ].join("\n"),
    );
  });

  it("emits a $ref'd schema used more than once as one constant, one used once in place", () => {
    expect(source.match(/const schemaId: Check = int\(1, 9007199254740991\);/g)).toHaveLength(1);
    expect(source.match(/\bschemaId\b/g)?.length).toBeGreaterThan(3);
    // SearchFilter is only the search filter's items.
    expect(source).not.toMatch(/schemaSearchFilter/);
    expect(source.replace(/\s+/g, "")).toContain(
      'filter:arr(obj({field:en(["status","customer.email"]),',
    );
  });

  it("emits data and combinator calls only: no function bodies, nothing evaluated", () => {
    const code = source.slice(
      source.indexOf("const schemaId"),
      source.indexOf("export type MethodName"),
    );
    expect(code).not.toMatch(/=>|function|eval|new Function/);
  });
});

describe("validators", () => {
  it("a path parameter: required, an integer in range, nothing else", () => {
    expect(fields("get", { id: 5 })).toEqual([]);
    expect(fields("get", {})).toEqual(["id: is required"]);
    expect(fields("get", undefined)).toEqual(["id: is required"]);
    expect(fields("get", { id: 0 })).toEqual(["id: must be an integer ≥ 1 and ≤ 9007199254740991"]);
    expect(fields("get", { id: "5" })).toHaveLength(1);
    expect(fields("get", { id: 2 ** 53 })).toHaveLength(1);
    expect(fields("get", { id: 1.5 })).toHaveLength(1);
    expect(fields("get", { id: 1, extra: true })).toEqual(["extra: is unknown"]);
    expect(fields("get", null)).toEqual([": must be an object"]);
    expect(fields("get", [])).toEqual([": must be an object"]);
  });

  it("query parameters: all optional, each checked when given", () => {
    expect(fields("list", undefined)).toEqual([]);
    expect(fields("list", {})).toEqual([]);
    expect(fields("list", { offset: 0, limit: 100, sort: "id", order: "desc" })).toEqual([]);
    expect(fields("list", { offset: -1, limit: 101, sort: "name", order: null })).toEqual([
      "offset: must be an integer ≥ 0",
      "limit: must be an integer ≥ 1 and ≤ 100",
      'sort: must be one of "id", "createdAt"',
      'order: must be one of "asc", "desc"',
    ]);
  });

  it("a body with a nested array of objects: issues carry the JSON path", () => {
    expect(
      fields("search", { filter: [{ field: "status", operator: "=", value: "new" }] }),
    ).toEqual([]);
    expect(
      fields("search", { filter: [{ field: "status", value: null }], comparison: "OR" }),
    ).toEqual([]);
    expect(
      fields("search", {
        filter: [
          { field: "status", value: 1 },
          { field: "nope", operator: "~", extra: 1 },
          "x",
          { field: "status", value: {} },
        ],
        comparison: "and",
      }),
    ).toEqual([
      "filter: must be an array of length ≥ 1 and ≤ 3",
      'comparison: must be one of "AND", "OR"',
    ]);
    expect(
      fields("search", {
        filter: [
          { field: "status", value: 1 },
          { field: "nope", operator: "~", extra: 1 },
          { field: "status", value: {} },
        ],
      }),
    ).toEqual([
      'filter[1].field: must be one of "status", "customer.email"',
      'filter[1].operator: must be one of "=", "!="',
      "filter[1].value: is required",
      "filter[1].extra: is unknown",
      "filter[2].value: must be exactly one of: a string, an integer or null",
    ]);
    expect(fields("search", { filter: ["x"] })).toEqual(["filter[0]: must be an object"]);
    expect(fields("search", { filter: [] })).toEqual([
      "filter: must be an array of length ≥ 1 and ≤ 3",
    ]);
    expect(fields("search", {})).toEqual(["filter: is required"]);
  });

  it("a nullable union: integer, digit string or null", () => {
    for (const snoozedUntil of [0, 1_700_000_000, "1700000000", "0", null]) {
      expect(fields("snooze", { id: 1, snoozedUntil })).toEqual([]);
    }
    for (const snoozedUntil of [-1, 1.5, "", "1.5", "x1", "1234567890123", true, [], {}]) {
      expect(fields("snooze", { id: 1, snoozedUntil })).toEqual([
        "snoozedUntil: must be an integer ≥ 0, a string of length ≤ 12 matching /^[0-9]+$/ or null",
      ]);
    }
    expect(fields("snooze", { id: 1 })).toEqual(["snoozedUntil: is required"]);
  });

  it("type lists with null, and lengths in code points", () => {
    expect(fields("create", { customer: 1, note: null })).toEqual([]);
    expect(fields("create", { customer: 1, note: "😀😀😀" })).toEqual([]);
    expect(fields("create", { customer: 1, note: "abcd" })).toEqual([
      "note: must be a string of length ≥ 1 and ≤ 3 or null",
    ]);
    expect(fields("create", { customer: 1, note: "" })).toHaveLength(1);
  });
});

describe("an optional request body", () => {
  it("requires its required fields only once any of its fields is sent", async () => {
    const spec = fixtureSpec();
    spec.paths["/chats"].post.requestBody.required = false;
    const { OPERATIONS } = await loadOperations(emitOperations(spec));
    const create = OPERATIONS.create as OperationDescriptor;
    const found = (input: unknown) =>
      issuesOf(create, input).map((i) => `${i.field}: ${i.message}`);
    expect(found(undefined)).toEqual([]);
    expect(found({})).toEqual([]);
    expect(found({ customer: 1 })).toEqual([]);
    expect(found({ note: "a" })).toEqual(["customer: is required"]);
    expect(found({ note: "a", other: 1 })).toEqual(["customer: is required", "other: is unknown"]);
    expect(emitOperations(spec).replace(/\s+/g, " ")).toContain(
      "create(params?: CreateChatRequest",
    );
  });
});

describe("every keyword the generator compiles", () => {
  let found: (name: string, input: unknown) => string[];
  let keywordSource: string;
  beforeAll(async () => {
    keywordSource = emitOperations(keywordSpec());
    const { OPERATIONS } = await loadOperations(keywordSource);
    found = (name, input) =>
      issuesOf(OPERATIONS[name] as OperationDescriptor, input).map(
        (i) => `${i.field}: ${i.message}`,
      );
  });

  it("numbers, exclusive bounds, type lists, const and enums say what is valid", () => {
    expect(
      found("updateNumbers", {
        ratio: 0,
        count: 10,
        either: -6,
        level: "low",
        mixed: 1,
        constEnum: "x",
        refPlus: 101,
        "weird key": "long",
        overlap: 6,
        typedEnum: 1,
      }),
    ).toEqual([
      "ratio: must be a number > 0 and ≤ 1",
      "count: must be an integer ≥ 1 and ≤ 9", // > 0.5 and < 10, for an integer
      "either: must be a number ≥ -5",
      'level: must be "high"',
      'mixed: must be one of "a", 1, null',
      'constEnum: must be "y"',
      "refPlus: must be a number ≤ 100",
      "weird key: must be a string of length ≤ 3",
      "overlap: must be exactly one of: an integer or a number ≥ 5",
      "typedEnum: must be one of 1, 5, 7",
    ]);
    expect(found("updateNumbers", { ratio: 1, refPlus: 0 })).toEqual([
      "refPlus: must be an integer ≥ 1 and ≤ 9007199254740991",
    ]);
  });

  it("keywords without a type apply to their kind of value only", () => {
    expect(found("updateShapes", { tree: { value: 1 }, bounded: "abc", shape: {} })).toEqual([
      "bounded: must be a string of length ≤ 2",
      "shape.a: is required",
    ]);
    expect(found("updateShapes", { tree: { value: 1 }, bounded: true, shape: [] })).toEqual([]);
    expect(found("updateShapes", { tree: { value: 1 }, typedAnyOf: "a" })).toEqual([
      "typedAnyOf: must be a string of length ≥ 2 or a string matching /^x/",
    ]);
  });

  it("a recursive schema refers to itself lazily, and checks every level", () => {
    expect(keywordSource).toContain("lazy(() => schemaTree)");
    expect(
      found("updateShapes", { tree: { value: 1, children: [{ value: "x", children: [{}] }] } }),
    ).toEqual([
      "tree.children[0].value: must be an integer",
      "tree.children[0].children[0].value: is required",
    ]);
  });

  it("false, an impossible const and a required key a closed object lacks accept nothing", () => {
    expect(found("updateRefusals", { impossible: "x", nothing: 1, closedShape: { a: 1 } })).toEqual(
      ["impossible: is not allowed", "nothing: is not allowed", "closedShape.a: is not allowed"],
    );
    expect(found("updateRefusals", { closedShape: {} })).toEqual(["closedShape.a: is required"]);
    expect(found("updateShapes", { tree: { value: 1 }, list: [1] })).toEqual([
      "list[0]: is not allowed",
    ]);
  });
});

describe("what the generator refuses", () => {
  const withSchema = (schema: Json) => {
    const spec = fixtureSpec();
    spec.components.schemas.CreateChatRequest.properties.note = schema;
    return spec;
  };

  it.each([
    ["allOf", { allOf: [{ type: "string" }] }],
    ["not", { not: { type: "string" } }],
    ["if", { if: { type: "string" }, else: { minLength: 1 } }],
    ["patternProperties", { type: "object", patternProperties: { "^x": {} } }],
    ["dependentRequired", { type: "object", dependentRequired: { a: ["b"] } }],
    ["discriminator", { type: "object", discriminator: { propertyName: "kind" } }],
    ["uniqueItems", { type: "array", uniqueItems: true }],
    ["multipleOf", { type: "integer", multipleOf: 5 }],
    ["minProperties", { type: "object", minProperties: 1 }],
    ["prefixItems", { type: "array", prefixItems: [{ type: "string" }] }],
    ["nullable", { type: "string", nullable: true }],
  ])("throws on %s", (keyword, schema) => {
    expect(() => emitOperations(withSchema(schema))).toThrow(new RegExp(`"${keyword}"`));
  });

  it("reads format as the annotation it is (as Ajv does without ajv-formats)", () => {
    expect(() => emitOperations(withSchema({ type: "integer", format: "int64" }))).not.toThrow();
  });

  it("throws on an additionalProperties schema, a tuple items, an object enum, a bad pattern", () => {
    expect(() => emitOperations(withSchema({ type: "object", additionalProperties: {} }))).toThrow(
      /additionalProperties/,
    );
    expect(() => emitOperations(withSchema({ type: "array", items: [{}] }))).toThrow(/items/);
    expect(() => emitOperations(withSchema({ enum: [{ a: 1 }] }))).toThrow(/enum/);
    expect(() => emitOperations(withSchema({ type: "string", pattern: "(" }))).toThrow(/pattern/);
  });

  it("throws on a header parameter and on a name both a parameter and a body field", () => {
    const header = fixtureSpec();
    header.paths["/chats/{id}"].get.parameters.push({
      name: "X-Trace",
      in: "header",
      schema: { type: "string" },
    });
    expect(() => emitOperations(header)).toThrow(/header/);
    const clash = fixtureSpec();
    clash.paths["/chats/search"].post.parameters = [
      { name: "limit", in: "query", schema: { type: "integer" } },
    ];
    expect(() => emitOperations(clash)).toThrow(/"limit" is both/);
  });

  it.each([
    ["an array", { type: "array", items: { type: "integer" } }],
    ["an object", { type: "object" }],
    ["a nullable", { type: ["integer", "null"] }],
    ["an untyped", { minimum: 1 }],
  ])("throws on %s query parameter: values are serialised as scalars", (_, schema) => {
    const spec = fixtureSpec();
    spec.paths["/chats"].get.parameters.push({ name: "tags", in: "query", schema });
    expect(() => emitOperations(spec)).toThrow(/parameter tags must be a string, number/);
  });
});

describe("method names", () => {
  it.each([
    ["createChat", "create"],
    ["updateChatStatus", "updateStatus"],
    ["markChatReadByAgent", "markReadByAgent"],
    ["getChat", "get"],
    ["listChats", "list"],
    ["searchChats", "search"],
    ["snoozeChat", "snooze"],
    ["chatsExport", "export"],
  ])("%s → %s", (operationId, name) => {
    expect(methodName(operationId)).toBe(name);
  });

  it("throws on an operationId without the word, and on two giving one name", () => {
    expect(() => methodName("listThings")).toThrow(/no "Chat" or "Chats" word/);
    expect(() => methodName("chatterBox")).toThrow(/no "Chat" or "Chats" word/);
    const spec = fixtureSpec();
    spec.paths["/chats/{id}"].put = { ...spec.paths["/chats/{id}"].get, operationId: "getChats" };
    expect(() => emitOperations(spec)).toThrow(
      /getChat and getChats both give the client method "get"/,
    );
  });
});

describe("type aliases", () => {
  it("aliases every schema and every request body, once", () => {
    const aliases = emitAliases(fixtureSpec());
    const names = [...aliases.matchAll(/export type (\w+) =/g)].map((m) => m[1]);
    expect(names).toEqual([
      "Id",
      "CreateChatRequest",
      "SearchFilter",
      "Chat",
      "ChatPage",
      "SearchChatsRequest",
      "SnoozeChatRequest",
    ]);
    expect(aliases).toContain('export type Chat = components["schemas"]["Chat"];');
  });
});

describe("drift check", () => {
  it("finds nothing stale right after writing, and names the file that changed", () => {
    const dir = mkdtempSync(join(tmpdir(), "hc-generate-"));
    try {
      const outputs = {
        operations: join(dir, "operations.ts"),
        aliases: join(dir, "aliases.d.ts"),
      };
      const files = generate(fixtureSpec(), outputs);
      for (const file of files) {
        writeFileSync(file.path, file.content);
      }
      expect(staleFiles(files)).toEqual([]);
      writeFileSync(outputs.aliases, `${readFileSync(outputs.aliases, "utf8")}\n`);
      expect(staleFiles(files).map((f) => f.path)).toEqual([outputs.aliases]);
      // A spec change makes the written files stale.
      const spec = fixtureSpec();
      spec.components.schemas.Id.minimum = 0;
      writeFileSync(outputs.aliases, files[1]?.content ?? "");
      expect(staleFiles(generate(spec, outputs)).map((f) => f.path)).toEqual([outputs.operations]);
      rmSync(outputs.operations);
      expect(staleFiles(files).map((f) => f.path)).toEqual([outputs.operations]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
