// The OpenAPI 3.0 rendition read by a 3.0-only tool from another language: Perl's
// JSON::Validator (Debian's libjson-validator-perl, with OpenAPI::Client from
// libopenapi-client-perl; ensure-debian.mjs installs them). validate-3.0.pl loads the file,
// says which success responses it resolves to a schema, and validates fake requests and
// responses; good ones must pass and wrong ones must be refused, for every operation.
// (JSON::Validator coerces numeric strings to numbers by default, as OpenAPI tools do for
// parameters, so a wrong id here is a non-numeric string.)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openapi30JsonPath } from "../../index.js";

type Json = Record<string, any>;
const spec30: Json = JSON.parse(readFileSync(openapi30JsonPath, "utf8"));
const SCRIPT = fileURLToPath(new URL("./validate-3.0.pl", import.meta.url));

const chat = spec30.components.examples.ChatAsDocumented.value;
const page = spec30.components.examples.ChatPageAsDocumented.value;

interface Case {
  name: string;
  direction: "request" | "response";
  method: string;
  path: string;
  status?: number;
  body?: unknown;
  query?: Json;
  pathParams?: Json;
  valid: boolean;
}

const put = (path: string, good: Json, bad: Json): Case[] => [
  {
    name: `PUT ${path}: good body`,
    direction: "request",
    method: "put",
    path,
    body: good,
    valid: true,
  },
  {
    name: `PUT ${path}: wrong body`,
    direction: "request",
    method: "put",
    path,
    body: bad,
    valid: false,
  },
  {
    name: `PUT ${path}: extra property`,
    direction: "request",
    method: "put",
    path,
    body: { ...good, extra: 1 },
    valid: false,
  },
  {
    name: `PUT ${path} 200: a chat`,
    direction: "response",
    method: "put",
    path,
    status: 200,
    body: chat,
    valid: true,
  },
  {
    name: `PUT ${path} 200: null status, no assignee`,
    direction: "response",
    method: "put",
    path,
    status: 200,
    body: { id: 5, status: null, assignee: null },
    valid: true,
  },
  {
    name: `PUT ${path} 200: an id that is not an integer`,
    direction: "response",
    method: "put",
    path,
    status: 200,
    body: { ...chat, id: "chat-5" },
    valid: false,
  },
  {
    name: `PUT ${path} 200: an unknown status`,
    direction: "response",
    method: "put",
    path,
    status: 200,
    body: { id: 5, status: "archived" },
    valid: false,
  },
  {
    name: `PUT ${path} 404: the error envelope`,
    direction: "response",
    method: "put",
    path,
    status: 404,
    body: { errors: [{ code: "not_fount", message: "x" }] },
    valid: true,
  },
  {
    name: `PUT ${path} 404: an empty error list`,
    direction: "response",
    method: "put",
    path,
    status: 404,
    body: { errors: [] },
    valid: false,
  },
];

const CASES: Case[] = [
  ...put("/chats/status", { id: 542335, status: "on hold" }, { id: "542335", status: "archived" }),
  ...put("/chats/readByAgent", { id: 5208, read: true }, { id: 5208, read: "yes" }),
  ...put("/chats/readByCustomer", { id: 5208, read: false }, { id: 0, read: false }),
  ...put("/chats/assignee", { id: 542335, assignee: 4188 }, { id: 542335 }),
  ...put("/chats/department", { id: 5215752, department: 233048 }, { id: 5215752, department: -1 }),
  ...put(
    "/chats/snooze",
    { id: 542335, snoozedUntil: null },
    { id: 542335, snoozedUntil: "tomorrow" },
  ),
  {
    name: "POST /chats: good body",
    direction: "request",
    method: "post",
    path: "/chats",
    body: { customer: 8738438, application: 3838 },
    valid: true,
  },
  {
    name: "POST /chats: missing application",
    direction: "request",
    method: "post",
    path: "/chats",
    body: { customer: 8738438 },
    valid: false,
  },
  {
    name: "POST /chats 201: a chat",
    direction: "response",
    method: "post",
    path: "/chats",
    status: 201,
    body: chat,
    valid: true,
  },
  {
    name: "POST /chats 201: not a chat",
    direction: "response",
    method: "post",
    path: "/chats",
    status: 201,
    body: { chat: 1 },
    valid: false,
  },
  {
    name: "POST /chats/search: good body",
    direction: "request",
    method: "post",
    path: "/chats/search",
    body: { filter: [{ field: "chats.assignee", operator: "=", value: 4188 }] },
    valid: true,
  },
  {
    name: "POST /chats/search: no filter",
    direction: "request",
    method: "post",
    path: "/chats/search",
    body: { filter: [] },
    valid: false,
  },
  {
    name: "POST /chats/search 200: a page",
    direction: "response",
    method: "post",
    path: "/chats/search",
    status: 200,
    body: page,
    valid: true,
  },
  {
    name: "POST /chats/search 200: data not a list",
    direction: "response",
    method: "post",
    path: "/chats/search",
    status: 200,
    body: { data: chat },
    valid: false,
  },
  {
    name: "GET /chats 200: a page",
    direction: "response",
    method: "get",
    path: "/chats",
    status: 200,
    body: page,
    valid: true,
  },
  {
    name: "GET /chats: limit 100",
    direction: "request",
    method: "get",
    path: "/chats",
    query: { limit: 100 },
    valid: true,
  },
  {
    name: "GET /chats: limit 101",
    direction: "request",
    method: "get",
    path: "/chats",
    query: { limit: 101 },
    valid: false,
  },
  {
    name: "GET /chats/{id} 200: a chat",
    direction: "response",
    method: "get",
    path: "/chats/{id}",
    status: 200,
    body: chat,
    valid: true,
  },
  {
    name: "GET /chats/{id} 200: a page instead",
    direction: "response",
    method: "get",
    path: "/chats/{id}",
    status: 200,
    body: page,
    valid: false,
  },
];

const result = spawnSync("perl", [SCRIPT], {
  input: JSON.stringify({ spec: openapi30JsonPath, cases: CASES }),
  encoding: "utf8",
  timeout: 120_000,
});
const output: Json = result.status === 0 ? JSON.parse(result.stdout) : {};

describe("Perl's JSON::Validator reads the OpenAPI 3.0 rendition", () => {
  it("loads it without a complaint", () => {
    expect(result.stderr, result.stderr).not.toMatch(/\S/);
    expect(result.status).toBe(0);
    expect(output.specErrors).toEqual([]);
    console.log(
      `perl ${output.versions.perl}, JSON::Validator ${output.versions["JSON::Validator"]}, OpenAPI::Client ${output.versions["OpenAPI::Client"]}`,
    );
  });

  it("finds a body schema for the success response of every operation", () => {
    const operations = Object.entries(spec30.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json).map(([method, op]) => {
        const status = Object.keys(op.responses).find((s) => s.startsWith("2"));
        return `${method} ${path} ${status}`;
      }),
    );
    expect(Object.keys(output.successResponses).sort()).toEqual(operations.sort());
    expect(Object.values(output.successResponses).every(Boolean)).toBe(true);
  });

  it.each(CASES.map((c, i) => ({ ...c, index: i })))("$name", ({ index, valid }) => {
    const { name, errors } = output.results[index];
    expect(name).toBe(CASES[index].name);
    if (valid) {
      expect(errors).toEqual([]);
    } else {
      expect(errors.length).toBeGreaterThan(0);
    }
  });
});
