// Reads the operations of a bundled OpenAPI 3.1 spec into the plain records the emitters
// work from. Anything the client could not honour (a header parameter, a non-JSON body, a
// name used twice) throws here, naming the operation.

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"];

/** Resolves a local `$ref` (`#/components/...`) of `spec`; other refs throw. */
export function resolveRef(spec, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#/")) {
    throw new Error(`only local $refs are supported, got ${JSON.stringify(ref)}`);
  }
  const node = ref
    .slice(2)
    .split("/")
    .map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((n, key) => (n == null ? undefined : n[key]), spec);
  if (node === undefined) {
    throw new Error(`$ref ${ref} points at nothing`);
  }
  return node;
}

/** Follows `$ref`s (a schema's, a parameter's, a response's) until a node without one. */
export const deref = (spec, node) => {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string"; hops++) {
    if (hops > 20) {
      throw new Error(`$ref cycle at ${node.$ref}`);
    }
    current = resolveRef(spec, current.$ref);
  }
  return current;
};

/**
 * The client method of an operationId: the id without its first `Chat` or `Chats` word,
 * first letter lower-cased (`updateChatStatus` → `updateStatus`, `listChats` → `list`).
 */
export function methodName(operationId) {
  const words = String(operationId).split(/(?=[A-Z])/);
  const index = words.findIndex((word) => /^chats?$/i.test(word));
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(operationId) || index === -1 || words.length < 2) {
    throw new Error(
      `operationId ${JSON.stringify(operationId)} has no "Chat" or "Chats" word to drop: the client's method name is the operationId without it`,
    );
  }
  words.splice(index, 1);
  const name = words.join("");
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `createChat` → `CreateChat`. */
export const pascal = (name) => name.charAt(0).toUpperCase() + name.slice(1);

const escapePointer = (key) => encodeURIComponent(key.replace(/~/g, "~0").replace(/\//g, "~1"));

/**
 * Every operation of the spec, in the spec's order:
 * `{ operationId, name, method, path, pointer, summary, description, example, pathParams,
 *   queryParams, body, repeatable, paginated, success }`.
 */
export function collectOperations(spec) {
  const operations = [];
  const byName = new Map();
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = deref(spec, rawItem);
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) {
        continue;
      }
      const where = `${method.toUpperCase()} ${path}`;
      if (!op.operationId) {
        throw new Error(`${where} has no operationId`);
      }
      const name = methodName(op.operationId);
      if (byName.has(name)) {
        throw new Error(
          `operationIds ${byName.get(name)} and ${op.operationId} both give the client method "${name}"`,
        );
      }
      byName.set(name, op.operationId);
      const pointer = `#/paths/${escapePointer(path)}/${method}`;
      operations.push({
        operationId: op.operationId,
        name,
        method: method.toUpperCase(),
        path,
        pointer,
        summary: op.summary ?? "",
        description: op.description ?? "",
        example: (op["x-codeSamples"] ?? []).find((s) =>
          /^(typescript|ts)$/i.test(s.lang ?? s.label ?? ""),
        )?.source,
        ...parametersOf(spec, where, path, item, op, pointer),
        body: bodyOf(spec, where, op, pointer),
        repeatable:
          method === "get" ||
          method === "put" ||
          method === "delete" ||
          op["x-repeatable"] === true,
        paginated: op["x-paginated"] === true,
        success: successOf(spec, where, op),
      });
    }
  }
  for (const op of operations) {
    const taken = new Map();
    for (const [kind, names] of [
      ["path", op.pathParams.map((p) => p.name)],
      ["query", op.queryParams.map((p) => p.name)],
      ["body", op.body ? op.body.properties.map(([key]) => key) : []],
    ]) {
      for (const n of names) {
        if (taken.has(n)) {
          throw new Error(
            `${op.operationId}: "${n}" is both a ${taken.get(n)} and a ${kind} parameter; the client takes them in one object`,
          );
        }
        taken.set(n, kind);
      }
    }
  }
  return operations;
}

