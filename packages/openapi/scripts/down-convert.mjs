#!/usr/bin/env node
// Writes the OpenAPI 3.0 rendition of the bundled contract, openapi.3.0.yaml and
// openapi.3.0.json, for tools that read only 3.0. The 3.1 file (openapi.yaml) stays the source
// of truth: this rendition is rebuilt from it on every build and never edited.
//
//   node scripts/down-convert.mjs [input.json]   (default: openapi.json beside package.json)
//
// The conversion is @apiture/openapi-down-convert (a maintained converter from npm): `type:
// [x, "null"]` becomes `nullable: true`, `const` a single-value `enum`, a schema's `examples`
// its `example`, `$ref` with siblings an `allOf`, `webhooks` and `license.identifier` are
// dropped. Then this script does what the converter leaves as 3.1:
//
//   - a `{ type: "null" }` branch of an `anyOf`/`oneOf` (3.0 has no "null" type): when every
//     other branch is an inline schema with a `type`, each gets `nullable: true`; otherwise
//     (a `$ref` branch) the null branch becomes `{ type: <the ref's type>, nullable: true,
//     enum: [null] }`, which accepts null and nothing else under 3.0's rules. A single
//     remaining inline branch is folded into its parent.
//   - responses shared through `components/responses` are copied into each operation, as
//     some 3.0 tools (Perl's JSON::Validator) do not follow a response-level `$ref`;
//   - `info.summary` (3.1 only) moves to the top of `info.description`, which opens with a
//     note saying this is a generated rendition and naming the webhooks 3.0 cannot carry.
//
// The result is checked against the official OpenAPI 3.0 schema by the lint task
// (scripts/validate.mjs) and for equivalence with the 3.1 file by test/portability.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import openapiDownConvert from "@apiture/openapi-down-convert";
import { stringify } from "yaml";

const { Converter } = openapiDownConvert;
const here = (file) => fileURLToPath(new URL(`../${file}`, import.meta.url));

/** The 3.0 rendition of a bundled 3.1 document. */
export function downConvert(spec31) {
  const webhooks = Object.keys(spec31.webhooks ?? {});
  const converter = new Converter(spec31, { allOfTransform: true, verbose: false });
  const spec30 = converter.convert();
  const schemas = spec30.components?.schemas ?? {};
  walk(spec30, (node) => replaceNullBranches(node, schemas));
  inlineResponses(spec30);
  const { summary, ...info } = spec30.info;
  const note = [
    "> **OpenAPI 3.0 rendition**, generated at build time from the OpenAPI 3.1 contract",
    "> (`openapi.yaml` in `@helpcrunch-chats/openapi`), which is the source of truth.",
    webhooks.length
      ? `> OpenAPI 3.0 has no webhooks: the ${webhooks.length} webhook(s) of the 3.1 file (${webhooks.map((w) => `\`${w}\``).join(", ")}) are left out here.`
      : "> OpenAPI 3.0 has no webhooks: any webhook of the 3.1 file is left out here.",
  ].join("\n");
  spec30.info = {
    ...info,
    description: `${note}\n\n${summary ? `${summary}\n\n` : ""}${info.description ?? ""}`,
  };
  return spec30;
}

/**
 * Copies each shared response (`$ref: "#/components/responses/..."`) into the operations
 * that use it. Some 3.0 tools do not follow a `$ref` at the level of a response (Perl's
 * JSON::Validator then finds no schema and validates nothing); the schemas inside stay
 * `$ref`s to components.
 */
function inlineResponses(spec) {
  const shared = spec.components?.responses ?? {};
  for (const item of Object.values(spec.paths ?? {})) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const name = response.$ref?.match(/^#\/components\/responses\/(.+)$/)?.[1];
        if (name && shared[name]) {
          operation.responses[status] = structuredClone(shared[name]);
        }
      }
    }
  }
}

/** Calls `visit` on every object of the document, depth first, children before parents. */
function walk(node, visit) {
  if (Array.isArray(node)) {
    for (const item of node) {
      walk(item, visit);
    }
  } else if (node && typeof node === "object") {
    for (const value of Object.values(node)) {
      walk(value, visit);
    }
    visit(node);
  }
}

const isNullSchema = (schema) =>
  schema && typeof schema === "object" && schema.type === "null" && Object.keys(schema).length <= 2;

/** The `type` a `$ref`'d schema (or an inline one) declares, if any. */
function typeOf(schema, schemas) {
  if (typeof schema.type === "string") {
    return schema.type;
  }
  const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
  const target = ref?.startsWith("#/components/schemas/")
    ? schemas[ref.slice("#/components/schemas/".length)]
    : undefined;
  if (target) {
    return typeOf(target, schemas);
  }
  const branches = schema.anyOf ?? schema.oneOf;
  return branches?.length ? typeOf(branches[0], schemas) : undefined;
}

function replaceNullBranches(node, schemas) {
  for (const key of ["anyOf", "oneOf"]) {
    const branches = node[key];
    if (!Array.isArray(branches) || !branches.some(isNullSchema)) {
      continue;
    }
    const rest = branches.filter((branch) => !isNullSchema(branch));
    const inlineTyped = rest.every(
      (branch) => typeof branch.type === "string" && !branch.$ref && !branch.allOf,
    );
    if (inlineTyped && key === "anyOf") {
      for (const branch of rest) {
        branch.nullable = true;
      }
      if (rest.length === 1) {
        const { description, ...only } = rest[0];
        delete node[key];
        Object.assign(node, only, node.description || !description ? {} : { description });
        continue;
      }
      node[key] = rest;
    } else {
      node[key] = [
        ...rest,
        { type: typeOf(rest[0], schemas) ?? "object", nullable: true, enum: [null] },
      ];
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv[2] ?? here("openapi.json");
  const spec30 = downConvert(JSON.parse(readFileSync(input, "utf8")));
  writeFileSync(here("openapi.3.0.json"), `${JSON.stringify(spec30, null, 2)}\n`);
  writeFileSync(
    here("openapi.3.0.yaml"),
    stringify(spec30, { lineWidth: 0, aliasDuplicateObjects: false }),
  );
  console.log(
    `openapi.3.0.yaml, openapi.3.0.json: OpenAPI ${spec30.openapi} rendition of ${input}`,
  );
}
