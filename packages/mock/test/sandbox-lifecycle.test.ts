// A sandbox's state is its own and resets; stopping it, or its command, leaves nothing behind.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { startSandbox } from "../src/index.js";
import { acceptsConnections, isRunning, prismProcesses } from "./helpers.js";
import { call } from "./sandbox-helpers.js";

const BIN = fileURLToPath(new URL("../dist/helpcrunch-chats-mock.js", import.meta.url));

describe("a sandbox's state", () => {
  it("starts from the spec's example chats and reset() restores them", async () => {
    const sandbox = await startSandbox();
    try {
      const initial = await call(sandbox.url, "GET", "/chats?sort=chats.createdAt&order=asc");
      // 542337 (the snooze page's chat) was created with 542335, a minute before 542336.
      expect(initial.body.data.map((chat: { id: number }) => chat.id)).toEqual([
        542335, 542337, 542336,
      ]);
      expect(initial.body.meta).toEqual({ total: 3 });

      const created = await call(sandbox.url, "POST", "/chats", { customer: 5, application: 6 });
      await call(sandbox.url, "PUT", "/chats/status", { id: 542336, status: "opened" });
      expect((await call(sandbox.url, "GET", "/chats/542336")).body.status).toBe("opened");

      sandbox.reset();

      expect((await call(sandbox.url, "GET", `/chats/${created.body.id}`)).status).toBe(404);
      expect((await call(sandbox.url, "GET", "/chats/542336")).body.status).toBe("on hold");
      const after = await call(sandbox.url, "GET", "/chats?sort=chats.createdAt&order=asc");
      expect(after.body).toEqual(initial.body);
      // Ids start again where the initial chats end.
      const again = await call(sandbox.url, "POST", "/chats", { customer: 5, application: 6 });
      expect(again.body.id).toBe(created.body.id);
    } finally {
      await sandbox.stop();
    }
  });

  it("serves the chats it is given, never changing the caller's objects", async () => {
    const chats = [{ id: 7, status: "opened", createdAt: "1700000000" }];
    const sandbox = await startSandbox({ chats });
    try {
      await call(sandbox.url, "PUT", "/chats/status", { id: 7, status: "closed" });
      expect((await call(sandbox.url, "GET", "/chats/7")).body.status).toBe("closed");
      expect(chats[0]?.status).toBe("opened");
      expect(
        (await call(sandbox.url, "POST", "/chats", { customer: 1, application: 1 })).body.id,
      ).toBe(8);
    } finally {
      await sandbox.stop();
    }
  });

  it("keeps two sandboxes apart", async () => {
    const [first, second] = await Promise.all([startSandbox(), startSandbox()]);
    try {
      expect(first.port).not.toBe(second.port);
      const created = await call(first.url, "POST", "/chats", { customer: 1, application: 2 });
      await call(first.url, "PUT", "/chats/status", { id: 542337, status: "closed" });

      expect((await call(first.url, "GET", `/chats/${created.body.id}`)).status).toBe(200);
      expect((await call(second.url, "GET", `/chats/${created.body.id}`)).status).toBe(404);
      expect((await call(second.url, "GET", "/chats/542337")).body.status).toBe("pending");
      expect((await call(second.url, "GET", "/chats")).body.meta.total).toBe(3);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});

describe("stopping a sandbox", () => {
  it("closes its port and ends its Prism before stop() resolves, and stops again harmlessly", async () => {
    const sandbox = await startSandbox();
    expect(prismProcesses({ parent: process.pid })).toContain(sandbox.pid);
    expect(await acceptsConnections(sandbox.port)).toBe(true);

    await Promise.all([sandbox.stop(), sandbox.stop()]);

    expect(isRunning(sandbox.pid)).toBe(false);
    expect(prismProcesses({ parent: process.pid })).not.toContain(sandbox.pid);
    expect(await acceptsConnections(sandbox.port)).toBe(false);
    await expect(sandbox.stop()).resolves.toBeUndefined();
  });

  it("refuses bad options before starting anything", async () => {
    await expect(startSandbox({ apiKey: "two words" })).rejects.toThrow(/apiKey/);
    await expect(startSandbox({ rateLimit: { limit: 0, intervalMs: 1000 } })).rejects.toThrow(
      /rateLimit/,
    );
  });
});

describe("helpcrunch-chats-mock --sandbox", () => {
  it("refuses sandbox flags without --sandbox, and a half webhook or a bad rate limit", async () => {
    for (const [args, message] of [
      [["--api-key", "k"], "go with --sandbox"],
      [["--sandbox", "--webhook-url", "http://127.0.0.1:1/"], "go together"],
      [["--sandbox", "--rate-limit", "fast"], "--rate-limit must be"],
    ] as const) {
      const child = spawn(process.execPath, [BIN, ...args], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      const [code] = await once(child, "close");
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    }
  });

  it("starts a sandbox that remembers, and exits cleanly on SIGTERM leaving no Prism", async () => {
    const child = spawn(
      process.execPath,
      [BIN, "--sandbox", "--port", "0", "--api-key", "cli-key"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8");
    const exited = once(child, "close");
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        stdout += chunk;
        const match = /sandbox listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1]) {
          resolve(match[1]);
        }
      });
      void exited.then(() => reject(new Error(`the bin exited before announcing: ${stdout}`)));
    });
    const prisms = prismProcesses({ parent: child.pid ?? 0 });
    expect(prisms).toHaveLength(1);

    expect((await call(url, "GET", "/chats/542335", undefined, "wrong")).status).toBe(401);
    const created = await call(url, "POST", "/chats", { customer: 1, application: 2 }, "cli-key");
    expect(created.status).toBe(201);
    const got = await call(url, "GET", `/chats/${created.body.id}`, undefined, "cli-key");
    expect(got.body).toEqual(created.body);

    child.kill("SIGTERM");
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stdout).toContain("helpcrunch-chats-mock: stopped");
    expect(await acceptsConnections(Number(new URL(url).port))).toBe(false);
    for (const pid of prisms) {
      expect(isRunning(pid)).toBe(false);
    }
  });
});
