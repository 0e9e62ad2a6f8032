// The sandbox errs like the API: the documented envelope of each operation for 401, 404,
// 409 and 429, field codes on 400, and a loud 500 when its own answer breaks the contract.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/index.js";
import { responseExample } from "./helpers.js";
import { call, KEY, webhookReceiver } from "./sandbox-helpers.js";

/** The spec's example of a shared error response, with its example chat id replaced by `id`. */
function documented(response: string, example: string, id?: number): unknown {
  const text = JSON.stringify(responseExample(response, example));
  return JSON.parse(id === undefined ? text : text.replaceAll("542335", String(id)));
}

const MISSING = 99_999;

describe("the sandbox's error answers", () => {
  let sandbox: Sandbox;
  const log: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false, onLog: (line) => log.push(line) });
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  // Per operation, the 404 example its page documents: `not_fount` (sic) on the five seed
  // pages' updates, `not_found` after `invalid_request` on the newer get page, `chat_not_found`
  // on the snooze page.
  const notFound: [string, string, string, unknown, string][] = [
    ["getChat", "GET", `/chats/${MISSING}`, undefined, "notFound"],
    ["updateChatStatus", "PUT", "/chats/status", { id: MISSING, status: "opened" }, "notFount"],
    ["markChatReadByAgent", "PUT", "/chats/readByAgent", { id: MISSING, read: true }, "notFount"],
    [
      "markChatReadByCustomer",
      "PUT",
      "/chats/readByCustomer",
      { id: MISSING, read: true },
      "notFount",
    ],
    ["updateChatAssignee", "PUT", "/chats/assignee", { id: MISSING, assignee: 4188 }, "notFount"],
    [
      "updateChatDepartment",
      "PUT",
      "/chats/department",
      { id: MISSING, department: 1 },
      "notFount",
    ],
    [
      "snoozeChat",
      "PUT",
      "/chats/snooze",
      { id: MISSING, snoozedUntil: 1_893_456_000 },
      "chatNotFound",
    ],
  ];
  for (const [operation, method, path, body, example] of notFound) {
    it(`answers ${operation} on an unknown id with the ${example} 404`, async () => {
      const answer = await call(sandbox.url, method, path, body);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual(documented("NotFound", example, MISSING));
    });
  }

  it("spells the id into the seed pages' message", async () => {
    const answer = await call(sandbox.url, "PUT", "/chats/status", { id: 4242, status: "new" });
    expect(answer.body.errors).toEqual([
      { code: "not_fount", message: 'Chat for ID "4242" was not found' },
    ]);
  });

  it("answers 401 with the spec's envelope without a key, with a malformed key, and with a wrong one", async () => {
    const keyed = await startSandbox({ apiKey: "the-right-key", rateLimit: false });
    try {
      for (const [method, path, body] of [
        ["GET", "/chats/542335", undefined],
        ["POST", "/chats", { customer: 1, application: 2 }],
        ["PUT", "/chats/status", { id: 542335, status: "closed" }],
      ] as const) {
        const missing = await call(keyed.url, method, path, body, null);
        expect(missing.status).toBe(401);
        expect(missing.body).toEqual(documented("Unauthorized", "unauthorized"));

        const wrong = await call(keyed.url, method, path, body, "another-key");
        expect(wrong.status).toBe(401);
        expect(wrong.body).toEqual(documented("Unauthorized", "invalidToken"));
      }
      // A malformed key is refused even by a sandbox that takes any well-formed key.
      const spaced = await call(sandbox.url, "GET", "/chats/542335", undefined, "two words");
      expect(spaced.status).toBe(401);
      expect(spaced.body).toEqual(documented("Unauthorized", "invalidToken"));

      // The right key works, and the refused requests changed nothing.
      const right = await call(keyed.url, "GET", "/chats/542335", undefined, "the-right-key");
      expect(right.status).toBe(200);
      expect(right.body.status).toBe("closed");
    } finally {
      await keyed.stop();
    }
  });

  it("answers 400 with the JSON path of each bad field as its code, after invalid_request", async () => {
    const cases: [string, string, unknown, string[]][] = [
      // Refused by the contract (Prism), before the core.
      [
        "POST",
        "/chats/search",
        { filter: [{ field: "chats.nope", operator: "=", value: 1 }] },
        ["filter[0].field"],
      ],
      [
        "POST",
        "/chats/search",
        { filter: [{ field: "chats.status", value: "new" }] },
        ["filter[0].operator"],
      ],
      [
        "PUT",
        "/chats/status",
        { id: "542335", status: "shut", extra: true },
        ["extra", "id", "status"],
      ],
      ["PUT", "/chats/assignee", { id: 542335 }, ["assignee"]],
      ["POST", "/chats", { customer: 0, application: 3838 }, ["customer"]],
      ["GET", "/chats?limit=500", undefined, ["limit"]],
      ["GET", "/chats/abc", undefined, ["id"]],
      // Refused by the core: the value must have the field's type, the operator suit it.
      [
        "POST",
        "/chats/search",
        {
          filter: [
            { field: "chats.status", operator: "=", value: "new" },
            { field: "chats.assignee", operator: "=", value: "Jane" },
            { field: "chats.createdAt", operator: ">=", value: "18 Jun 2020" },
            { field: "chats.rating", operator: "=", value: "perfect" },
            { field: "chats.customer.email", operator: ">", value: "a@b.c" },
          ],
        },
        ["filter[1].value", "filter[2].value", "filter[3].value", "filter[4].operator"],
      ],
    ];
    for (const [method, path, body, codes] of cases) {
      const answer = await call(sandbox.url, method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(answer.body.errors[0]).toEqual({
        code: "invalid_request",
        message: "Invalid request",
      });
      expect(answer.body.errors.slice(1).map((entry: { code: string }) => entry.code)).toEqual(
        codes,
      );
      for (const entry of answer.body.errors) {
        expect(entry).toEqual({ code: expect.any(String), message: expect.stringMatching(/\S/) });
      }
    }
  });

  it("answers a path or method the spec does not document with an envelope", async () => {
    const path = await call(sandbox.url, "GET", "/agents");
    expect(path.status).toBe(404);
    expect(path.body.errors.map((entry: { code: string }) => entry.code)).toEqual([
      "invalid_request",
      "not_found",
    ]);
    const method = await call(sandbox.url, "DELETE", "/chats/542335");
    expect(method.status).toBe(405);
    expect(method.body.errors[1].code).toBe("method_not_allowed");
  });

  it("never logged a contract violation of its own", () => {
    expect(log.filter((line) => line.includes("[sandbox]"))).toEqual([]);
  });
});

