// Classifies the changes between two versions of the contract, for the clients of the API.
//
// The differ is api-smart-diff (a maintained OpenAPI diff library); this module only
// prepares the two documents for it and corrects its classification where it is wrong for
// a client of this API. The rules the gate applies, in order, to each change it reports:
//
//   Where a change is. A change under `requestBody`, a parameter or a security scheme is on
//   the REQUEST side (what clients send); under `responses`, on the RESPONSE side (what
//   clients receive). Request schemas are contravariant and response schemas covariant:
//   a client breaks when the API stops accepting something it sends, or starts sending
//   something it does not expect.
//
//   1. Shared schemas are inlined before diffing. api-smart-diff classifies a `$ref`ed
//      schema once, in the context where it first meets it, and reuses that verdict for
//      every other use: our ChatStatus is used by a request (UpdateChatStatusRequest) and
//      by every response (through ReportedChatStatus), so removing a status came out
//      "breaking" for responses and adding one "non-breaking" for them. With every local
//      `$ref` inlined, each use is classified on its own side. Components then only matter
//      by name: a named schema removed is breaking (the types package exports every one
//      as `components["schemas"][name]`), one added is not; security schemes are compared
//      as they are.
//   2. api-smart-diff's verdict stands for what it gets right on each side, among them:
//        request:  new required field, removed enum value, narrowed constraint
//                  (maximum, pattern, ...), new required parameter .......... breaking
//                  new optional field, new enum value, required dropped ... non-breaking
//        response: removed enum value, new required field ................. non-breaking
//                  new enum value (a client may meet a value it does not know), required
//                  dropped (a field clients relied on may be absent) ........ breaking
//        removed operation or response status ............................... breaking
//        new operation, new response status .................................. non-breaking
//        descriptions, summaries, operationIds, info, servers ............... annotation
//   3. Overrides, where api-smart-diff's verdict is wrong for our clients:
//      a. A removed property is breaking on both sides. api-smart-diff calls it
//         non-breaking. In a request our schemas are strict (additionalProperties: false),
//         so a client still sending the field is refused, and the typed client no longer
//         compiles; in a response, clients reading the field lose it.
//      b. A changed `type` is judged by direction. api-smart-diff calls every request
//         type change breaking and every response type change non-breaking. The gate
//         compares the sets of types (no `type` = any type; integer is a number): a
//         request type that only widens (string -> [string, null]) is non-breaking, any
//         other is breaking; a response type that only narrows is non-breaking, any other
//         (widening integer -> [integer, string], or a swap) is breaking.
//      c. An enum dropped as a whole (the value becomes free) widens the value: breaking
//         in a response, non-breaking in a request. api-smart-diff reports it value by
//         value, as if the values had been removed one by one.
//      d. Deprecations are non-breaking (reported as such, marked "deprecated").
//      e. Changes api-smart-diff leaves unclassified are annotations when they touch only
//         documentation (examples, `x-` extensions such as x-codeSamples, tags, info) and
//         otherwise breaking: the gate fails closed and asks for a human decision.
//      f. A changed or removed operationId is breaking. api-smart-diff calls it an
//         annotation, but the types package keys `operations` by operationId and the
//         client's method names derive from it.
//   4. Webhooks (OpenAPI 3.1 `webhooks`), which api-smart-diff does not know (it reports
//      every change under them unclassified). A webhook is a request HelpCrunch sends to an
//      integrator's endpoint, so its payload and headers are what INTEGRATORS accept: the
//      WEBHOOK side, judged as a request is (the integrator plays the server). Before
//      diffing, each webhook is moved into `paths` under a key no real path can have
//      (`/@webhooks/<event>`), so api-smart-diff and the rules above classify it as an
//      operation with a request body; its changes are then reported back under `webhooks`:
//        event (webhook) removed, payload field removed, type or pattern narrowed, enum
//        value removed, new required field, operationId changed ............. breaking
//        event added, optional field added, type widened, enum value added .. non-breaking
//        descriptions, summaries, examples ..................................... annotation
//      g. On the webhook side, `additionalProperties` added (false or a schema) narrows what
//         receivers accept: breaking. api-smart-diff calls it non-breaking.
//   Where api-smart-diff errs on the safe side (it calls `additionalProperties: false`
//   added to a response breaking, for one), its verdict stands: a false alarm costs a
//   review, a missed break costs every client.
import { readFileSync } from "node:fs";
import { apiCompare } from "api-smart-diff";
import { parse as parseYaml } from "yaml";

