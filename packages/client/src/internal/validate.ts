// Input checks that run before anything is sent. Each collects every problem it finds, so
// one ValidationError names every bad field at once.
import { ValidationError, type ValidationIssue } from "../errors.js";
import type { Fields } from "./operations.js";

/** The tuning of one call: the client's defaults, overridden by the call's own options. */
export interface CallSettings {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
}

/** Adds an issue for `field` unless `ok` holds. */
export const expect = (issues: ValidationIssue[], ok: unknown, field: string, message: string) =>
  ok || issues.push({ field, message });

/** Throws a ValidationError for the issues, if there are any. */
export function throwIssues(what: string, issues: ValidationIssue[]): void {
  if (issues.length) {
    throw new ValidationError(
      `${what}: ${issues.map((i) => `${i.field} ${i.message}`).join("; ")}`,
      {
        issues,
      },
    );
  }
}

/** Checks `timeoutMs` and `maxRetries`, wherever they were given. */
export function checkSettings(
  issues: ValidationIssue[],
  { timeoutMs, maxRetries }: CallSettings,
): void {
  expect(
    issues,
    (timeoutMs as number) > 0 && (timeoutMs as number) < 2 ** 31,
    "timeoutMs",
    "must be a positive number of ms",
  );
  expect(
    issues,
    Number.isSafeInteger(maxRetries) && (maxRetries as number) >= 0,
    "maxRetries",
    "must be an integer ≥ 0",
  );
}

/**
 * Checks a request body against its operation's field rules: every required field present,
 * every value of the right kind, and no field the API does not document.
 */
export function checkBody(fields: Fields, body: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (typeof body !== "object" || !body || Array.isArray(body)) {
    expect(issues, 0, "body", "must be an object");
  } else {
    for (const field in fields) {
      const [check, expected, optional] = fields[field] as Fields[string];
      const value = (body as Record<string, unknown>)[field];
      expect(issues, value === undefined ? optional : check(value), field, `must be ${expected}`);
    }
    for (const field in body) {
      expect(issues, field in fields, field, "is unknown");
    }
  }
  return issues;
}
