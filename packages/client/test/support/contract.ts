// Contract-test support: the bundled spec, a validator for its schemas, and a recorder of
// the responses the client actually received from the mock.
import { readFileSync } from "node:fs";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import { Ajv2020 } from "ajv/dist/2020.js";

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