export const CLASSES = ["breaking", "non-breaking", "annotation"];

/** Reads an OpenAPI 3.x document from a .json or .yaml file. */
export function loadSpec(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error.message}`);
  }
  let doc;
  try {
    doc = file.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(
      `${file} is not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${error.message}`,
    );
  }
  if (!doc || typeof doc !== "object" || !/^3\./.test(String(doc.openapi ?? ""))) {
    throw new Error(`${file} is not an OpenAPI 3.x document (no "openapi: 3.x" field)`);
  }
  const external = findExternalRef(doc);
  if (external) {
    throw new Error(
      `${file} has an external $ref (${external}): compare bundled documents (pnpm build writes packages/openapi/openapi.json)`,
    );
  }
  return doc;
}

function findExternalRef(node) {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findExternalRef(item);
      if (found) {
        return found;
      }
    }
  } else if (node && typeof node === "object") {
    if (typeof node.$ref === "string" && !node.$ref.startsWith("#")) {
      return node.$ref;
    }
    for (const value of Object.values(node)) {
      const found = findExternalRef(value);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

const unescapePointer = (token) => token.replace(/~1/g, "/").replace(/~0/g, "~");
const escapePointer = (token) => String(token).replace(/~/g, "~0").replace(/\//g, "~1");

/**
 * A copy of `doc` with every local `$ref` replaced by (a copy of) its target; keywords
 * next to the `$ref` (a description, say) win over the target's. A `$ref` inside its own
 * target (a cycle) is left as it is.
 */
export function inlineRefs(doc) {
  const resolve = (ref) =>
    ref
      .slice(2)
      .split("/")
      .map(unescapePointer)
      .reduce((node, key) => (node == null ? undefined : node[key]), doc);
  const walk = (node, stack) => {
    if (Array.isArray(node)) {
      return node.map((item) => walk(item, stack));
    }
    if (!node || typeof node !== "object") {
      return node;
    }
    const copy = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== "$ref") {
        copy[key] = walk(value, stack);
      }
    }
    const ref = node.$ref;
    if (typeof ref !== "string") {
      return copy;
    }
    const target = ref.startsWith("#/") && !stack.includes(ref) ? resolve(ref) : undefined;
    if (target === undefined) {
      return { $ref: ref, ...copy };
    }
    return { ...walk(target, [...stack, ref]), ...copy };
  };
  return walk(doc, []);
}

/** Where a webhook is put in `paths` for api-smart-diff (rule 4): no real path starts so. */
const WEBHOOK_PREFIX = "/@webhooks/";

/** What api-smart-diff is given: everything inlined; components only by name (rule 1); webhooks as paths (rule 4). */
function prepare(doc) {
  const { components, webhooks, ...rest } = inlineRefs(doc);
  const prepared = { ...rest };
  if (webhooks && typeof webhooks === "object") {
    const paths = { ...(rest.paths ?? {}) };
    for (const path of Object.keys(paths)) {
      if (path.startsWith(WEBHOOK_PREFIX)) {
        throw new Error(`path ${path} clashes with how the gate compares webhooks`);
      }
    }
    for (const [event, item] of Object.entries(webhooks)) {
      paths[`${WEBHOOK_PREFIX}${event}`] = item;
    }
    prepared.paths = paths;
  }
  if (components) {
    prepared.components = {
      schemas: Object.fromEntries(Object.keys(components.schemas ?? {}).map((name) => [name, {}])),
      securitySchemes: components.securitySchemes ?? {},
    };
  }
  return prepared;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/** Which side of the wire a change is on (see the rules above). */
function sideOf(path) {
  if (path[0] === "webhooks") {
    if (path[2] === "parameters" || path[3] === "parameters" || path[3] === "requestBody") {
      return "webhook";
    }
    return path[3] === "responses" ? "webhook answer" : "operation";
  }
  if (path[0] === "paths") {
    if (path[2] === "parameters" || path[3] === "parameters" || path[3] === "requestBody") {
      return "request";
    }
    if (path[3] === "responses") {
      return "response";
    }
    return "operation";
  }
  if (path[0] === "components" && path[1] === "securitySchemes") {
    return "request";
  }
  if (path[0] === "security") {
    return "request";
  }
  return "document";
}

function operationOf(path) {
  if (path[0] === "webhooks" && typeof path[1] === "string") {
    return `webhook ${path[1]}`;
  }
  if (path[0] === "paths" && typeof path[1] === "string") {
    return METHODS.has(path[2]) ? `${String(path[2]).toUpperCase()} ${path[1]}` : path[1];
  }
  if (path[0] === "components" && path[1] === "schemas" && path[2] !== undefined) {
    return `schema ${path[2]}`;
  }
  return path[0] === undefined ? "document" : String(path[0]);
}

const at = (doc, path) =>
  path.reduce(
    (node, key) => (node == null || typeof node !== "object" ? undefined : node[key]),
    doc,
  );

/** The set of JSON types a `type` keyword allows; undefined means any type. */
const typeSet = (value) =>
  value === undefined ? undefined : new Set(Array.isArray(value) ? value : [value]);

/** Whether every value of type set `a` is allowed by type set `b`. */
function typesWithin(a, b) {
  if (b === undefined) {
    return true;
  }
  if (a === undefined) {
    return false;
  }
  return [...a].every((type) => b.has(type) || (type === "integer" && b.has("number")));
}

const showTypes = (value) =>
  value === undefined ? "any" : Array.isArray(value) ? value.join("|") : String(value);

const isDocumentationPath = (path) =>
  path.some(
    (key) =>
      key === "examples" || key === "example" || (typeof key === "string" && key.startsWith("x-")),
  ) || ["tags", "info", "externalDocs", "servers"].includes(path[0]);

/**
 * A change's path as the reader knows it: a webhook that `prepare` moved into `paths` is
 * reported back under `webhooks` (rule 4).
 */
const reportedPath = (path) =>
  path[0] === "paths" && typeof path[1] === "string" && path[1].startsWith(WEBHOOK_PREFIX)
    ? ["webhooks", path[1].slice(WEBHOOK_PREFIX.length), ...path.slice(2)]
    : path;

/** api-smart-diff's wording, with a webhook's placeholder path ("POST /@webhooks/chat.new") named as the webhook. */
const reportedText = (text) =>
  text?.replace(/(?:operation )?(?:\b[A-Z]+ )?\/@webhooks\//g, "webhook ");

/** The gate's verdict for one api-smart-diff change (rules 2 to 4 above). */
function classify(diff, base, head) {
  const { action, type } = diff;
  // Rule c reads the prepared document, where webhooks sit in `paths`.
  const preparedPath = diff.path;
  const path = reportedPath(preparedPath);
  const reportedSide = sideOf(path);
  // The webhook side is what integrators accept: judged as a request (rule 4).
  const side = reportedSide === "webhook" ? "request" : reportedSide;
  const webhook = reportedSide === "webhook";
  const last = path.at(-1);
  const parentKey = path.at(-2);
  const inSchema = path.includes("schema");

  // f. A changed or removed operationId.
  if (
    last === "operationId" &&
    (path[0] === "paths" || path[0] === "webhooks") &&
    action !== "add"
  ) {
    return {
      class: "breaking",
      detail:
        action === "remove"
          ? `operationId ${describeValue(diff.before)} removed`
          : `operationId ${describeValue(diff.before)} -> ${describeValue(diff.after)}`,
      why: "the types package keys `operations` by operationId, and client method names derive from it",
    };
  }
  if (type === "annotation") {
    return { class: "annotation" };
  }
  if (type === "deprecated") {
    return { class: "non-breaking", note: "deprecated" };
  }
  // a. A removed property.
  if (
    action === "remove" &&
    inSchema &&
    (side === "request" || side === "response") &&
    (parentKey === "properties" || last === "properties")
  ) {
    return {
      class: "breaking",
      why: webhook
        ? "receivers reading it lose it"
        : side === "request"
          ? "request schemas are strict: a client still sending it is refused, and the typed client no longer compiles"
          : "clients reading it lose it",
    };
  }
  // b. A changed type, judged by direction. A change inside a list of types (`type/1`) is
  // judged on the whole keyword, before and after. (A property named `type` is not one.)
  const typeKeyword =
    last === "type" && parentKey !== "properties"
      ? preparedPath
      : parentKey === "type" && /^\d+$/.test(String(last)) && path.at(-3) !== "properties"
        ? preparedPath.slice(0, -1)
        : undefined;
  if (typeKeyword && inSchema && (side === "request" || side === "response")) {
    const typeBefore = at(base, typeKeyword);
    const typeAfter = at(head, typeKeyword);
    const before = typeSet(typeBefore);
    const after = typeSet(typeAfter);
    const widened = typesWithin(before, after);
    const narrowed = typesWithin(after, before);
    const change = `type ${showTypes(typeBefore)} -> ${showTypes(typeAfter)}`;
    if (side === "request") {
      return widened
        ? { class: "non-breaking", detail: change }
        : {
            class: "breaking",
            detail: change,
            why: webhook
              ? "receivers built from the contract refuse a value HelpCrunch may still send"
              : "clients may send a value no longer accepted",
          };
    }
    return narrowed
      ? { class: "non-breaking", detail: change }
      : {
          class: "breaking",
          detail: change,
          why: "clients may receive a value of a type they do not expect",
        };
  }
  // g. A webhook payload closed to properties it does not list: receivers built from the
  // contract then refuse fields HelpCrunch sends. api-smart-diff calls it non-breaking.
  if (webhook && last === "additionalProperties" && action !== "remove" && inSchema) {
    if (diff.after === false || (diff.after && typeof diff.after === "object")) {
      return {
        class: "breaking",
        detail: "additionalProperties restricted",
        why: "receivers built from the contract refuse fields HelpCrunch may still send",
      };
    }
  }
  // c. An enum dropped as a whole.
  if (parentKey === "enum" && action === "remove" && (side === "request" || side === "response")) {
    const schema = at(head, preparedPath.slice(0, -2));
    if (schema && typeof schema === "object" && !("enum" in schema)) {
      return side === "request"
        ? { class: "non-breaking", detail: "enum dropped: any value accepted" }
        : {
            class: "breaking",
            detail: "enum dropped: any value may come back",
            why: "clients may receive values they do not know",
          };
    }
  }
  // e. Unclassified.
  if (type === "unclassified") {
    return isDocumentationPath(path)
      ? { class: "annotation" }
      : {
          class: "breaking",
          why: "api-smart-diff could not classify it; the gate fails closed: review it",
        };
  }
  return { class: type === "breaking" ? "breaking" : "non-breaking" };
}

const describeValue = (value) =>
  value === undefined
    ? ""
    : typeof value === "object"
      ? JSON.stringify(value).slice(0, 80)
      : JSON.stringify(value);

/**
 * Compares two OpenAPI documents (parsed) and returns every change, classed for clients:
 * `{ class, operation, side, message, pointer, library, why? }`, in api-smart-diff's order.
 */
export function compareSpecs(base, head) {
  // api-smart-diff transforms the documents it is given in place (it adds an empty `enum`
  // where the other side has one, for instance): it gets copies, and rule c looks at a
  // pristine one.
  const before = prepare(base);
  const after = prepare(head);
  const { diffs } = apiCompare(structuredClone(before), structuredClone(after));
  return diffs.map((diff) => {
    const verdict = classify(diff, before, after);
    const { action } = diff;
    const path = reportedPath(diff.path);
    const side = sideOf(path);
    let detail = verdict.detail;
    if (!detail && path.at(-2) === "enum") {
      detail =
        action === "add"
          ? `value ${describeValue(diff.after)} added`
          : action === "remove"
            ? `value ${describeValue(diff.before)} removed`
            : `value ${describeValue(diff.before)} -> ${describeValue(diff.after)}`;
    }
    if (!detail && path[0] === "components" && path[1] === "schemas" && path.length === 3) {
      detail = `named schema ${path[2]} ${action === "add" ? "added" : action === "remove" ? "removed" : "changed"}`;
    }
    if (!detail && !diff.description) {
      detail =
        action === "replace"
          ? `${describeValue(diff.before)} -> ${describeValue(diff.after)}`
          : `${action === "add" ? "added" : action === "remove" ? "removed" : action} ${String(path.at(-1))}`;
    }
    const message = [reportedText(diff.description), detail].filter(Boolean).join(": ");
    return {
      class: verdict.class,
      operation: operationOf(path),
      side,
      message: verdict.note ? `${message} (${verdict.note})` : message,
      pointer: `#/${path.map(escapePointer).join("/")}`,
      library: diff.type,
      ...(verdict.why ? { why: verdict.why } : {}),
    };
  });
}
