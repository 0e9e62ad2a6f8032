// How the sandbox's front server reads Prism's answers, for the cases a real run rarely meets.
import { describe, expect, it } from "vitest";
import type { Answer } from "../src/internal/front.js";
import { fieldCode, sandboxReview } from "../src/internal/sandbox/review.js";

const request = { method: "PUT", path: "/chats/status", headers: { authorization: "Bearer k" } };

function answer(status: number, headers: Record<string, string>, body: unknown): Answer {
  return { status, headers, body: Buffer.from(JSON.stringify(body)) };
}

describe("the sandbox's review of Prism's answers", () => {
  it("names the field of each violation by its JSON path", () => {
    expect(fieldCode({ location: ["body", "filter", "0", "field"], code: "enum" })).toBe(
      "filter[0].field",
    );
    expect(
      fieldCode({
        location: ["body", "filter", "12"],
        message: "must have required property 'operator'",
      }),
    ).toBe("filter[12].operator");
    expect(
      fieldCode({
        location: ["body"],
        message: "must NOT have additional properties; found 'extra'",
      }),
    ).toBe("extra");
    expect(fieldCode({ location: ["query", "limit"] })).toBe("limit");
    expect(fieldCode({ location: ["path", "id"] })).toBe("id");
    expect(fieldCode({ message: "Body parameter is required" })).toBe("body");
  });

  it("turns an undocumented status, which Prism only warns about, into a loud 500", () => {
    const reported: string[] = [];
    const review = sandboxReview({ admit: () => undefined, report: (line) => reported.push(line) });
    const violations = [
      {
        location: ["response"],
        severity: "Warning",
        message:
          "Unable to match the returned status code with those defined in the document: 200,400,401,404,429",
      },
    ];
    const sent = review(
      request,
      answer(
        418,
        { "content-type": "application/json", "sl-violations": JSON.stringify(violations) },
        { id: 1 },
      ),
    );
    expect(sent?.status).toBe(500);
    const body = JSON.parse(sent?.body.toString("utf8") ?? "{}");
    expect(body.errors[0].code).toBe("contract_violation");
    expect(body.errors[0].message).toContain("status 418");
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain("[sandbox] contract violation");
  });

  it("passes a conforming answer on untouched", () => {
    const review = sandboxReview({ admit: () => undefined, report: () => {} });
    expect(
      review(request, answer(200, { "content-type": "application/json" }, { id: 1 })),
    ).toBeUndefined();
  });

  it("answers a refused request with the key check's answer first, then the 400", () => {
    const problem = {
      type: "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY",
      status: 422,
      validation: [
        {
          location: ["body", "status"],
          severity: "Error",
          code: "enum",
          message: "Request body property status must be equal to one of the allowed values",
        },
      ],
    };
    const refused = answer(422, { "content-type": "application/problem+json" }, problem);
    const limited = sandboxReview({
      admit: () => ({ status: 429, body: { errors: [] }, headers: { "retry-after": "7" } }),
      report: () => {},
    })(request, refused);
    expect(limited?.status).toBe(429);
    expect(limited?.headers["retry-after"]).toBe("7");

    const bad = sandboxReview({ admit: () => undefined, report: () => {} })(request, refused);
    expect(bad?.status).toBe(400);
    expect(JSON.parse(bad?.body.toString("utf8") ?? "{}")).toEqual({
      errors: [
        { code: "invalid_request", message: "Invalid request" },
        { code: "status", message: "status must be equal to one of the allowed values" },
      ],
    });
  });
});
