// Input checks that run before anything is sent. Each collects every problem it finds, so
// one ValidationError names every bad field at once.
import type { ValidationIssue } from "../errors.js";
import type { Fields } from "./operations.js";

/**
 * Checks a request body against its operation's field rules: every required field present,
 * every value of the right kind, and no field the API does not document.
 */
export function checkBody(
  fields: Fields,
  body: Record<string, unknown>,
  issues: ValidationIssue[],
): void {
  for (const field in fields) {
    const [check, expected, optional] = fields[field] as Fields[string];
    const value = body[field];
    if (!(value === undefined ? optional : check(value))) {
      issues.push({ field, message: `must be ${expected}` });
    }
  }
  for (const field of Object.keys(body)) {
    if (!Object.hasOwn(fields, field)) {
      issues.push({ field, message: "is unknown" });
    }
  }
}
