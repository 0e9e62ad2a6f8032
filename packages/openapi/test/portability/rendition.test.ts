// The contract as other tools read it: the published OpenAPI 3.0 rendition is a valid 3.0
// document that accepts exactly what the 3.1 source accepts, and the 3.1 file itself gives
// every tool what it needs (a description on every property, int64 ids, a nullable status,
// inline success responses, a complete contact).
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  openapi30JsonPath,
  openapi30YamlPath,
  openapiJsonPath,
  openapiYamlPath,
} from "../../index.js";

type Json = Record<string, any>;
const spec31: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));
const spec30: Json = JSON.parse(readFileSync(openapi30JsonPath, "utf8"));
const source: Json = parse(readFileSync(openapiYamlPath, "utf8"));

const METHODS = ["get", "put", "post", "delete", "patch"];
const operations = (spec: Json) =>
  Object.entries(spec.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json })),
  );
const pointer = (...keys: string[]) =>
  `#/${keys.map((k) => k.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

describe("the OpenAPI 3.0 rendition", () => {
  it("is valid under the official OpenAPI 3.0 schema, as YAML and as JSON", async () => {
    for (const file of [openapi30JsonPath, openapi30YamlPath]) {
      const validator = new Validator();
      const result = await validator.validate(file);
      expect(result.errors ?? [], file).toEqual([]);
      expect(result.valid).toBe(true);
      expect(validator.version).toBe("3.0");
    }
    expect(parse(readFileSync(openapi30YamlPath, "utf8"))).toEqual(spec30);
  });

  it("has no 3.1-only construct left", () => {
    const text = JSON.stringify(spec30);
    expect(spec30.openapi).toMatch(/^3\.0\./);
    expect(text).not.toMatch(/"type":\s*\[/); // type arrays
    expect(text).not.toMatch(/"type":"null"/);
    expect(text).not.toMatch(/"const":/);
    expect(text).not.toMatch(/"examples":\[/); // JSON Schema examples (media-type examples are maps)
    expect(spec30.webhooks).toBeUndefined();
    expect(spec30.info.summary).toBeUndefined();
    expect(spec30.info.license.identifier).toBeUndefined();
    expect(spec30.info.description).toMatch(/OpenAPI 3\.0 rendition/);
    expect(spec30.info.description).toMatch(/no webhooks/);
  });

  it("keeps every operation, parameter, status and example of the 3.1 file", () => {
    const list = (spec: Json) =>
      operations(spec).map(({ path, method, op }) => ({
        path,
        method,
        id: op.operationId,
        params: (op.parameters ?? []).map((p: Json) => `${p.in}:${p.name}:${!!p.required}`),
        statuses: Object.keys(op.responses),
        examples: Object.keys(op.requestBody?.content?.["application/json"]?.examples ?? {}),
      }));
    expect(list(spec30)).toEqual(list(spec31));
    expect(Object.keys(spec30.components.schemas)).toEqual(Object.keys(spec31.components.schemas));
  });

  describe("accepts exactly what the 3.1 file accepts", () => {
    // Every schema of the contract, in both files, compiled by Ajv: JSON Schema 2020-12 for
    // 3.1, draft-07 with OpenAPI's `nullable` for 3.0.
    const ajv31 = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
    ajv31.addSchema(spec31, "spec");
    const ajv30 = new Ajv({ strict: false, allErrors: false, validateFormats: false });
    ajv30.addSchema(spec30, "spec");
    const check = (ref: string, value: unknown) => {
      const v31 = ajv31.getSchema(`spec${ref}`);
      const v30 = ajv30.getSchema(`spec${ref}`);
      if (!v31 || !v30) {
        throw new Error(`no schema at ${ref}`);
      }
      return { v31: v31(value) as boolean, v30: v30(value) as boolean };
    };

    /** Values to try on a schema: its examples, and variations that break or stretch them. */
    const variations = (value: unknown): unknown[] => {
      const out: unknown[] = [value, null, "x", 1, -1, 1.5, true, [], {}];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const key of Object.keys(value)) {
          const { [key]: _, ...without } = value as Json;
          out.push(without);
          for (const replacement of [
            null,
            "x",
            "1603885746",
            "1603864800.000",
            0,
            -1,
            2.5,
            true,
            {},
            [],
            [{}],
          ]) {
            out.push({ ...(value as Json), [key]: replacement });
          }
        }
        out.push({ ...(value as Json), unknownField: 1 });
      }
      return out;
    };

    const cases: { name: string; ref: string; values: unknown[] }[] = [];
    for (const { path, method, op } of operations(spec31)) {
      const body = op.requestBody?.content?.["application/json"];
      if (body) {
        const ref = pointer(
          "paths",
          path,
          method,
          "requestBody",
          "content",
          "application/json",
          "schema",
        );
        const values = Object.values(body.examples as Json).flatMap((e: Json) =>
          variations(e.value),
        );
        cases.push({ name: `${op.operationId} request body`, ref, values });
      }
      for (const [status, response] of Object.entries(op.responses as Json)) {
        const resolved: Json = response.$ref
          ? spec31.components.responses[response.$ref.split("/").pop()]
          : response;
        const media = resolved.content?.["application/json"];
        if (!media || response.$ref) {
          continue; // shared error responses: checked once, through components, below
        }
        const ref = pointer(
          "paths",
          path,
          method,
          "responses",
          status,
          "content",
          "application/json",
          "schema",
        );
        const values = Object.values(media.examples as Json).flatMap((e: Json) =>
          variations(e.value ?? spec31.components.examples[e.$ref.split("/").pop()].value),
        );
        cases.push({ name: `${op.operationId} ${status} body`, ref, values });
      }
    }
    for (const [name, response] of Object.entries(spec31.components.responses as Json)) {
      const media = response.content["application/json"];
      cases.push({
        name: `${name} body`,
        ref: pointer("components", "schemas", "ErrorEnvelope"),
        values: Object.values(media.examples as Json).flatMap((e: Json) => variations(e.value)),
      });
    }
    for (const name of Object.keys(spec31.components.schemas)) {
      const examples = Object.values(spec31.components.examples as Json).map((e: Json) => e.value);
      cases.push({
        name: `schema ${name}`,
        ref: pointer("components", "schemas", name),
        values: examples.flatMap(variations),
      });
    }

    it.each(cases)("$name", ({ ref, values }) => {
      let accepted = 0;
      for (const value of values) {
        const { v31, v30 } = check(ref, value);
        expect({ value, accepted: v30 }).toEqual({ value, accepted: v31 });
        accepted += v31 ? 1 : 0;
      }
      expect(values.length).toBeGreaterThan(0);
      // Both sides of the comparison are exercised: something is accepted, something refused.
      expect(accepted).toBeLessThan(values.length);
    });

    it("compares the 3.1 file's success bodies at the operations (responses are inline)", () => {
      expect(cases.filter((c) => /^\w+ 20\d body$/.test(c.name))).toHaveLength(
        operations(spec31).length,
      );
    });
  });
});

describe("the 3.1 contract gives every tool what it needs", () => {
  const schemas: Json = source.components.schemas;

  it("describes every property of every schema", () => {
    const missing: string[] = [];
    const visit = (schema: Json, where: string) => {
      if (!schema || typeof schema !== "object") {
        return;
      }
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Json)) {
        if (typeof property.description !== "string" || !property.description.trim()) {
          missing.push(`${where}.${name}`);
        }
        visit(property, `${where}.${name}`);
      }
      for (const key of ["anyOf", "oneOf", "allOf"]) {
        (schema[key] ?? []).forEach((branch: Json, i: number) => {
          visit(branch, `${where}.${key}[${i}]`);
        });
      }
      if (schema.items) {
        visit(schema.items, `${where}[]`);
      }
    };
    for (const [name, schema] of Object.entries(schemas)) {
      visit(schema, name);
    }
    expect(missing).toEqual([]);
  });

  it("gives integer ids format int64: Id and every id property", () => {
    expect(schemas.Id).toMatchObject({ type: "integer", format: "int64" });
    const ids: string[] = [];
    for (const [name, schema] of Object.entries(schemas)) {
      for (const [prop, property] of Object.entries(((schema as Json).properties ?? {}) as Json)) {
        if (!/(^id$|Id$)/.test(prop)) {
          continue;
        }
        ids.push(`${name}.${prop}`);
        // A `$ref` is judged by the schema it names: an integer one must be int64 there.
        const target = property.$ref
          ? schemas[String(property.$ref).split("/").pop() ?? ""]
          : undefined;
        if (target && property.$ref !== "#/components/schemas/Id") {
          const targetInteger = [target.type].flat().includes("integer");
          expect(targetInteger ? target.format : "not an integer", `${name}.${prop}`).toBe(
            targetInteger ? "int64" : "not an integer",
          );
          continue;
        }
        const integer =
          property.type === "integer" ||
          (Array.isArray(property.type) && property.type.includes("integer"));
        const text = Array.isArray(property.type)
          ? property.type.includes("string")
          : property.type === "string";
        if (integer) {
          expect(property.format, `${name}.${prop}`).toBe("int64");
        } else if (text) {
        } else {
          expect(property.$ref, `${name}.${prop}`).toBe("#/components/schemas/Id");
        }
      }
    }
    expect(ids.length).toBeGreaterThanOrEqual(10);
  });

  it("lets Chat.status be null, as every other field but the id", () => {
    const chat = schemas.Chat;
    const status = chat.properties.status;
    expect(status.anyOf).toContainEqual({ type: "null" });
    for (const [name, property] of Object.entries(chat.properties as Json)) {
      if (name === "id") {
        continue;
      }
      const text = JSON.stringify(property);
      const nullable = /"null"/.test(text) || /UnixTimestamp/.test(text);
      expect(nullable, `Chat.${name}`).toBe(true);
    }
  });

  it("writes every success response inline in its operation", () => {
    for (const { method, path, op } of operations(source)) {
      for (const [status, response] of Object.entries(op.responses as Json)) {
        if (status.startsWith("2")) {
          expect(response.$ref, `${method} ${path} ${status}`).toBeUndefined();
          expect(
            response.content["application/json"].schema,
            `${method} ${path} ${status}`,
          ).toBeDefined();
        }
      }
    }
  });

  it("names who to contact: a name and the repository's issues, no invented address", () => {
    expect(source.info.contact).toEqual({
      name: "HelpCrunch Chats API contract",
      url: "https://github.com/helpcrunch-chats/helpcrunch-chats/issues",
    });
  });
});
