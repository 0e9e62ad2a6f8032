// The building blocks of the generated validators (src/generated/operations.ts). The
// generator vets each request schema of the spec (only the keywords it can compile; any other
// one fails the build) and emits it as calls of these combinators: `int(1, 100)`,
// `en(["asc", "desc"])`, `obj({ id: schemaId, read: bool() }, 3, 1)`, `anyOf([...])`, and
// `op(...)` for each operation. Each combinator builds its check, and the message of its
// issue from its own arguments (what a valid value is, `d`), once, when the module loads; a
// call only runs the checks. Nothing is evaluated from strings (CSP-safe), and a combinator
// the spec does not use is left out of the bundle.
import type { ValidationIssue } from "../errors.js";
import type { OperationDescriptor } from "../generated/operations.js";

/**
 * A compiled schema: pushes one issue per problem of `value`, found at JSON path `path`. `d`
 * says what a valid value is ("an integer ≥ 1"), for the messages of the schemas around it.
 */
export type Check = ((value: unknown, path: string, issues: ValidationIssue[]) => void) & {
  d: string;
};

/** The check of a type, or of an enum: `t` tests the value itself, not what is inside it. */
export type Rule = Check & { t: (value: unknown) => boolean };

/** What is inside a value: an object's properties, an array's items. */
type Inside = (value: never, path: string, issues: ValidationIssue[]) => void;

