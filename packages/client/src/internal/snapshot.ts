// A call's input, copied at once into plain JSON data: what is validated is this copy, and
// what is sent is this copy serialised once. Later changes to the caller's object, getters
// that answer differently the second time, `toJSON` methods and Proxies change nothing.
import type { ValidationIssue } from "../errors.js";

/** Plain JSON data: what a snapshot holds. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deeper than this, input is refused: no request of the API nests more than a few levels. */
const MAX_DEPTH = 32;
/** Longer arrays are refused at once (a sparse array of 2^32-1 holes would take minutes). */
const MAX_ITEMS = 10_000;
/** Past this many issues the copy stops: one bad input, one bounded error. */
const MAX_ISSUES = 20;

/**
 * Copies `value` into plain JSON data, reading each own enumerable property once. Anything
 * that is not plain data (a class instance, a function, a symbol, a BigInt, a non-finite
 * number, a cycle, a Proxy that throws, nesting past 32 levels) adds an issue naming its path
 * and yields undefined. Properties whose value is `undefined` are left out, as JSON does.
 */
export function snapshot(value: unknown, issues: ValidationIssue[], path = ""): Json | undefined {
  return copy(value, path, issues, []);
}

function copy(
  value: unknown,
  path: string,
  issues: ValidationIssue[],
  ancestors: object[],
): Json | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (Number.isFinite(value)) {
        return value;
      }
      return refuse(issues, path, "must be a finite number");
    case "object":
      break;
    default:
      return refuse(issues, path, `must be JSON data, not a ${typeof value}`);
  }
  if (value === null) {
    return null;
  }
  if (ancestors.includes(value)) {
    return refuse(issues, path, "refers to itself (a cycle)");
  }
  if (ancestors.length >= MAX_DEPTH) {
    return refuse(issues, path, `is nested more than ${MAX_DEPTH} levels deep`);
  }
  try {
    ancestors.push(value);
    if (Array.isArray(value)) {
      const out: Json[] = [];
      const length = value.length;
      if (length > MAX_ITEMS) {
        return refuse(issues, path, `has more than ${MAX_ITEMS} items`);
      }
      for (let i = 0; i < length && issues.length < MAX_ISSUES; i++) {
        out.push(copy(value[i], `${path}[${i}]`, issues, ancestors) ?? null);
      }
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return refuse(issues, path, "must be a plain object");
    }
    const out: { [key: string]: Json } = {};
    const keys = Object.keys(value);
    if (keys.length > MAX_ITEMS) {
      return refuse(issues, path, `has more than ${MAX_ITEMS} properties`);
    }
    for (const key of keys) {
      if (issues.length >= MAX_ISSUES) {
        break;
      }
      const raw = (value as Record<string, unknown>)[key];
      const item =
        raw === undefined ? raw : copy(raw, path ? `${path}.${key}` : key, issues, ancestors);
      if (item !== undefined) {
        // defineProperty: a key named "__proto__" stays a key, never a prototype.
        Object.defineProperty(out, key, { value: item, enumerable: true, writable: true });
      }
    }
    return out;
  } catch {
    return refuse(issues, path, "cannot be read (its getter or Proxy threw)");
  } finally {
    ancestors.pop();
  }
}

function refuse(issues: ValidationIssue[], path: string, message: string): undefined {
  issues.push({ field: path || "input", message });
  return undefined;
}
