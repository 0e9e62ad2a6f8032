// What the front server does with Prism's answers in the sandbox. Prism (`proxy --errors`)
// answers some requests itself, in its own problem+json shape; the API answers with its error
// envelope, so these become the envelope:
//   - a request that breaks the contract (Prism: 422 with a `validation` list) becomes the
//     API's 400, `invalid_request` first, then one entry per violation whose code is the JSON
//     path of the bad field (`filter[0].field`, `id`, `limit`);
//   - a request without a bearer token (Prism: 401) becomes the spec's 401;
//   - a path or method the spec does not document (Prism: 404, 405) becomes a 404/405 envelope.
// Such requests never reach the core, so the core's check of the key and its rate limit are
// applied to them here first: every request is checked and counted, in the API's order.
// An answer of the core that breaks the contract (Prism: 500 VIOLATIONS, or an undocumented
// status, which Prism only warns about) is the sandbox's own bug: it becomes a loud 500 with
// an explanatory envelope, and a log line.
import type { IncomingHttpHeaders } from "node:http";
import type { Answer, ForwardedRequest, ReviewAnswer } from "../front.js";
import { errorEnvelope } from "../front.js";
import type { Outcome } from "./types.js";

interface Violation {
  location?: (string | number)[];
  severity?: string;
  code?: string | number;
  message?: string;
}

interface Problem {
  type?: string;
  status?: number;
  detail?: string;
  validation?: Violation[];
}

function json(status: number, body: unknown, headers: IncomingHttpHeaders = {}): Answer {
  return {
    status,
    headers: { ...headers, "content-type": "application/json" },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function fromOutcome(outcome: Outcome): Answer {
  return json(outcome.status, outcome.body, outcome.headers);
}

/** The JSON path of the field a violation is about, as the API writes field codes. */
export function fieldCode(violation: Violation): string {
  const [where, ...path] = violation.location ?? [];
  const message = violation.message ?? "";
  // A missing or an extra property is reported on its parent object: name the property itself.
  const named = /required property '([^']+)'|found '([^']+)'/.exec(message);
  const property = named?.[1] ?? named?.[2];
  if (property !== undefined) {
    path.push(property);
  }
  if (path.length === 0) {
    return where === undefined || where === "body" ? "body" : String(where);
  }
  return path
    .map((part, index) =>
      /^[0-9]+$/.test(String(part)) ? `[${part}]` : index === 0 ? String(part) : `.${part}`,
    )
    .join("");
}

/** Prism's words for a field ("Request body property filter.0.field must be …") without the preamble. */
function fieldMessage(violation: Violation): string {
  // The API's own words where it has them (the seed pages' 400 example).
  if (violation.code === "required") {
    return "This value should not be blank.";
  }
  if (violation.code === "additionalProperties") {
    return "This field was not expected.";
  }
  const message = violation.message ?? "This value is not valid.";
  return message.replace(/^Request (body|query parameter|path parameter|header)( property)? ?/, "");
}

function violationsOf(headers: IncomingHttpHeaders): Violation[] {
  const header = headers["sl-violations"];
  if (typeof header !== "string") {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(header);
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [];
  }
}

function describe(violations: Violation[]): string {
  const lines = violations.map(
    (violation) => `${violation.message ?? "?"} (at ${(violation.location ?? []).join(".")})`,
  );
  return [...new Set(lines)].join("; ");
}

export function sandboxReview(options: {
  admit: (headers: IncomingHttpHeaders) => Outcome | undefined;
  report: (line: string) => void;
}): ReviewAnswer {
  const loud = (request: ForwardedRequest, why: string): Answer => {
    const message = `The sandbox's answer to ${request.method} ${request.path} breaks the contract: ${why}`;
    options.report(`[sandbox] contract violation: ${message}`);
    return json(500, { errors: [{ code: "contract_violation", message }] });
  };

  return (request, answer) => {
    const contentType = String(answer.headers["content-type"] ?? "");
    if (contentType.startsWith("application/problem+json")) {
      let problem: Problem = {};
      try {
        problem = JSON.parse(answer.body.toString("utf8")) as Problem;
      } catch {
        // An unreadable problem is reported below as what it is.
      }
      const kind = problem.type?.split("#")[1] ?? "";
      if (kind === "VIOLATIONS") {
        const violations = problem.validation ?? violationsOf(answer.headers);
        return loud(request, describe(violations) || (problem.detail ?? "no details"));
      }
      if (
        [
          "UNPROCESSABLE_ENTITY",
          "UNAUTHORIZED",
          "NO_PATH_MATCHED_ERROR",
          "NO_METHOD_MATCHED_ERROR",
        ].includes(kind)
      ) {
        const refused = options.admit(request.headers);
        if (refused) {
          return fromOutcome(refused);
        }
        switch (kind) {
          case "UNPROCESSABLE_ENTITY":
            return json(400, {
              errors: [
                { code: "invalid_request", message: "Invalid request" },
                ...(problem.validation ?? []).map((violation) => ({
                  code: fieldCode(violation),
                  message: fieldMessage(violation),
                })),
              ],
            });
          case "UNAUTHORIZED":
            return json(401, errorEnvelope("unauthorized", "Unauthorized"));
          case "NO_PATH_MATCHED_ERROR":
            return json(
              404,
              errorEnvelope("not_found", `No such path: ${request.path.split("?")[0]}.`),
            );
          default:
            return json(
              405,
              errorEnvelope("method_not_allowed", problem.detail ?? "Method not allowed."),
            );
        }
      }
      const why = `Prism answered ${problem.status ?? answer.status} ${problem.type ?? ""}: ${problem.detail ?? answer.body.toString("utf8")}`;
      options.report(`[sandbox] ${request.method} ${request.path} failed: ${why}`);
      return json(502, { errors: [{ code: "sandbox_error", message: why }] });
    }
    const responseViolations = violationsOf(answer.headers).filter(
      (violation) => violation.location?.[0] === "response",
    );
    if (responseViolations.length > 0) {
      return loud(request, `status ${answer.status}: ${describe(responseViolations)}`);
    }
    return undefined;
  };
}
