// What a contract test sees: the spec's examples, forced answers and Prism's violation reports.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../src/index.js";
import { namedExample, responseExample, VALID_HEADERS } from "./helpers.js";

describe("a started mock answers from the bundled spec", () => {
  let mock: MockServer;
  const log: string[] = [];

  beforeAll(async () => {
    mock = await startMockServer({ onLog: (line) => log.push(line) });
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it("serves under /v1 on a free loopback port and logs Prism's announcement", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(mock.url).toBe(`http://127.0.0.1:${mock.port}/v1`);
    expect(mock.port).not.toBe(4010);
    expect(log.some((line) => line.includes(`Prism is listening on ${mock.url}`))).toBe(true);
  });

  it("answers a valid createChat with the documented Chat and no violations", async () => {
    const response = await fetch(`${mock.url}/chats`, {
      method: "POST",
      headers: VALID_HEADERS,
      body: JSON.stringify({ customer: 8738438, application: 3838 }),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("sl-violations")).toBeNull();
    expect(await response.json()).toEqual(namedExample("ChatAsDocumented"));
  });

  it("returns the documented 404 example when asked with Prefer: code=404", async () => {
    const response = await fetch(`${mock.url}/chats/status`, {
      method: "PUT",
      headers: { ...VALID_HEADERS, prefer: "code=404" },
      body: JSON.stringify({ id: 542335, status: "on hold" }),
    });

    expect(response.status).toBe(404);
    expect(response.headers.get("sl-violations")).toBeNull();
    expect(await response.json()).toEqual(responseExample("NotFound", "notFount"));
  });

  it("returns a named example when asked with Prefer: example=<name>", async () => {
    const response = await fetch(`${mock.url}/chats/assignee`, {
      method: "PUT",
      headers: { ...VALID_HEADERS, prefer: "example=olderShape" },
      body: JSON.stringify({ id: 542335, assignee: 4188 }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(namedExample("ChatOlderShape"));
  });

  it("reports a request that breaks the contract in sl-violations", async () => {
    const response = await fetch(`${mock.url}/chats/department`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: 5215752, department: 233048 }),
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(responseExample("Unauthorized", "unauthorized"));
    const violations = JSON.parse(response.headers.get("sl-violations") ?? "[]");
    expect(violations).toEqual(
      expect.arrayContaining([expect.objectContaining({ location: expect.any(Array) })]),
    );
  });

  it("logs each request through onLog", () => {
    expect(log.some((line) => line.includes("Request received"))).toBe(true);
  });
});