/** `a`, `a or b`, `a, b or c`. */
const list = (items: string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;

/** ` ≥ 1 and ≤ 100`: the bounds that are given. */
const bounds = (...pairs: [string, number | undefined][]) =>
  pairs
    .filter((pair) => pair[1] != null)
    .map((pair) => ` ${pair.join(" ")}`)
    .join(" and");

/** ` of length ≥ 1 and ≤ 3`, or nothing. */
const range = (lo?: number, hi?: number) =>
  (lo ?? hi) == null ? "" : ` of length${bounds(["≥", lo], ["≤", hi])}`;

/** Whether `n` is outside `lo`..`hi` (a missing bound compares false). */
const outside = (n: number, lo?: number, hi?: number) => n < (lo as number) || n > (hi as number);

/**
 * A check: `must be <d>` unless `test` holds, and then `inside`, the checks of what is inside
 * the value.
 */
const rule = (d: string, test: (value: unknown) => boolean, inside?: Inside): Rule => {
  const message = `must be ${d}`;
  return Object.assign(
    (value: unknown, path: string, issues: ValidationIssue[]) => {
      if (!test(value)) {
        issues.push({ field: path, message });
      } else if (inside) {
        inside(value as never, path, issues);
      }
    },
    { d, t: test },
  );
};

/** Whether `check` finds nothing wrong with `value` (a branch of anyOf or oneOf). */
const passes = (check: Check, value: unknown) => {
  const found: ValidationIssue[] = [];
  check(value, "", found);
  return !found.length;
};

/**
 * `type: integer` (a number without a fraction, as JSON Schema and Ajv read it), with
 * `minimum` and `maximum` (the generator makes exclusive bounds of integers inclusive).
 */
export const int = (ge?: number, le?: number): Rule =>
  rule(
    `an integer${bounds(["≥", ge], ["≤", le])}`,
    (v) => Number.isInteger(v) && !outside(v as number, ge, le),
  );

/** `type: number`, with `minimum`, `maximum`, `exclusiveMinimum` and `exclusiveMaximum`. */
export const num = (ge?: number, le?: number, gt?: number, lt?: number): Rule =>
  rule(
    `a number${bounds(["≥", ge], [">", gt], ["≤", le], ["<", lt])}`,
    (v) =>
      typeof v === "number" && !(outside(v, ge, le) || v <= (gt as number) || v >= (lt as number)),
  );

/** `type: string`, with `minLength` and `maxLength` (in code points, as Ajv counts) and `pattern`. */
export const str = (min?: number, max?: number, pattern?: RegExp): Rule =>
  rule(
    `a string${range(min, max)}${pattern ? ` matching /${pattern.source}/` : ""}`,
    (v) =>
      typeof v === "string" &&
      ((min ?? max) == null || !outside([...v].length, min, max)) &&
      (!pattern || pattern.test(v)),
  );

/** `type: boolean`. */
export const bool = (): Rule => rule("a boolean", (v) => typeof v === "boolean");

/** `type: array`, with `items`, `minItems` and `maxItems`. */
export const arr = (items?: Check, min?: number, max?: number): Rule =>
  rule(
    `an array${range(min, max)}`,
    (v) => Array.isArray(v) && !outside(v.length, min, max),
    items &&
      ((v: unknown[], path, issues) => {
        v.forEach((item, index) => {
          items(item, `${path}[${index}]`, issues);
        });
      }),
  );

/**
 * `type: object`, with `properties` (`fields`; a required key that is not a property has a
 * field too), `required` (`mask`: bit i for the i-th field), and `additionalProperties:
 * false` (`closed`): `is required` for a missing required key, `is unknown` for any other.
 */
export const obj = (fields: Readonly<Record<string, Check>> = {}, mask = 0, closed?: 1): Rule => {
  const required = Object.keys(fields).filter((_, i) => (mask / 2 ** i) & 1);
  return rule(
    "an object",
    (v) => typeof v === "object" && v !== null && !Array.isArray(v),
    (v: Record<string, unknown>, path, issues) => {
      for (const key in fields) {
        if (v[key] !== undefined) {
          (fields[key] as Check)(v[key], path ? `${path}.${key}` : key, issues);
        } else if (required.includes(key)) {
          issues.push({ field: path ? `${path}.${key}` : key, message: "is required" });
        }
      }
      if (closed) {
        for (const key in v) {
          if (!Object.hasOwn(fields, key)) {
            issues.push({ field: path ? `${path}.${key}` : key, message: "is unknown" });
          }
        }
      }
    },
  );
};

/** A list of types (`type: [string, null]`): the first type `value` has checks it. */
export const types = (...checks: Rule[]): Rule => {
  const test = (v: unknown) => checks.find((check) => check.t(v));
  const d = list(checks.map((check) => check.d));
  return rule(
    d,
    (v) => !!test(v),
    (v, path, issues) => test(v)?.(v, path, issues),
  );
};

/** `enum` (and `const`, an enum of one), and `type` when the values do not say it all. */
export const en = (values: readonly unknown[], type?: Check): Rule =>
  rule(
    (values.length > 1 ? "one of " : "") + values.map((value) => JSON.stringify(value)).join(", "),
    (v) => values.includes(v) && (!type || passes(type, v)),
  );

/**
 * Keywords without a type (`minimum`, `properties`, ...): each kind's check (`number`,
 * `string`, `array`, `object`) applies to the values of that kind only.
 */
export const kinds = (checks: Readonly<Record<string, Check>>): Check =>
  Object.assign(
    (value: unknown, path: string, issues: ValidationIssue[]) => {
      checks[value === null ? "null" : Array.isArray(value) ? "array" : typeof value]?.(
        value,
        path,
        issues,
      );
    },
    { d: list(Object.values(checks).map((check) => check.d)) },
  );

/** `anyOf`. */
export const anyOf = (branches: readonly Check[]): Check =>
  rule(list(branches.map((branch) => branch.d)), (v) =>
    branches.some((branch) => passes(branch, v)),
  );

/** `oneOf`. */
export const oneOf = (branches: readonly Check[]): Check => {
  const d = list(branches.map((branch) => branch.d));
  const message = `must be exactly one of: ${d}`;
  return Object.assign(
    (value: unknown, path: string, issues: ValidationIssue[]) => {
      if (branches.filter((branch) => passes(branch, value)).length !== 1) {
        issues.push({ field: path, message });
      }
    },
    { d },
  );
};

/**
 * Several checks of one value (a `$ref` beside other keywords, `anyOf` beside `type`), in
 * order; `d` is the `describe`th's.
 */
export const all = (checks: readonly Check[], describe = 0): Check =>
  Object.assign(
    (value: unknown, path: string, issues: ValidationIssue[]) => {
      for (const check of checks) {
        check(value, path, issues);
      }
    },
    { d: (checks[describe] as Check).d },
  );

/** A schema without rules (`true`, `{}`). */
export const any = (): Check => rule("any value", () => true);

/** The `false` schema: nothing is valid. */
export const none = (): Check =>
  Object.assign(
    (_: unknown, path: string, issues: ValidationIssue[]) => {
      issues.push({ field: path, message: "is not allowed" });
    },
    { d: "absent" },
  );

/** A `$ref` back to a schema still being built (a recursive schema): read when it runs. */
export const lazy = (get: () => Check): Check =>
  Object.assign(
    (value: unknown, path: string, issues: ValidationIssue[]) => get()(value, path, issues),
    { d: "valid" },
  );

/**
 * An operation's descriptor. `route` is `METHOD /path`; `flags` add up 1 (repeatable), 2
 * (paginated) and 4 (the operation has a JSON body). `fields` are its input's properties:
 * path parameters first (`pathCount` of them), then query parameters (`queryCount`), then
 * the body's; `required` has bit i set for the i-th when it is required. The input must be
 * an object with those keys only; left out, it is `{}`.
 */
export function op(
  route: string,
  flags: number,
  fields: Readonly<Record<string, Check>>,
  required?: number,
  pathCount = 0,
  queryCount = 0,
): OperationDescriptor {
  const [method, path] = route.split(" ") as [OperationDescriptor["method"], string];
  const keys = Object.keys(fields);
  const params = pathCount + queryCount;
  const check = obj(fields, required, 1);
  return {
    method,
    path,
    pathParams: keys.slice(0, pathCount),
    queryParams: keys.slice(pathCount, params),
    bodyParams: flags & 4 ? keys.slice(params) : null,
    repeatable: !!(flags & 1),
    paginated: !!(flags & 2),
    validate: (input, issues) => check(input === undefined ? {} : input, "", issues),
  };
}

/**
 * `descriptor` with an optional body: while no body property is given, only the parameters'
 * required ones (`unsent`, the input's check then) are required.
 */
export const optionalBody = (
  descriptor: OperationDescriptor,
  unsent: Check,
): OperationDescriptor => ({
  ...descriptor,
  validate: (input, issues) =>
    descriptor.bodyParams?.some(
      (key) => (input as Record<string, unknown> | null)?.[key] !== undefined,
    )
      ? descriptor.validate(input, issues)
      : unsent(input === undefined ? {} : input, "", issues),
});
