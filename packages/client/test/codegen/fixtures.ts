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
