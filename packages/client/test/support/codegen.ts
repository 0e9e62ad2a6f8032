// Generator-test support: turns generated TypeScript into a live module (bundled with the
// real internal/checks.ts by esbuild, written under .artifacts/ and imported), and an Ajv
// oracle that judges an input the way the spec does.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { build } from "esbuild";
import type { ValidationIssue } from "../../src/errors.js";
import type { OperationDescriptor } from "../../src/generated/operations.js";

type Json = Record<string, any>;

const generatedDir = fileURLToPath(new URL("../../src/generated/", import.meta.url));
const outDir = fileURLToPath(new URL("../../.artifacts/codegen/", import.meta.url));
let loaded = 0;

/** Compiles generated operations.ts source and imports it. */
export async function loadOperations(
  source: string,
): Promise<{ OPERATIONS: Record<string, OperationDescriptor> }> {
  const result = await build({
    stdin: {
      contents: source,
      resolveDir: generatedDir,
      loader: "ts",
      sourcefile: "operations.ts",
    },
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  });
  mkdirSync(outDir, { recursive: true });
  loaded += 1;
  const file = `${outDir}operations-${process.pid}-${loaded}.mjs`;
  writeFileSync(file, result.outputFiles[0]?.text ?? "");
  return import(/* @vite-ignore */ pathToFileURL(file).href);
}

/** The issues the generated validator of `op` finds in `input`. */
export function issuesOf(op: OperationDescriptor, input: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  op.validate(input, issues);
  return issues;
}

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"];
const escapeKey = (key: string) => encodeURIComponent(key.replace(/~/g, "~0").replace(/\//g, "~1"));

/** One operation as the oracle reads the spec: where each part's schema is. */
export interface OracleOperation {
  operationId: string;
  params: { name: string; required: boolean; pointer: string; schema: Json }[];
  body: { required: boolean; pointer: string; schema: Json } | undefined;
}

/**
 * An oracle over `spec`: for an operation's merged input (path, query and body parameters by
 * name), whether Ajv accepts each part against the spec's own schemas.
 */
export function createOracle(spec: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(spec, "openapi");
  const resolve = (ref: string): Json =>
    ref
      .slice(2)
      .split("/")
      .map((k) => decodeURIComponent(k).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((n: Json, k) => n[k], spec);
  const deref = (node: Json): Json => (node.$ref ? deref(resolve(node.$ref)) : node);

  const operations: OracleOperation[] = [];
  for (const [path, item] of Object.entries(spec.paths as Json)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Json)[method];
      if (!op) {
        continue;
      }
      const base = `#/paths/${escapeKey(path)}`;
      const params = [
        ...((item as Json).parameters ?? []).map((p: Json, i: number) => [
          p,
          `${base}/parameters/${i}`,
        ]),
        ...(op.parameters ?? []).map((p: Json, i: number) => [
          p,
          `${base}/${method}/parameters/${i}`,
        ]),
      ].map(([raw, at]) => {
        const param = deref(raw);
        return {
          name: param.name as string,
          required: param.in === "path" || param.required === true,
          pointer: `${raw.$ref ?? at}/schema`,
          schema: param.schema as Json,
        };
      });
      let body: OracleOperation["body"];
      if (op.requestBody) {
        const requestBody = deref(op.requestBody);
        body = {
          required: requestBody.required === true,
          pointer: `${op.requestBody.$ref ?? `${base}/${method}/requestBody`}/content/application~1json/schema`,
          schema: deref(requestBody.content["application/json"].schema),
        };
      }
      operations.push({ operationId: op.operationId, params, body });
    }
  }

  const validators = new Map<string, (value: unknown) => boolean>();
  const valid = (pointer: string, value: unknown) => {
    let validate = validators.get(pointer);
    if (!validate) {
      const compiled = ajv.getSchema(`openapi${pointer}`);
      if (!compiled) {
        throw new Error(`Ajv finds no schema at ${pointer}`);
      }
      validate = (v) => compiled(v) as boolean;
      validators.set(pointer, validate);
    }
    return validate(value);
  };

  /** Whether the spec accepts `input` for `op`: true, or the reason it does not. */
  function accepts(op: OracleOperation, input: unknown): true | string {
    const value = input === undefined ? {} : input;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return "not an object";
    }
    const record = value as Json;
    const bodyKeys = Object.keys(op.body?.schema.properties ?? {});
    for (const key in record) {
      if (!op.params.some((p) => p.name === key) && !bodyKeys.includes(key)) {
        return `unknown key ${key}`;
      }
    }
    for (const param of op.params) {
      if (record[param.name] === undefined) {
        if (param.required) {
          return `missing ${param.name}`;
        }
      } else if (!valid(param.pointer, record[param.name])) {
        return `bad ${param.name}`;
      }
    }
    if (op.body) {
      const body: Json = {};
      for (const key of bodyKeys) {
        if (record[key] !== undefined) {
          body[key] = record[key];
        }
      }
      if ((op.body.required || Object.keys(body).length) && !valid(op.body.pointer, body)) {
        return `bad body ${JSON.stringify(body)}`;
      }
    }
    return true;
  }

  return { operations, accepts, deref };
}
