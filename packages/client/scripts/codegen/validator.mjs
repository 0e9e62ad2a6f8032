// Compiles the request schemas of a spec into straight-line TypeScript checks (no Ajv, no
// eval at runtime). It supports exactly the keywords below and throws on any other one that
// could change a verdict, so the spec can never use a rule the client silently ignores.
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

/** A `$ref` with nothing beside it but annotations: its check is the shared function itself. */
const isBareRef = (schema) =>
  typeof schema === "object" &&
  typeof schema.$ref === "string" &&
  Object.keys(schema).every(
    (key) => key === "$ref" || ANNOTATIONS.has(key) || key.startsWith("x-"),
  );
const typesOf = (schema) =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
const str = (value) => JSON.stringify(value);
const isLiteral = (expr) => expr.startsWith('"');
const prop = (v, key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${v}.${key}` : `${v}[${str(key)}]`);
const list = (items) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

export class ValidatorCompiler {
  constructor(spec) {
    this.spec = spec;
    /** name → function source, for every `#/components/schemas/*` a request schema uses. */
    this.functions = new Map();
    /** pattern → constant name. */
    this.patterns = new Map();
    this.helpers = new Set();
    this.counter = 0;
    /** How deep inside inline anyOf/oneOf branches the compiler is. */
    this.quiet = 0;
  }

  use(helper) {
    this.helpers.add(helper);
    return helper;
  }

  /** The JSON path expression of `key` (a property name, or the index variable) under `path`. */
  child(path, key, isIndex = false) {
    if (!isIndex && isLiteral(path)) {
      const base = JSON.parse(path);
      return str(base ? `${base}.${key}` : key);
    }
    return `${this.use("at")}(${path}, ${isIndex ? key : str(key)})`;
  }

  fresh(prefix) {
    this.counter += 1;
    return `${prefix}${this.counter}`;
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

  /** The name of the check function of a `$ref`'d schema, compiling it on first use. */
  ref(ref) {
    const schemaName = ref.split("/").pop();
    const fn = `check${schemaName.charAt(0).toUpperCase()}${schemaName.slice(1)}`;
    if (!this.functions.has(fn)) {
      this.functions.set(fn, ""); // reserved first: recursive schemas call themselves
      const quiet = this.quiet;
      this.quiet = 0; // shared by every caller: always with its messages
      const body = this.compile(resolveRef(this.spec, ref), "v", "p", ref);
      this.quiet = quiet;
      this.functions.set(
        fn,
        `function ${fn}(v: unknown, p: string, o: ValidationIssue[]): void {\n${body.join("\n")}\n}`,
      );
    }
    return fn;
  }

  /** What a valid value of `schema` is, in a few words ("an integer ≥ 1", "one of ..."). */
  describe(schema, depth = 0) {
    if (schema === true || schema === undefined) {
      return "any value";
    }
    if (schema === false) {
      return "absent";
    }
    if (depth > 4) {
      return "valid";
    }
    if (schema.const !== undefined) {
      return str(schema.const);
    }
    if (schema.enum) {
      return schema.enum.length === 1
        ? str(schema.enum[0])
        : `one of ${schema.enum.map(str).join(", ")}`;
    }
    const types = typesOf(schema);
    if (!types.length) {
      if (schema.$ref) {
        return this.describe(resolveRef(this.spec, schema.$ref), depth + 1);
      }
      const branches = schema.anyOf ?? schema.oneOf;
      if (branches) {
        return list(branches.map((b) => this.describe(b, depth + 1)));
      }
    }
    const described = types.map((type) => {
      const words = [];
      if (type === "integer" || type === "number") {
        if (schema.minimum !== undefined) {
          words.push(`≥ ${schema.minimum}`);
        }
        if (schema.exclusiveMinimum !== undefined) {
          words.push(`> ${schema.exclusiveMinimum}`);
        }
        if (schema.maximum !== undefined) {
          words.push(`≤ ${schema.maximum}`);
        }
        if (schema.exclusiveMaximum !== undefined) {
          words.push(`< ${schema.exclusiveMaximum}`);
        }
        return `${type === "integer" ? "an integer" : "a number"}${words.length ? ` ${words.join(" and ")}` : ""}`;
      }
      if (type === "string") {
        const { minLength: min, maxLength: max } = schema;
        if (min !== undefined && max !== undefined) {
          words.push(`of ${min} to ${max} characters`);
        } else if (min !== undefined) {
          words.push(`of at least ${min} characters`);
        } else if (max !== undefined) {
          words.push(`of at most ${max} characters`);
        }
        if (schema.pattern !== undefined) {
          words.push(`matching /${schema.pattern}/`);
        }
        return `a string${words.length ? ` ${words.join(" ")}` : ""}`;
      }
      if (type === "array") {
        const { minItems: min, maxItems: max } = schema;
        if (min !== undefined && max !== undefined) {
          words.push(`of ${min} to ${max} items`);
        } else if (min !== undefined) {
          words.push(`of at least ${min} items`);
        } else if (max !== undefined) {
          words.push(`of at most ${max} items`);
        }
        return `an array${words.length ? ` ${words.join(" ")}` : ""}`;
      }
      return { boolean: "a boolean", null: "null", object: "an object" }[type];
    });
    if (described.length) {
      return list(described);
    }
    return "valid";
  }

  /**
   * The one boolean expression for everything about `v` itself (type, enum, const, bounds,
   * lengths, pattern, item counts), or undefined when the schema says nothing of it.
   */
  scalar(schema, v) {
    const types = typesOf(schema);
    const parts = [];
    const fits = (value, type) =>
      ({
        string: typeof value === "string",
        number: typeof value === "number",
        integer: Number.isInteger(value),
        boolean: typeof value === "boolean",
        null: value === null,
      })[type];
    const listed = schema.enum ?? (schema.const === undefined ? undefined : [schema.const]);
    // An enum (or const) of values that all have an allowed type says the type already.
    const typedByList = listed?.every((value) => types.some((type) => fits(value, type)));
    if (types.length && !typedByList) {
      const tests = types
        .filter((t) => !(t === "integer" && types.includes("number")))
        .map(
          (t) =>
            ({
              string: `typeof ${v} === "string"`,
              number: `typeof ${v} === "number"`,
              integer: `${this.use("isInt")}(${v})`,
              boolean: `typeof ${v} === "boolean"`,
              null: `${v} === null`,
              object: `${this.use("isObj")}(${v})`,
              array: `Array.isArray(${v})`,
            })[t],
        );
      parts.push(tests.length > 1 ? `(${tests.join(" || ")})` : tests[0]);
    }
    if (schema.enum) {
      parts.push(`${this.use("isIn")}(${v}, [${schema.enum.map(str).join(", ")}])`);
    }
    if (schema.const !== undefined) {
      parts.push(`${v} === ${str(schema.const)}`);
    }
    const only = (...kinds) => types.length > 0 && types.every((t) => kinds.includes(t));
    const gated = (guard, checks, alreadyTyped) =>
      checks.length &&
      parts.push(alreadyTyped ? checks.join(" && ") : `(!(${guard}) || (${checks.join(" && ")}))`);

    const numeric = [];
    if (schema.minimum !== undefined) {
      numeric.push(`${v} >= ${schema.minimum}`);
    }
    if (schema.maximum !== undefined) {
      numeric.push(`${v} <= ${schema.maximum}`);
    }
    if (schema.exclusiveMinimum !== undefined) {
      numeric.push(`${v} > ${schema.exclusiveMinimum}`);
    }
    if (schema.exclusiveMaximum !== undefined) {
      numeric.push(`${v} < ${schema.exclusiveMaximum}`);
    }
    gated(`typeof ${v} === "number"`, numeric, only("integer", "number"));

    const text = [];
    if (schema.minLength !== undefined) {
      text.push(`${this.use("len")}(${v}) >= ${schema.minLength}`);
    }
    if (schema.maxLength !== undefined) {
      text.push(`${this.use("len")}(${v}) <= ${schema.maxLength}`);
    }
    if (schema.pattern !== undefined) {
      const source = String(new RegExp(schema.pattern, "u"));
      if (!this.patterns.has(source)) {
        this.patterns.set(source, `PATTERN_${this.patterns.size + 1}`);
      }
      text.push(`${this.patterns.get(source)}.test(${v})`);
    }
    gated(`typeof ${v} === "string"`, text, only("string"));

    const counts = [];
    if (schema.minItems !== undefined) {
      counts.push(`${v}.length >= ${schema.minItems}`);
    }
    if (schema.maxItems !== undefined) {
      counts.push(`${v}.length <= ${schema.maxItems}`);
    }
    gated(`Array.isArray(${v})`, counts, only("array"));
    return parts.length ? parts.join(" && ") : undefined;
  }

  /**
   * Statements that push an issue for each problem of the value in variable `v` (its JSON
   * path is the expression `p`; issues go to `o`).
   */
  compile(schema, v, p, where) {
    this.vet(schema, where);
    if (schema === true) {
      return [];
    }
    if (schema === false) {
      return [`${this.use("fail")}(o, ${p}, "is not allowed");`];
    }
    const out = [];
    if (schema.$ref) {
      out.push(`${this.ref(schema.$ref)}(${v}, ${p}, o);`);
    }
    const condition = this.scalar(schema, v);
    // Under the scalar check, a value of exactly one type needs no second type test.
    const typed = condition ? typesOf(schema) : [];
    const structural = [
      ...this.objectChecks(schema, v, p, where, typed.length === 1 && typed[0] === "object"),
      ...this.itemChecks(schema, v, p, where, typed.length === 1 && typed[0] === "array"),
    ];
    const enumOnly =
      schema.enum &&
      condition === `${this.use("isIn")}(${v}, [${schema.enum.map(str).join(", ")}])`;
    if (enumOnly && !structural.length) {
      // Its message is built from the list at run time, so the list is not spelled twice.
      out.push(`${this.use("inList")}(${v}, [${schema.enum.map(str).join(", ")}], ${p}, o);`);
    } else if (condition) {
      // Inside an anyOf/oneOf branch the issues are only counted, so their text is dropped.
      const message = this.quiet ? "" : `must be ${this.describe(schema)}`;
      out.push(
        `if (!(${condition})) {\n${this.use("fail")}(o, ${p}, ${str(message)});\n}` +
          (structural.length ? ` else {\n${structural.join("\n")}\n}` : ""),
      );
    } else {
      out.push(...structural);
    }
    for (const keyword of ["anyOf", "oneOf"]) {
      const branches = schema[keyword];
      if (branches === undefined) {
        continue;
      }
      if (!Array.isArray(branches) || !branches.length) {
        throw new Error(`${where}: ${keyword} must be a non-empty list`);
      }
      const fns = branches.map((branch, index) => {
        const at = `${where}/${keyword}/${index}`;
        this.vet(branch, at);
        if (isBareRef(branch)) {
          return this.ref(branch.$ref);
        }
        const x = this.fresh("x");
        this.quiet += 1;
        const checks = this.compile(branch, x, "q", at);
        this.quiet -= 1;
        return `(${x}, q, o) => {\n${checks.join("\n")}\n}`;
      });
      const count = `${this.use("matches")}([${fns.join(", ")}], ${v})`;
      const description = list(branches.map((b) => this.describe(b)));
      out.push(
        keyword === "anyOf"
          ? `if (!${count}) {\n${this.use("fail")}(o, ${p}, ${str(`must be ${description}`)});\n}`
          : `if (${count} !== 1) {\n${this.use("fail")}(o, ${p}, ${str(`must be exactly one of: ${description}`)});\n}`,
      );
    }
    return out;
  }

  /** Checks of `properties`, `required` and `additionalProperties: false`, for an object `v`. */
  objectChecks(schema, v, p, where, isObject = false) {
    const properties = Object.entries(schema.properties ?? {});
    const required = schema.required ?? [];
    if (!properties.length && !required.length && schema.additionalProperties !== false) {
      return [];
    }
    const body = this.members(
      v,
      p,
      properties,
      required,
      schema.additionalProperties === false,
      where,
    );
    return isObject ? body : [`if (${this.use("isObj")}(${v})) {\n${body.join("\n")}\n}`];
  }

  /**
   * For an object already known to be one: each property's checks, `is required` for a
   * missing required one (when `requiredIf` holds, if given), `is unknown` for any other key
   * when `closed`.
   */
  members(v, p, properties, required, closed, where, requiredIf) {
    if (!requiredIf) {
      return [
        `${this.use("props")}(${v}, ${p}, o, ${this.fields(properties, required, where)}${closed ? ", 1" : ""});`,
      ];
    }
    const out = [];
    const names = properties.map(([key]) => key);
    const missing = (key) => `${this.use("fail")}(o, ${this.child(p, key)}, "is required");`;
    for (const key of required) {
      if (!names.includes(key)) {
        out.push(
          `if (${prop(v, key)} === undefined${requiredIf ? ` && ${requiredIf}` : ""}) {\n${missing(key)}\n}`,
        );
      }
    }
    for (const [key, sub] of properties) {
      const x = this.fresh("x");
      const checks = this.compile(sub, x, this.child(p, key), `${where}/properties/${key}`);
      const present = checks.length ? `if (${x} !== undefined) {\n${checks.join("\n")}\n}` : "";
      if (required.includes(key)) {
        const ifMissing = requiredIf ? `if (${requiredIf}) {\n${missing(key)}\n}` : missing(key);
        out.push(`const ${x} = ${prop(v, key)};`);
        out.push(
          `if (${x} === undefined) {\n${ifMissing}\n}${checks.length ? ` else {\n${checks.join("\n")}\n}` : ""}`,
        );
      } else if (present) {
        out.push(`const ${x} = ${prop(v, key)};`, present);
      }
    }
    if (closed) {
      out.push(`${this.use("unknownKeys")}(${v}, [${names.map(str).join(", ")}], ${p}, o);`);
    }
    return out;
  }

  /**
   * The table `props()` walks: each property's check (a shared function, or an inline one)
   * and a 1 when it is required.
   */
  fields(properties, required, where) {
    const entries = properties.map(([key, sub]) => [
      key,
      this.check(sub, `${where}/properties/${key}`),
    ]);
    for (const key of required) {
      if (!properties.some(([name]) => name === key)) {
        entries.push([key, this.use("anything")]);
      }
    }
    const rows = entries.map(([key, check]) => {
      if (key === "__proto__") {
        throw new Error(`${where}: a property named __proto__ is not supported`);
      }
      const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : str(key);
      return `${name}: [${check}${required.includes(key) ? ", 1" : ""}]`;
    });
    return `{\n${rows.join(",\n")}\n}`;
  }

  /** A Check for `schema`: its shared function when it is a bare $ref, else an inline arrow. */
  check(schema, where) {
    this.vet(schema, where);
    if (isBareRef(schema)) {
      return this.ref(schema.$ref);
    }
    const x = this.fresh("x");
    const checks = this.compile(schema, x, "q", where);
    return checks.length ? `(${x}, q, o) => {\n${checks.join("\n")}\n}` : this.use("anything");
  }

  /** Checks of `items`, for an array `v`. */
  itemChecks(schema, v, p, where, isArray = false) {
    if (schema.items === undefined || schema.items === true) {
      return [];
    }
    const x = this.fresh("x");
    const i = this.fresh("i");
    const checks = this.compile(schema.items, x, this.child(p, i, true), `${where}/items`);
    if (!checks.length) {
      return [];
    }
    const loop = `${v}.forEach((${x}: unknown, ${i}: number) => {\n${checks.join("\n")}\n});`;
    return [isArray ? loop : `if (Array.isArray(${v})) {\n${loop}\n}`];
  }

  /**
   * The validator of one operation's merged input: its path and query parameters and its
   * body's properties, by name, in one object; any other key is unknown.
   */
  operation(op) {
    const properties = [];
    const required = [];
    for (const param of [...op.pathParams, ...op.queryParams]) {
      properties.push([param.name, param.schema]);
      if (param.required) {
        required.push(param.name);
      }
    }
    let requiredIf;
    if (op.body) {
      properties.push(...op.body.properties);
      required.push(...op.body.requiredProperties);
      if (!op.body.required && op.body.requiredProperties.length) {
        // An optional body: its required properties are required only once it is sent.
        requiredIf = `[${op.body.properties.map(([key]) => str(key)).join(", ")}].some((k) => v[k] !== undefined)`;
      }
    }
    const bodyRequired = new Set(op.body?.requiredProperties ?? []);
    const body = [];
    if (requiredIf) {
      // Split the members so the condition applies to the body's required ones only.
      const paramKeys = new Set([...op.pathParams, ...op.queryParams].map((q) => q.name));
      body.push(
        ...this.members(
          "v",
          '""',
          properties.filter(([key]) => paramKeys.has(key)),
          required.filter((key) => paramKeys.has(key)),
          false,
          op.pointer,
        ),
        ...this.members(
          "v",
          '""',
          properties.filter(([key]) => !paramKeys.has(key)),
          required.filter((key) => bodyRequired.has(key)),
          false,
          op.pointer,
          requiredIf,
        ),
        `${this.use("unknownKeys")}(v, [${properties.map(([key]) => str(key)).join(", ")}], "", o);`,
      );
    } else {
      return `(input, o) => ${this.use("checkInput")}(input, o, ${this.fields(properties, required, op.pointer)})`;
    }
    return [
      `(input, o) => {`,
      `const v = input === undefined ? {} : input;`,
      `if (!${this.use("isObj")}(v)) {\n${this.use("fail")}(o, "", "must be an object");\nreturn;\n}`,
      ...body,
      `}`,
    ].join("\n");
  }

  /** Top-level declarations: the patterns and the shared check functions. */
  declarations() {
    return [
      ...[...this.patterns].map(([source, name]) => `const ${name} = ${source};`),
      ...this.functions.values(),
    ];
  }
}
