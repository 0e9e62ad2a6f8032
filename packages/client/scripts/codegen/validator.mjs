// Compiles the request schemas of a spec into calls of the combinators of the client's
// src/internal/checks.ts (no Ajv and no eval at run time): `int(1, 100)`, `en(["asc",
// "desc"])`, `obj({ id: schemaId, ... }, 3, 1)`, `anyOf([...])`. Annotations are dropped, a
// `$ref`'d schema used more than once is one shared constant (one used once is written in
// place), patterns are RegExp literals; the messages are built by the combinators from their
// arguments. It supports exactly the keywords below and throws on any other one that could
// change a verdict, so the spec can never use a rule the client silently ignores.
import { resolveRef } from "./spec.mjs";

const SUPPORTED = new Set([
  "$ref",
  "type",
  "enum",
  "const",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "pattern",
  "anyOf",
  "oneOf",
]);
/** Keywords that never change a verdict. */
const ANNOTATIONS = new Set([
  "title",
  "description",
  "examples",
  "example",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
  "$comment",
  "externalDocs",
  // An annotation in JSON Schema 2020-12 unless a validator opts in to asserting it; Ajv does
  // not without ajv-formats, so `format: int64` on ids changes no verdict here either.
  "format",
]);
const TYPES = ["string", "number", "integer", "boolean", "null", "object", "array"];
const NUMERIC = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];

/** A `$ref` with nothing beside it but annotations: it is the shared schema itself. */
const isBareRef = (schema) =>
  typeof schema === "object" &&
  typeof schema.$ref === "string" &&
  Object.keys(schema).every(
    (key) => key === "$ref" || ANNOTATIONS.has(key) || key.startsWith("x-"),
  );
const typesOf = (schema) =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
const str = (value) => JSON.stringify(value);
/** A property name as an object literal key. */
const keyOf = (key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : str(key));
/** Keywords that apply to one kind of value (numbers, strings, arrays or objects) only. */
const TYPED = new Set([
  ...NUMERIC,
  "minLength",
  "maxLength",
  "pattern",
  "items",
  "minItems",
  "maxItems",
  "properties",
  "required",
  "additionalProperties",
]);
/** The keywords that apply to the values of each kind. */
const KINDS = {
  number: NUMERIC,
  string: ["minLength", "maxLength", "pattern"],
  array: ["items", "minItems", "maxItems"],
  object: ["properties", "required", "additionalProperties"],
};
/** Whether an enum or const value (a primitive) has a type, as JSON Schema reads it. */
const FITS = {
  string: (value) => typeof value === "string",
  number: (value) => typeof value === "number",
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === "boolean",
  null: (value) => value === null,
  object: () => false,
  array: () => false,
};
/**
 * Where a shared schema is used, until the uses are counted: a marker no other source has
 * (strings are JSON-escaped, patterns have their NUL escaped).
 */
const mark = (name) => `\u0000${name}\u0000`;
const MARKS = new RegExp(`${mark("(\\w+)")}`, "g");
/**
 * The required ones of `keys` as checks.ts's `obj` takes them, a number with bit i for the
 * i-th key, and their names in a comment.
 */
const requiredBits = (keys, required) => {
  // In the order the object's keys have at run time: index keys ("0", "1") first.
  const ordered = Object.keys(Object.fromEntries(keys.map((key) => [key, 0])));
  const bits = ordered.reduce((sum, key, i) => (required.includes(key) ? sum + 2 ** i : sum), 0);
  if (bits > Number.MAX_SAFE_INTEGER) {
    throw new Error(`an object of more than 53 properties is not supported (${keys.join(", ")})`);
  }
  const names = ordered.filter((key) => required.includes(key)).map(keyOf);
  return bits ? `${bits} /* ${names.join(", ").replace(/\*\//g, "*\\/")} */` : "0";
};

export class SchemaCompiler {
  constructor(spec) {
    this.spec = spec;
    /** ref → constant name, for every `#/components/schemas/*` a request schema uses. */
    this.names = new Map();
    /** The refs being compiled: a ref back to one of them is read lazily (a cycle). */
    this.open = new Set();
    /** name → its source, in an order where each comes after those it uses. */
    this.shared = new Map();
    /** name → how many times it is used; a recursive one is always shared. */
    this.uses = new Map();
    /** Other top-level declarations. */
    this.tables = [];
    /** What the code imports from checks.ts. */
    this.helpers = new Set();
  }

