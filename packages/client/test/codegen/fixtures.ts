// A small spec in the shape of the chat operations (a GET with a path parameter, a paginated
// GET with query parameters, a POST whose body nests an array of objects with enums, a PUT
// with a nullable union field), for the generator's unit tests.
type Json = Record<string, any>;

const ok = (ref: string) => ({
  description: "OK",
  content: { "application/json": { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const jsonBody = (schema: Json) => ({
  required: true,
  content: { "application/json": { schema } },
});

export function fixtureSpec(): Json {
  return {
    openapi: "3.1.0",
    info: { title: "fixture", version: "1.0.0" },
    paths: {
      "/chats/{id}": {
        get: {
          operationId: "getChat",
          summary: "Get a chat",
          description: "Returns one chat.",
          parameters: [
            { name: "id", in: "path", required: true, schema: { $ref: "#/components/schemas/Id" } },
          ],
          responses: { "200": ok("Chat") },
          "x-codeSamples": [
            { lang: "curl", source: "curl https://example.test/chats/1" },
            { lang: "TypeScript", source: "const chat = await hc.chats.get({ id: 1 });\n" },
          ],
        },
      },
      "/chats": {
        get: {
          operationId: "listChats",
          summary: "List chats",
          "x-paginated": true,
          parameters: [
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0 } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
            { name: "sort", in: "query", schema: { type: "string", enum: ["id", "createdAt"] } },
            { name: "order", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
          ],
          responses: { "200": ok("ChatPage") },
        },
        post: {
          operationId: "createChat",
          summary: "Create a chat",
          requestBody: jsonBody({ $ref: "#/components/schemas/CreateChatRequest" }),
          responses: { "201": ok("Chat") },
        },
      },
      "/chats/search": {
        post: {
          operationId: "searchChats",
          summary: "Search chats",
          "x-repeatable": true,
          "x-paginated": true,
          requestBody: jsonBody({
            type: "object",
            additionalProperties: false,
            required: ["filter"],
            properties: {
              filter: {
                type: "array",
                minItems: 1,
                maxItems: 3,
                items: { $ref: "#/components/schemas/SearchFilter" },
              },
              comparison: { type: "string", enum: ["AND", "OR"] },
              limit: { type: "integer", minimum: 1, maximum: 100 },
            },
          }),
          responses: { "200": ok("ChatPage") },
        },
      },
      "/chats/snooze": {
        put: {
          operationId: "snoozeChat",
          summary: "Snooze a chat",
          requestBody: jsonBody({
            type: "object",
            additionalProperties: false,
            required: ["id", "snoozedUntil"],
            properties: {
              id: { $ref: "#/components/schemas/Id" },
              snoozedUntil: {
                anyOf: [
                  { type: "integer", minimum: 0 },
                  { type: "string", pattern: "^[0-9]+$", maxLength: 12 },
                  { type: "null" },
                ],
              },
            },
          }),
          responses: { "200": ok("Chat") },
        },
      },
    },
    components: {
      schemas: {
        Id: { type: "integer", minimum: 1, maximum: 9007199254740991 },
        CreateChatRequest: {
          type: "object",
          additionalProperties: false,
          required: ["customer"],
          properties: {
            customer: { $ref: "#/components/schemas/Id" },
            note: { type: ["string", "null"], minLength: 1, maxLength: 3 },
          },
        },
        SearchFilter: {
          type: "object",
          additionalProperties: false,
          required: ["field", "value"],
          properties: {
            field: { type: "string", enum: ["status", "customer.email"] },
            operator: { type: "string", enum: ["=", "!="] },
            value: { oneOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] },
          },
        },
        Chat: {
          type: "object",
          required: ["id"],
          properties: { id: { type: "integer" } },
        },
        ChatPage: {
          type: "object",
          required: ["data"],
          properties: {
            data: { type: "array", items: { $ref: "#/components/schemas/Chat" } },
            total: { type: "integer" },
          },
        },
      },
    },
  };
}

/**
 * The fixture spec and three more operations whose bodies use every keyword and combination
 * the generator compiles that the others do not: number types and exclusive bounds, type
 * lists, const, enums beside a type their values do not all have or beside bounds, keywords
 * without a type,
 * true and false schemas, a `$ref` beside other keywords, anyOf beside a type, oneOf of
 * branches that overlap, a required key that is not a property, a recursive schema, a key
 * that is no identifier, a required key that is an array index (it comes first in an object's
 * keys).
 */
export function keywordSpec(): Json {
  const spec = fixtureSpec();
  const put = (operationId: string, properties: Json, required: string[], example: Json) => ({
    put: {
      operationId,
      summary: operationId,
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: { type: "object", additionalProperties: false, required, properties },
            example,
          },
        },
      },
      responses: { "200": { description: "OK" } },
    },
  });
  spec.paths["/chats/numbers"] = put(
    "updateChatNumbers",
    {
      ratio: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      count: { type: "integer", exclusiveMinimum: 0.5, exclusiveMaximum: 10 },
      either: { type: ["integer", "number"], minimum: -5 },
      level: { const: "high" },
      mixed: { type: "string", enum: ["a", 1, null] },
      constEnum: { enum: ["x", "y"], const: "y" },
      refPlus: { $ref: "#/components/schemas/Id", maximum: 100 },
      "weird key": { type: "string", maxLength: 3 },
      overlap: { oneOf: [{ type: "integer" }, { minimum: 5 }] },
      typedEnum: { type: "integer", enum: [1, 5, 7], minimum: 3 },
      untypedEnum: { enum: [1, 5, "ab", "abcd", null], minimum: 3, maxLength: 3 },
    },
    ["ratio"],
    {
      ratio: 0.5,
      count: 5,
      either: 1.5,
      level: "high",
      mixed: "a",
      constEnum: "y",
      refPlus: 50,
      "weird key": "w",
      overlap: 3,
      typedEnum: 5,
      untypedEnum: "ab",
    },
  );
  spec.paths["/chats/shapes"] = put(
    "updateChatShapes",
    {
      bounded: { minimum: 3, maxLength: 2, maxItems: 1 },
      shape: { required: ["a"], properties: { b: { type: "boolean" } } },
      anything: true,
      list: { type: "array", items: false, maxItems: 2 },
      tags: { type: "array", items: true, minItems: 1, maxItems: 2 },
      tree: { $ref: "#/components/schemas/Tree" },
      typedAnyOf: { type: "string", anyOf: [{ minLength: 2 }, { pattern: "^x" }] },
      nullableObject: { type: ["object", "null"], properties: { n: { type: "integer" } } },
      numbered: { type: "object", required: ["1"], properties: { b: { type: "string" } } },
    },
    ["tree"],
    {
      bounded: 5,
      shape: { a: 1, b: true },
      anything: { q: [1] },
      list: [],
      tags: [1],
      tree: { value: 1, children: [{ value: 2, children: [] }] },
      typedAnyOf: "xy",
      nullableObject: null,
      numbered: { b: "x", "1": [1] },
    },
  );
  spec.paths["/chats/refusals"] = put(
    "updateChatRefusals",
    {
      impossible: { enum: ["x"], const: "z" },
      nothing: false,
      closedShape: { type: "object", additionalProperties: false, required: ["a"] },
    },
    [],
    {},
  );
  spec.components.schemas.Tree = {
    type: "object",
    additionalProperties: false,
    required: ["value"],
    properties: {
      value: { type: "integer" },
      children: { type: "array", items: { $ref: "#/components/schemas/Tree" } },
    },
  };
  return spec;
}
