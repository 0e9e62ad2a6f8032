// The client follows the spec: every operation of the bundled contract has its method, sent
// to the same route with the same fields and status values, and there is nothing extra.
import { readFileSync } from "node:fs";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import { describe, expect, it } from "vitest";
import { createHelpCrunchClient } from "../src/index.js";
import { OPERATIONS } from "../src/internal/operations.js";

type Json = Record<string, any>;
const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));
const schemas: Json = spec.components.schemas;
const deref = (node: Json): Json => (node.$ref ? schemas[node.$ref.split("/").pop()] : node);

const specOperations = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, op]) => ({
    operationId: (op as Json).operationId as string,
    method: method.toUpperCase(),
    path,
    body: deref((op as Json).requestBody.content["application/json"].schema),
  })),
);

const hc = createHelpCrunchClient({ apiKey: "key" });

describe.each(specOperations)("$operationId", ({ operationId, method, path, body }) => {
  const name = operationId.replace("Chat", "");

  it(`has the client method chats.${name}`, () => {
    expect(typeof (hc.chats as Json)[name]).toBe("function");
  });

  it(`sends ${method} ${path} with exactly the spec's fields`, () => {
    const [sentMethod, sentPath, fields] = (OPERATIONS as Json)[name] ?? [];
    expect([sentMethod, sentPath]).toEqual([method, path]);
    expect(Object.keys(fields).sort()).toEqual(Object.keys(body.properties).sort());
    const required = Object.entries(fields as Json)
      .filter(([, rule]) => !rule[2])
      .map(([field]) => field);
    expect(required.sort()).toEqual([...body.required].sort());
  });
});

it("has no method the spec does not define", () => {
  expect(Object.keys(hc.chats).sort()).toEqual(
    specOperations.map((o) => o.operationId.replace("Chat", "")).sort(),
  );
});

it("accepts exactly the spec's status values", async () => {
  const { CHAT_STATUSES } = await import("../src/internal/operations.js");
  expect([...CHAT_STATUSES]).toEqual(schemas.ChatStatus.enum);
});
