// End-to-end test of the built docs site (dist/), read as a reader reads it: in Debian's
// Chromium driven by playwright-core, over a loopback HTTP server and from disk (file://).
//
// Redoc renders an operation only once its tag is opened, and shows a code sample only in
// the language picked, so every check browses: it opens each tag in the sidebar, each
// operation, each sample language and each example, and compares what is on screen with the
// bundled spec. Every request the browser makes is intercepted: anything that is not
// loopback, file:, data: or blob: is aborted and fails the test, as does any console error.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openapiJsonPath, openapiYamlPath } from "@helpcrunch-chats/openapi";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStaticServer } from "../scripts/server.mjs";

type Json = Record<string, any>;

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const distDir = join(packageDir, "dist");
const artifactsDir = join(packageDir, ".artifacts");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

interface Operation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  tag: string;
  samples: { lang: string; label: string; source: string }[];
  /** Whether the operation takes a request body (reads such as GET /chats take none). */
  hasBody: boolean;
  /** The names of its path and query parameters. */
  params: string[];
  requestExamples: { title: string; value: unknown }[];
  responses: { status: string; examples: { title: string; value: unknown }[] }[];
}

/** Follows local `$ref`s, as the bundle keeps them for shared responses and examples. */
const deref = (node: Json): Json => {
  let current = node;
  while (typeof current?.$ref === "string") {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((n: Json, key: string) => n[key], spec);
  }
  return current;
};

const examplesOf = (content: Json | undefined) =>
  Object.entries((content?.["application/json"]?.examples ?? {}) as Json).map(([key, ex]) => {
    const example = deref(ex);
    return { title: (example.summary as string | undefined) ?? key, value: example.value };
  });

const operations: Operation[] = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => {
    const op = item[method];
    return {
      id: op.operationId,
      method,
      path,
      summary: op.summary,
      description: op.description,
      tag: op.tags[0],
      samples: op["x-codeSamples"].map((s: Json) => ({
        lang: s.lang,
        label: s.label ?? s.lang,
        source: s.source,
      })),
      hasBody: op.requestBody !== undefined,
      params: ((op.parameters ?? []) as Json[]).map((param) => deref(param).name as string),
      requestExamples: examplesOf(deref(op.requestBody ?? {}).content),
      responses: Object.entries(op.responses as Json).map(([status, response]) => ({
        status,
        examples: examplesOf(deref(response).content),
      })),
    };
  }),
);
const tags: string[] = (spec.tags as Json[]).map((t) => t.name);