  /** A call of combinator `name` of checks.ts; trailing undefined arguments left out. */
  call(name, ...args) {
    this.helpers.add(name);
    while (args.length && args.at(-1) === undefined) {
      args.pop();
    }
    return `${name}(${args.map((arg) => (arg === undefined ? "undefined" : arg)).join(", ")})`;
  }

  /** Throws unless every keyword of `schema` is one the compiler honours. */
  vet(schema, where) {
    if (typeof schema === "boolean") {
      return;
    }
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw new Error(`${where}: a schema must be an object or a boolean`);
    }
    for (const key of Object.keys(schema)) {
      if (!SUPPORTED.has(key) && !ANNOTATIONS.has(key) && !key.startsWith("x-")) {
        throw new Error(
          `${where}: the client cannot check the keyword "${key}"; use only ${[...SUPPORTED].join(", ")} in request schemas`,
        );
      }
    }
    for (const type of typesOf(schema)) {
      if (!TYPES.includes(type)) {
        throw new Error(`${where}: unknown type ${str(type)}`);
      }
    }
    for (const key of ["enum", "const"]) {
      const values =
        key === "enum" ? (schema.enum ?? []) : schema.const === undefined ? [] : [schema.const];
      if (!Array.isArray(values)) {
        throw new Error(`${where}: enum must be a list`);
      }
      if (values.some((value) => typeof value === "object" && value !== null)) {
        throw new Error(`${where}: ${key} values must be strings, numbers, booleans or null`);
      }
    }
    for (const key of [...NUMERIC, "minLength", "maxLength", "minItems", "maxItems"]) {
      if (schema[key] !== undefined && typeof schema[key] !== "number") {
        throw new Error(`${where}: ${key} must be a number`);
      }
    }
    if (
      schema.additionalProperties !== undefined &&
      typeof schema.additionalProperties !== "boolean"
    ) {
      throw new Error(
        `${where}: additionalProperties must be true or false (a schema is not supported)`,
      );
    }
    if (
      schema.required !== undefined &&
      !(Array.isArray(schema.required) && schema.required.every((key) => typeof key === "string"))
    ) {
      throw new Error(`${where}: required must be a list of names`);
    }
    if (
      schema.properties !== undefined &&
      (typeof schema.properties !== "object" ||
        schema.properties === null ||
        Array.isArray(schema.properties))
    ) {
      throw new Error(`${where}: properties must be an object`);
    }
    if (schema.items !== undefined && (Array.isArray(schema.items) || schema.items === null)) {
      throw new Error(`${where}: items must be one schema`);
    }
    if (schema.pattern !== undefined) {
      try {
        new RegExp(schema.pattern, "u");
      } catch (error) {
        throw new Error(
          `${where}: pattern ${str(schema.pattern)} is not a valid Unicode RegExp: ${error.message}`,
        );
      }
    }
    if (
      schema.$ref !== undefined &&
      !/^#\/components\/schemas\/[A-Za-z_][\w]*$/.test(schema.$ref)
    ) {
      throw new Error(
        `${where}: $ref must point at #/components/schemas/<Name>, got ${schema.$ref}`,
      );
    }
  }

  /** The check of a `$ref`'d schema, compiled on first use; `lazy` when it refers back. */
  ref(ref) {
    const name = `schema${ref.split("/").pop()}`;
    if (this.open.has(ref)) {
      this.uses.set(name, Number.POSITIVE_INFINITY);
      return this.call("lazy", `() => ${name}`);
    }
    if (!this.names.has(ref)) {
      this.names.set(ref, name);
      this.open.add(ref);
      const source = this.schema(resolveRef(this.spec, ref), ref);
      this.open.delete(ref);
      this.shared.set(name, source);
    }
    this.uses.set(name, (this.uses.get(name) ?? 0) + 1);
    return mark(name);
  }

  /** The check of one type (`integer`, `string`, ...) with the keywords of `schema` for it. */
  typed(type, schema, where) {
    switch (type) {
      case "integer": {
        // An integer's exclusive bounds as inclusive ones: > 0 is ≥ 1, < 10.5 is ≤ 10.
        const bound = (inclusive, exclusive, toward) => {
          if (exclusive === undefined) {
            return inclusive;
          }
          const limit = toward > 0 ? Math.floor(exclusive) + 1 : Math.ceil(exclusive) - 1;
          if (!Number.isSafeInteger(limit)) {
            throw new Error(`${where}: an exclusive bound of an integer must be within ±2^53`);
          }
          return inclusive === undefined
            ? limit
            : (toward > 0 ? Math.max : Math.min)(inclusive, limit);
        };
        return this.call(
          "int",
          bound(schema.minimum, schema.exclusiveMinimum, 1),
          bound(schema.maximum, schema.exclusiveMaximum, -1),
        );
      }
      case "number":
        return this.call(
          "num",
          schema.minimum,
          schema.maximum,
          schema.exclusiveMinimum,
          schema.exclusiveMaximum,
        );
      case "string":
        return this.call(
          "str",
          schema.minLength,
          schema.maxLength,
          schema.pattern === undefined
            ? undefined
            : String(new RegExp(schema.pattern, "u")).replace(/\0/g, "\\x00"),
        );
      case "boolean":
        return this.call("bool");
      case "null":
        return this.call("en", "[null]");
      case "array":
        return this.call(
          "arr",
          schema.items === undefined || schema.items === true
            ? undefined
            : this.schema(schema.items, `${where}/items`),
          schema.minItems,
          schema.maxItems,
        );
      default: {
        const closed = schema.additionalProperties === false;
        const required = schema.required ?? [];
        const rows = this.rows(Object.entries(schema.properties ?? {}), where, required, closed);
        return this.call(
          "obj",
          rows.length ? this.table(rows) : undefined,
          required.length
            ? requiredBits(
                rows.map(([key]) => key),
                required,
              )
            : undefined,
          closed ? 1 : undefined,
        );
      }
    }
  }

  /** The source of the check of `schema`. */
  schema(schema, where) {
    this.vet(schema, where);
    if (schema === true) {
      return this.call("any");
    }
    if (schema === false) {
      return this.call("none");
    }
    if (isBareRef(schema)) {
      return this.ref(schema.$ref);
    }
    const parts = [];
    if (schema.$ref) {
      parts.push(this.ref(schema.$ref));
    }
    // A number may be an integer: with both, `number` says it all.
    const listed = typesOf(schema);
    const types = listed.filter(
      (type, i) => listed.indexOf(type) === i && !(type === "integer" && listed.includes("number")),
    );
    const keywords = Object.keys(schema).filter((key) => TYPED.has(key));
    let typeCheck;
    if (types.length) {
      const checks = types.map((type) => this.typed(type, schema, where));
      typeCheck = checks.length > 1 ? this.call("types", ...checks) : checks[0];
    } else if (keywords.length) {
      // Bounds, lengths, object or array keywords without a type: each applies to the values
      // of its kind only.
      const kinds = Object.entries(KINDS)
        .filter(([, owned]) => keywords.some((key) => owned.includes(key)))
        .map(([kind]) => [kind, this.typed(kind, schema, where)]);
      typeCheck = this.call("kinds", this.table(kinds));
    }
    let values = schema.enum;
    if (schema.const !== undefined) {
      values = (values ?? [schema.const]).filter((value) => value === schema.const);
    }
    let base = typeCheck;
    if (values && !values.length) {
      base = this.call("none"); // no value is in the enum (or equals the const)
    } else if (values) {
      // Enum (or const) values that all have an allowed type, and no bound or other rule of
      // their type, say everything already.
      const said =
        !keywords.length && values.every((value) => types.some((type) => FITS[type](value)));
      base = this.call("en", `[${values.map(str).join(", ")}]`, said ? undefined : typeCheck);
    }
    // The message of several checks names what the type (or enum) says, else what the $ref does.
    const described = base ? parts.length : 0;
    if (base) {
      parts.push(base);
    }
    for (const keyword of ["anyOf", "oneOf"]) {
      const branches = schema[keyword];
      if (branches === undefined) {
        continue;
      }
      if (!Array.isArray(branches) || !branches.length) {
        throw new Error(`${where}: ${keyword} must be a non-empty list`);
      }
      const checks = branches.map((branch, index) =>
        this.schema(branch, `${where}/${keyword}/${index}`),
      );
      parts.push(this.call(keyword, `[${checks.join(", ")}]`));
    }
    if (parts.length < 2) {
      return parts[0] ?? this.call("any");
    }
    return this.call("all", `[${parts.join(", ")}]`, described || undefined);
  }

  /**
   * The `[key, check source]` rows of an object's properties; a required key that is not a
   * property gets a row of its own, accepting any value (or, in a closed object, none).
   */
  rows(entries, where, required, closed) {
    const rows = entries.map(([key, sub]) => [key, this.schema(sub, `${where}/properties/${key}`)]);
    for (const key of required) {
      if (!rows.some(([name]) => name === key)) {
        rows.push([key, this.call(closed ? "none" : "any")]);
      }
    }
    for (const [key] of rows) {
      if (key === "__proto__") {
        throw new Error(`${where}: a property named __proto__ is not supported`);
      }
    }
    return rows;
  }

  /** An object literal of `rows`. */
  table(rows) {
    return `{\n${rows.map(([key, source]) => `${keyOf(key)}: ${source}`).join(",\n")}\n}`;
  }

  /**
   * The descriptor of one operation: `op(route, flags, fields, required, path count, query
   * count)` (checks.ts), its input being its path and query parameters and its body's
   * properties, by name, in one object that has no other key.
   */
  operation(op) {
    const params = [...op.pathParams, ...op.queryParams];
    const entries = params.map((param) => [param.name, param.schema]);
    const required = params.filter((param) => param.required).map((param) => param.name);
    const paramsRequired = [...required];
    if (op.body) {
      entries.push(...op.body.properties);
      required.push(...op.body.requiredProperties);
    }
    const rows = this.rows(entries, op.pointer, required, true);
    for (const [key] of rows) {
      // The input's keys must keep their order (parameters first); an index key would not.
      if (/^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1) {
        throw new Error(
          `${op.operationId}: a parameter or body property named ${key} is not supported`,
        );
      }
    }
    const flags = [
      [1, "repeatable", op.repeatable],
      [2, "paginated", op.paginated],
      [4, "body", op.body],
    ].filter(([, , on]) => on);
    const keys = rows.map(([key]) => key);
    const args = [
      str(`${op.method} ${op.path}`),
      `${flags.reduce((sum, [bit]) => sum + bit, 0)}${flags.length ? ` /* ${flags.map(([, name]) => name).join(", ")} */` : ""}`,
      this.table(rows),
      requiredBits(keys, required),
      op.pathParams.length,
      op.queryParams.length,
    ];
    while (args.length > 3 && (args.at(-1) === 0 || args.at(-1) === "0")) {
      args.pop();
    }
    this.helpers.add("op");
    if (op.body && !op.body.required && op.body.requiredProperties.length) {
      // An optional body: its required properties are required only once it is sent. The
      // table is declared once, for both checks.
      const name = `fields${op.operationId.charAt(0).toUpperCase()}${op.operationId.slice(1)}`;
      this.tables.push(`const ${name}: Record<string, Check> = ${args[2]};`);
      this.helpers.add("type Check");
      args[2] = name;
      const unsent = this.call("obj", name, requiredBits(keys, paramsRequired), 1);
      return `${this.call("optionalBody", `op(${args.join(", ")})`, unsent)}`;
    }
    return `op(${args.join(", ")})`;
  }

  /**
   * The top-level declarations (the shared schemas and tables) and `sources` with every use
   * of a shared schema resolved: its constant, or in place its source when it is used once.
   */
  finish(sources) {
    const resolved = new Map();
    const resolve = (source) =>
      source.replace(MARKS, (_, name) =>
        this.uses.get(name) > 1 ? name : (resolved.get(name) ?? ""),
      );
    const declarations = [];
    for (const [name, source] of this.shared) {
      resolved.set(name, resolve(source));
      if (this.uses.get(name) > 1) {
        declarations.push(`const ${name}: Check = ${resolved.get(name)};`);
        this.helpers.add("type Check");
      }
    }
    return {
      declarations: [...declarations, ...this.tables.map(resolve)],
      sources: sources.map(resolve),
    };
  }
}