function parametersOf(spec, where, path, item, op, pointer) {
  const all = new Map();
  const add = (list, base) =>
    (list ?? []).forEach((raw, index) => {
      const param = deref(spec, raw);
      const at = raw.$ref ?? `${base}/parameters/${index}`;
      if (param.in !== "path" && param.in !== "query") {
        throw new Error(
          `${where}: parameter ${param.name} is in ${param.in}; only path and query parameters are supported`,
        );
      }
      if (!param.schema || param.content) {
        throw new Error(
          `${where}: parameter ${param.name} needs a schema (content is not supported)`,
        );
      }
      // The transport serialises path and query values as scalars (`{id}` → `42`,
      // `limit=10`): an array or object parameter would need a style it does not implement.
      const schema = deref(spec, param.schema);
      const types = [schema.type ?? []].flat();
      const values = schema.enum ?? (schema.const === undefined ? [] : [schema.const]);
      if (
        !(types.length || values.length) ||
        types.some((type) => !["string", "number", "integer", "boolean"].includes(type)) ||
        values.some((value) => value === null || typeof value === "object")
      ) {
        throw new Error(
          `${where}: parameter ${param.name} must be a string, number, integer or boolean (its schema's type or enum says so); the client serialises path and query values as scalars`,
        );
      }
      all.set(`${param.in} ${param.name}`, {
        name: param.name,
        in: param.in,
        required: param.in === "path" || param.required === true,
        schema: param.schema,
        pointer: `${at}/schema`,
      });
    });
  add(item.parameters, `#/paths/${escapePointer(path)}`);
  add(op.parameters, pointer);
  const params = [...all.values()];
  const pathParams = params.filter((p) => p.in === "path");
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  if (
    templated.sort().join() !==
    pathParams
      .map((p) => p.name)
      .sort()
      .join()
  ) {
    throw new Error(`${where}: the path's {parameters} and the declared path parameters differ`);
  }
  return { pathParams, queryParams: params.filter((p) => p.in === "query") };
}

function bodyOf(spec, where, op, pointer) {
  if (!op.requestBody) {
    return null;
  }
  const requestBody = deref(spec, op.requestBody);
  const bodyPointer = op.requestBody.$ref ?? `${pointer}/requestBody`;
  const types = Object.keys(requestBody.content ?? {});
  if (types.length !== 1 || types[0] !== "application/json") {
    throw new Error(
      `${where}: the request body must be application/json only, got ${types.join(", ")}`,
    );
  }
  const schemaNode = requestBody.content["application/json"].schema;
  const schema = deref(spec, schemaNode);
  const keys = Object.keys(schema).filter(
    (k) => !/^x-|^(title|description|examples|example|\$comment)$/.test(k),
  );
  const extra = keys.filter(
    (k) => !["type", "properties", "required", "additionalProperties"].includes(k),
  );
  if (schema.type !== "object" || !schema.properties || extra.length) {
    throw new Error(
      `${where}: the request body schema must be { type: object, properties, required?, additionalProperties? }` +
        (extra.length ? ` (it also has ${extra.join(", ")})` : ""),
    );
  }
  if (
    schema.additionalProperties !== undefined &&
    typeof schema.additionalProperties !== "boolean"
  ) {
    throw new Error(`${where}: the request body's additionalProperties must be true or false`);
  }
  return {
    required: requestBody.required === true,
    schemaRef: schemaNode.$ref,
    pointer: `${bodyPointer}/content/application~1json/schema`,
    properties: Object.entries(schema.properties),
    requiredProperties: schema.required ?? [],
  };
}

function successOf(spec, where, op) {
  const status = Object.keys(op.responses ?? {})
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];
  if (!status) {
    throw new Error(`${where} documents no 2xx response`);
  }
  const response = deref(spec, op.responses[status]);
  const schema = response.content?.["application/json"]?.schema;
  return { status, schema };
}