describe("the sandbox's rate limit", () => {
  it("answers 429 with Retry-After past the limit, per key, until reset()", async () => {
    const sandbox = await startSandbox({ rateLimit: { limit: 3, intervalMs: 60_000 } });
    try {
      for (let request = 1; request <= 3; request++) {
        expect((await call(sandbox.url, "GET", "/chats/542335")).status).toBe(200);
      }
      // Refused requests count too, as on the API: a bad body is answered 429, not 400.
      const limited = await call(sandbox.url, "GET", "/chats/542335");
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual(documented("TooManyRequests", "tooManyRequests"));
      const retryAfter = limited.headers.get("retry-after") ?? "";
      expect(retryAfter).toMatch(/^[0-9]+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      const invalid = await call(sandbox.url, "PUT", "/chats/status", { id: "x" });
      expect(invalid.status).toBe(429);

      // Another key has its own window.
      expect((await call(sandbox.url, "GET", "/chats/542335", undefined, `${KEY}-2`)).status).toBe(
        200,
      );

      sandbox.reset();
      expect((await call(sandbox.url, "GET", "/chats/542335")).status).toBe(200);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("the sandbox's own mistakes are loud", () => {
  it("answers 500 with an explanatory envelope and a log line when its answer breaks the contract", async () => {
    const log: string[] = [];
    const sandbox = await startSandbox({
      // A deliberately broken chat: the contract wants a status string.
      chats: [
        { id: 1, status: 42 },
        { id: 2, status: "opened" },
      ],
      onLog: (line) => log.push(line),
    });
    try {
      const broken = await call(sandbox.url, "GET", "/chats/1");
      expect(broken.status).toBe(500);
      expect(broken.body.errors).toHaveLength(1);
      expect(broken.body.errors[0].code).toBe("contract_violation");
      expect(broken.body.errors[0].message).toContain("GET /chats/1 breaks the contract");
      expect(broken.body.errors[0].message).toContain("response.body.status");
      expect(log.filter((line) => line.startsWith("[sandbox] contract violation"))).toHaveLength(1);

      // A list that carries it fails too; a chat that keeps the contract is served.
      expect((await call(sandbox.url, "GET", "/chats")).status).toBe(500);
      expect((await call(sandbox.url, "GET", "/chats/2")).status).toBe(200);
      expect(log.filter((line) => line.startsWith("[sandbox] contract violation"))).toHaveLength(2);
    } finally {
      await sandbox.stop();
    }
  });

  it("writes its own problems to stderr when no onLog is given", async () => {
    const script = `
      import { startSandbox } from ${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)};
      const sandbox = await startSandbox({ chats: [{ id: 1, rating: 5 }] });
      const answer = await fetch(sandbox.url + "/chats/1", { headers: { authorization: "Bearer k" } });
      console.log(answer.status, answer.headers.get("access-control-allow-origin"));
      await sandbox.stop();
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const [code] = await once(child, "close");
    expect(code).toBe(0);
    expect(stdout.trim()).toBe("500 *"); // Prism's CORS header survives the replacement
    expect(stderr).toContain("[sandbox] contract violation");
    expect(stderr).toContain("response.body.rating");
  });

  it("logs a failed webhook delivery without failing the API's answer", async () => {
    const log: string[] = [];
    const receiver = await webhookReceiver(500);
    const sandbox = await startSandbox({
      webhooks: { url: receiver.url, signingKey: "k" },
      onLog: (line) => log.push(line),
    });
    try {
      const created = await call(sandbox.url, "POST", "/chats", { customer: 1, application: 2 });
      expect(created.status).toBe(201);
      await sandbox.webhooksDelivered(); // answered 500 by the receiver
      await receiver.close(); // the next delivery finds nobody listening
      const assigned = await call(sandbox.url, "PUT", "/chats/assignee", {
        id: created.body.id,
        assignee: 7,
      });
      expect(assigned.status).toBe(200);

      await sandbox.webhooksDelivered();

      const failures = log.filter((line) => line.startsWith("[sandbox] webhook"));
      expect(failures).toHaveLength(2);
      expect(failures[0]).toContain(`chat.new to ${receiver.url} failed: HTTP 500`);
      expect(failures[1]).toContain("chat.assigned");
    } finally {
      await sandbox.stop();
      await receiver.close();
    }
  });
});
