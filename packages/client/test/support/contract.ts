// Contract-test support: the bundled spec, a validator for its schemas, and a recorder of
// the responses the client actually received from the mock.
import { readFileSync } from "node:fs";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import { Ajv2020 } from "ajv/dist/2020.js";
import { methodName } from "../../scripts/generate.mjs";

type Json = Record<string, any>;
export const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(spec, "openapi");

/** Validates a value against a schema of the spec given as a local `$ref`; returns the errors. */
export function schemaErrors(ref: string, value: unknown): string | undefined {
  const validate = ajv.getSchema(`openapi${ref}`);
  if (!validate) {
    throw new Error(`the spec has no schema at ${ref}`);
  }
  return validate(value) ? undefined : ajv.errorsText(validate.errors);
}

const deref = (node: Json): Json =>
  node.$ref
    ? node.$ref
        .slice(2)
        .split("/")
        .reduce((n: Json, k: string) => n[k], spec)
    : node;

/** Every (operationId, status) pair the spec documents. */
export const documentedPairs: string[] = Object.values(spec.paths as Json).flatMap((item) =>
  Object.values(item as Json).flatMap((op) =>
    Object.keys((op as Json).responses).map((status) => `${(op as Json).operationId} ${status}`),
  ),
);

/** The response a status of an operation documents: its schema `$ref` and first example. */
export function documented(operationId: string, status: number) {
  const op = Object.values(spec.paths as Json)
    .flatMap((item) => Object.values(item as Json))
    .find((o) => (o as Json).operationId === operationId) as Json;
  const response = deref(op.responses[String(status)]);
  const media = response.content["application/json"];
  const example = deref(Object.values(media.examples as Json)[0]).value;
  return { schemaRef: media.schema.$ref as string, example };
}

export interface Exchange {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * A `fetch` for the client that sends through the real fetch, adds a `Prefer` header when a
 * test forces a documented status, and keeps each response it received.
 */
export function recordingFetch() {
  const exchanges: Exchange[] = [];
  let prefer: string | undefined;
  const fetchThrough: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (prefer) {
      headers.set("Prefer", prefer);
    }
    const response = await fetch(input, { ...init, headers });
    const text = await response.clone().text();
    exchanges.push({
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    });
    return response;
  };
  return {
    fetch: fetchThrough,
    exchanges,
    /** Makes Prism answer the next calls with this documented status (`Prefer: code=N`). */
    forceStatus(status: number | undefined) {
      prefer = status === undefined ? undefined : `code=${status}`;
    },
  };
}

/** One operation of the spec, as the tests drive it: everything read from the spec itself. */
export interface SpecOperation {
  operationId: string;
  /** The client method (the generator's rule: `updateChatStatus` → `updateStatus`). */
  method: string;
  httpMethod: string;
  path: string;
  /** The documented success status (2xx) and every other documented status. */
  success: number;
  errors: number[];
  paginated: boolean;
  /** A valid input for the method: the parameters' and the request body's examples. */
  input: Record<string, unknown>;
  /** Where each input field goes. */
  pathParams: string[];
  queryParams: string[];
}

const exampleOf = (node: Json): unknown => {
  const resolved = deref(node);
  if (resolved.example !== undefined) {
    return resolved.example;
  }
  const first = Object.values((resolved.examples ?? {}) as Json)[0];
  return first === undefined ? undefined : deref(first as Json).value;
};

/** Every operation of the bundled spec. */
export const specOperations: SpecOperation[] = Object.entries(spec.paths as Json).flatMap(
  ([path, item]) =>
    Object.entries(item as Json).map(([httpMethod, op]) => {
      const parameters = ((op as Json).parameters ?? []).map(deref) as Json[];
      const body = (op as Json).requestBody
        ? (exampleOf(deref((op as Json).requestBody).content["application/json"]) as Json)
        : {};
      const input: Record<string, unknown> = { ...body };
      for (const parameter of parameters) {
        const value = parameter.example ?? exampleOf(parameter.schema);
        if (value !== undefined) {
          input[parameter.name] = value;
        }
      }
      const statuses = Object.keys((op as Json).responses).map(Number);
      return {
        operationId: (op as Json).operationId,
        method: methodName((op as Json).operationId),
        httpMethod: httpMethod.toUpperCase(),
        path,
        success: statuses.find((status) => status >= 200 && status < 300) as number,
        errors: statuses.filter((status) => status >= 400),
        paginated: (op as Json)["x-paginated"] === true,
        input,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === "query").map((p) => p.name),
      };
    }),
);