const SIX_STATUSES = ["new", "opened", "pending", "on hold", "no communication", "closed"];
const ERROR_STATUSES: Record<string, string> = {
  "400": "400 Bad Request",
  "401": "401 Unauthorized",
  "404": "404 Not Found",
  "409": "409 Conflict",
  "429": "429 Too Many Requests",
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Markdown as a reader sees it: no backticks or bold markers, whitespace collapsed. */
const asRendered = (markdown: string) =>
  markdown
    .replace(/`|\*\*/g, "")
    .replace(/\s+/g, " ")
    .trim();
const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

const isLoopback = (url: URL) =>
  (url.protocol === "http:" || url.protocol === "https:") &&
  ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);

interface Watched {
  page: Page;
  /** Requests that were not allowed (and were aborted). */
  blocked: string[];
  consoleErrors: string[];
}

let context: BrowserContext;
let userDataDir: string;
let server: { url: string; close: () => Promise<void> };

/**
 * A new tab whose every request is intercepted: `allow` decides, anything else is aborted
 * and recorded. Console errors and uncaught page errors are recorded too.
 */
async function openTab(allow: (url: URL) => boolean): Promise<Watched> {
  const page = await context.newPage();
  const watched: Watched = { page, blocked: [], consoleErrors: [] };
  const check = (raw: string) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      watched.blocked.push(raw);
      return false;
    }
    if (allow(url)) {
      return true;
    }
    watched.blocked.push(raw);
    return false;
  };
  await page.route("**/*", (route) =>
    check(route.request().url()) ? route.continue() : route.abort("blockedbyclient"),
  );
  // Belt and braces: requests the router does not see (workers, sockets) are still listed.
  page.on("request", (request) => {
    check(request.url());
  });
  page.on("websocket", (socket) => {
    watched.blocked.push(socket.url());
  });
  page.on("console", (message) => {
    if (message.type() === "error") {
      watched.consoleErrors.push(message.text());
    }
  });
  page.on("pageerror", (error) => {
    watched.consoleErrors.push(`uncaught: ${error.message}`);
  });
  return watched;
}

/** What every tab must end with: nothing left for another host, nothing logged as an error. */
function expectClean(watched: Watched) {
  expect([...new Set(watched.blocked)], "requests that left for another host").toEqual([]);
  expect(watched.consoleErrors, "console errors").toEqual([]);
}

const sidebar = (page: Page) => page.locator("[data-component-name='Menu/Menu']");
const visibleMenu = (page: Page) => page.getByRole("menu").filter({ visible: true });

/** Opens a tag in the sidebar and waits until its operations are listed there. */
async function openTag(page: Page, tag: string, ops: Operation[]) {
  await sidebar(page)
    .locator("a", { hasText: new RegExp(`^${escapeRegExp(tag)}$`) })
    .click();
  for (const op of ops) {
    await operationLink(page, op).waitFor();
  }
}

const operationLink = (page: Page, op: Operation) =>
  sidebar(page).locator("a", {
    hasText: new RegExp(`^${escapeRegExp(op.summary)}\\s*${op.method}$`, "i"),
  });

/** Opens an operation from the sidebar; returns its section of the page. */
async function openOperation(page: Page, op: Operation): Promise<Locator> {
  const link = operationLink(page, op);
  const href = await link.getAttribute("href");
  expect(href, `sidebar link of ${op.id}`).toMatch(/^#\//);
  await link.click();
  const section = page.locator(`[id="${(href as string).slice(2)}"]`);
  await section.locator("h2", { hasText: op.summary }).first().waitFor();
  return section;
}

/**
 * Opens one of Redoc's dropdowns (sample language, example) and returns its entries. A click
 * that lands while the panel is still settling can leave the menu shut, so it is retried.
 */
async function openDropdown(page: Page, trigger: Locator): Promise<Locator> {
  const menu = visibleMenu(page);
  for (let attempt = 1; ; attempt++) {
    await trigger.click();
    try {
      await menu.waitFor({ timeout: 2_000 });
      return menu.getByRole("menuitem");
    } catch (error) {
      if (attempt === 3) {
        throw error;
      }
    }
  }
}

/** Picks an entry of one of Redoc's dropdowns. */
async function pick(page: Page, trigger: Locator, entry: string) {
  const entries = await openDropdown(page, trigger);
  await entries.filter({ hasText: new RegExp(`^${escapeRegExp(entry)}$`) }).click();
  await visibleMenu(page).waitFor({ state: "detached" });
}

const jsonShown = async (panel: Locator) =>
  JSON.parse(await panel.locator("[data-component-name='JsonViewer/JsonViewer']").innerText());

beforeAll(async () => {
  for (const file of ["index.html", "openapi.yaml", "openapi.json"]) {
    try {
      readFileSync(join(distDir, file));
    } catch {
      throw new Error(`dist/${file} is missing: run the build first (turbo's test task does)`);
    }
  }
  server = await startStaticServer({ root: distDir });
  userDataDir = mkdtempSync(join(tmpdir(), "helpcrunch-docs-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) {
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

describe("the docs site over HTTP", () => {
  const overHttp = () => openTab((url) => isLoopback(url) || /^(data|blob):$/.test(url.protocol));

  it("documents something: tags, operations, and curl and TypeScript samples for each", () => {
    expect(tags.length).toBeGreaterThan(0);
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) {
      expect(
        op.samples.map((s) => s.lang),
        op.id,
      ).toEqual(expect.arrayContaining(["curl", "TypeScript"]));
    }
  });

  it("shows the introduction: base URL, authentication, rate limit and error statuses", async () => {
    const tab = await overHttp();
    const { page } = tab;
    await page.goto(server.url);
    const h1 = page.locator("h1").first();
    await h1.waitFor();
    expect(await h1.innerText()).toContain(`${spec.info.title} (${spec.info.version})`);

    const headings = (await page.locator("h2").allInnerTexts()).map((h) => h.trim());
    expect(headings).toEqual(
      expect.arrayContaining(["Base URL", "Authentication", "Rate limit", "Errors"]),
    );
    const text = collapse(await page.locator("#api-content").innerText());
    expect(text).toContain(`Every path below is relative to ${spec.servers[0].url}`);
    expect(text).toContain("Authorization: Bearer <api key>");
    expect(text).toContain("120 requests a minute");
    expect(text).toContain('errors list of { "code", "message" } entries');

    // The status table: every error status an operation documents, with what it means.
    const rows = (await page.locator("table tr").allInnerTexts()).map((row) =>
      row.split("\t").map((cell) => cell.trim()),
    );
    const documented = new Set(
      operations
        .flatMap((op) => op.responses.map((r) => r.status))
        .filter((s) => /^[45]\d\d$/.test(s)),
    );
    expect(documented.size).toBeGreaterThan(0);
    for (const status of documented) {
      const label = ERROR_STATUSES[status];
      expect(label, `a name for status ${status}`).toBeDefined();
      const row = rows.find((cells) => cells[0] === label);
      expect(row, `table row for ${label}`).toBeDefined();
      expect(row?.[1]?.length, `meaning of ${label}`).toBeGreaterThan(10);
      expect(row?.[2]?.length, `whether to repeat on ${label}`).toBeGreaterThan(1);
    }
    await page.screenshot({ path: join(artifactsDir, "docs-introduction.png") });
    expectClean(tab);
    await page.close();
  });

  it("shows every operation with its path, curl and TypeScript samples, request and response examples", async () => {
    const tab = await overHttp();
    const { page } = tab;
    await page.goto(server.url);
    await page.locator("h1").first().waitFor();

    for (const tag of tags) {
      const ops = operations.filter((op) => op.tag === tag);
      await openTag(page, tag, ops);

      for (const op of ops) {
        const section = await openOperation(page, op);
        const method = op.method.toUpperCase();
        const sectionText = collapse(await section.innerText());
        expect(sectionText, op.id).toContain(asRendered(op.description));

        // The request panel: method and path, then each sample language in turn.
        const request = section.locator(".panel-request-samples");
        await request.getByRole("button", { name: `${method} ${op.path}` }).waitFor();
        // Redoc adds a "Payload" language only for an operation with a request body.
        const languages = [...op.samples.map((s) => s.label), ...(op.hasBody ? ["Payload"] : [])];
        // Redoc keeps the language picked last for every operation.
        let current = (
          await request
            .getByRole("button", {
              name: new RegExp(`^(${languages.map(escapeRegExp).join("|")})$`),
            })
            .innerText()
        ).trim();
        const entries = await openDropdown(
          page,
          request.getByRole("button", { name: current, exact: true }),
        );
        expect(
          (await entries.allInnerTexts()).map((t) => t.trim()),
          `sample languages of ${op.id}`,
        ).toEqual(languages);
        await entries.filter({ hasText: new RegExp(`^${escapeRegExp(current)}$`) }).click();
        await visibleMenu(page).waitFor({ state: "detached" });

        for (const sample of op.samples) {
          if (sample.label !== current) {
            await pick(
              page,
              request.getByRole("button", { name: current, exact: true }),
              sample.label,
            );
            current = sample.label;
          }
          const code = await request.locator("pre").innerText();
          expect(code.trimEnd(), `${sample.label} sample of ${op.id}`).toBe(
            sample.source.trimEnd(),
          );
        }

        // The path and query parameters, by name, in the operation's section.
        for (const name of op.params) {
          expect(sectionText, `parameter ${name} of ${op.id}`).toMatch(
            new RegExp(`\\b${escapeRegExp(name)}\\b`),
          );
        }

        // The request body examples, as the "Payload" language shows them.
        if (op.hasBody) {
          await pick(page, request.getByRole("button", { name: current, exact: true }), "Payload");
          current = "Payload";
          expect(op.requestExamples.length, `request examples of ${op.id}`).toBeGreaterThan(0);
        } else {
          expect(op.params.length, `parameters of ${op.id}, which takes no body`).toBeGreaterThan(
            0,
          );
        }
        for (const example of op.requestExamples) {
          if (op.requestExamples.length > 1) {
            await pick(page, request.getByRole("button", { name: "Example" }), example.title);
          }
          expect(
            await jsonShown(request),
            `request example "${example.title}" of ${op.id}`,
          ).toEqual(example.value);
        }

        // The responses: one tab per documented status, each example in turn.
        const responses = section.locator(".panel-response-samples");
        const statusButtons = responses.getByRole("button", { name: /^\d{3}$/ });
        expect(
          (await statusButtons.allInnerTexts()).map((t) => t.trim()),
          `response statuses of ${op.id}`,
        ).toEqual(op.responses.map((r) => r.status));
        for (const response of op.responses) {
          await responses.getByRole("button", { name: response.status, exact: true }).click();
          expect(
            response.examples.length,
            `examples of ${op.id} ${response.status}`,
          ).toBeGreaterThan(0);
          for (const example of response.examples) {
            if (response.examples.length > 1) {
              await pick(page, responses.getByRole("button", { name: "Example" }), example.title);
            }
            expect(
              await jsonShown(responses),
              `${response.status} example "${example.title}" of ${op.id}`,
            ).toEqual(example.value);
          }
        }

        if (op.id === "updateChatStatus") {
          // The six statuses a chat can be moved to, in the description and the enum.
          for (const status of SIX_STATUSES) {
            await section
              .locator("code", { hasText: new RegExp(`^${status}$`) })
              .first()
              .waitFor();
          }
          expect(sectionText).toContain(
            `Enum: ${SIX_STATUSES.map((status) => `"${status}"`).join(" ")}`,
          );
          await pick(
            page,
            request.getByRole("button", { name: current, exact: true }),
            "TypeScript",
          );
          current = "TypeScript";
          const code = await request.locator("pre").innerText();
          expect(code).toContain("hc.chats.updateStatus(");
          await responses
            .getByRole("button", { name: op.responses[0]?.status, exact: true })
            .click();
          await section.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(artifactsDir, "docs-update-chat-status.png") });
        }
      }
    }
    expectClean(tab);
    await page.close();
  });

  it("links openapi.yaml and openapi.json for download, and serves the bundled spec", async () => {
    const tab = await overHttp();
    const { page } = tab;
    await page.goto(server.url);
    const panel = page.locator("[data-component-name='Panel/Panel']", {
      hasText: "Download OpenAPI description",
    });
    for (const [name, source] of [
      ["openapi.yaml", openapiYamlPath],
      ["openapi.json", openapiJsonPath],
    ] as const) {
      const link = panel.getByRole("link", { name, exact: true });
      await link.waitFor();
      const href = await link.getAttribute("href");
      const url = new URL(href as string, page.url());
      expect(isLoopback(url), `${name} is served by the site itself`).toBe(true);

      const answer = await fetch(url);
      expect(answer.status, name).toBe(200);
      expect(answer.headers.get("content-type"), name).toMatch(
        name.endsWith(".json") ? /^application\/json/ : /^application\/yaml/,
      );
      expect(await answer.text(), `${name} is the bundled spec`).toBe(readFileSync(source, "utf8"));

      // And a reader's click downloads it.
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(readFileSync(await download.path(), "utf8")).toBe(readFileSync(source, "utf8"));
    }
    expectClean(tab);
    await page.close();
  });
});

describe("the docs site opened from disk", () => {
  it("shows every operation with every request but file: (and in-page data:/blob:) blocked", async () => {
    const tab = await openTab(
      (url) => url.protocol === "file:" || /^(data|blob):$/.test(url.protocol),
    );
    const { page } = tab;
    await page.goto(pathToFileURL(join(distDir, "index.html")).href);
    await page.locator("h1").first().waitFor();
    for (const tag of tags) {
      const ops = operations.filter((op) => op.tag === tag);
      await openTag(page, tag, ops);
      for (const op of ops) {
        const section = await openOperation(page, op);
        await section
          .locator(".panel-request-samples")
          .getByRole("button", { name: `${op.method.toUpperCase()} ${op.path}` })
          .waitFor();
        expect(collapse(await section.innerText()), op.id).toContain(asRendered(op.description));
      }
    }
    await page.screenshot({ path: join(artifactsDir, "docs-file-url.png") });
    expectClean(tab);
    await page.close();
  });
});
