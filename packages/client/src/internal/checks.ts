// The small checks the generated validators (src/generated/operations.ts) are made of. The
// generator emits straight-line code that calls these, so each rule of the spec costs a few
// bytes; nothing here is evaluated from strings (CSP-safe).
import type { ValidationIssue } from "../errors.js";

/** A compiled schema: pushes one issue per problem of `value`, found at JSON path `path`. */
export type Check = (value: unknown, path: string, issues: ValidationIssue[]) => void;

/** A JSON object (not null, not an array). */
export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An integer as JSON Schema (and Ajv) reads it: any number without a fractional part. */
export const isInt = (v: unknown): v is number => Number.isInteger(v);

/** Whether `v` is one of `list` (enum, const). */
export const isIn = (v: unknown, list: readonly unknown[]) => list.includes(v);

/** Checks that `v` is one of `list` (an enum); the issue lists the allowed values. */
export const inList = (
  v: unknown,
  list: readonly unknown[],
  path: string,
  issues: ValidationIssue[],
) => {
  if (!list.includes(v)) {
    const values = list.map((value) => JSON.stringify(value)).join(", ");
    fail(issues, path, `must be ${list.length > 1 ? "one of " : ""}${values}`);
  }
};

/** The length of a string in Unicode code points, as JSON Schema (and Ajv) counts it. */
export const len = (s: string) => [...s].length;

/** The JSON path of `key` under `path`: `a.b`, `a[0]`, or `key` at the top. */
export const at = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** Adds an issue. */
export const fail = (issues: ValidationIssue[], field: string, message: string) => {
  issues.push({ field, message });
};

/** How many of `checks` find nothing wrong with `v` (anyOf, oneOf). */
export const matches = (checks: readonly Check[], v: unknown) =>
  checks.filter((check) => {
    const found: ValidationIssue[] = [];
    check(v, "", found);
    return !found.length;
  }).length;

/** A property's check, and 1 when the property is required. */
export type Field = readonly [check: Check, required?: 1];

/** Accepts anything (a schema without rules). */
export const anything: Check = () => {};

/**
 * Checks the properties of object `v` (at `path`) by `fields`: `is required` for a missing
 * required one, its check for a present one, and with `closed` (`additionalProperties:
 * false`) `is unknown` for any key not in `fields`.
 */
export function props(
  v: Record<string, unknown>,
  path: string,
  issues: ValidationIssue[],
  fields: Readonly<Record<string, Field>>,
  closed?: 1,
) {
  for (const key in fields) {
    const [check, required] = fields[key] as Field;
    const value = v[key];
    if (value !== undefined) {
      check(value, at(path, key), issues);
    } else if (required) {
      fail(issues, at(path, key), "is required");
    }
  }
  if (closed) {
    for (const key in v) {
      if (!Object.hasOwn(fields, key)) {
        fail(issues, at(path, key), "is unknown");
      }
    }
  }
}

/** Checks a method's input (none given: `{}`): an object with exactly `fields`. */
export const checkInput = (
  input: unknown,
  issues: ValidationIssue[],
  fields: Readonly<Record<string, Field>>,
) => {
  const v = input === undefined ? {} : input;
  if (isObj(v)) {
    props(v, "", issues, fields, 1);
  } else {
    fail(issues, "", "must be an object");
  }
};

/** An issue for each key of `v` that is not in `known` (`additionalProperties: false`). */
export function unknownKeys(
  v: Record<string, unknown>,
  known: readonly string[],
  path: string,
  issues: ValidationIssue[],
) {
  for (const key in v) {
    if (!known.includes(key)) {
      fail(issues, at(path, key), "is unknown");
    }
  }
}
