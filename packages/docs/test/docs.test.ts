// End-to-end test of the built docs site (dist/), read as a reader reads it: in Debian's
// Chromium driven by playwright-core, over a loopback HTTP server and from disk (file://).
//
// Redoc renders an operation only once its tag is opened, and shows a code sample only in
// the language picked, so every check browses: it opens each tag in the sidebar, each
// operation, each sample language and each example, and compares what is on screen with the
// bundled spec. Every request the browser makes is intercepted: anything that is not
// loopback, file:, data: or blob: is aborted and fails the test, as does any console error.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openapiJsonPath, openapiYamlPath } from "@helpcrunch-chats/openapi";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
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

interface Webhook {
  event: string;
  summary: string;
  description: string;
  tag: string;
  header: string;
  examples: { title: string; value: unknown }[];
}

/** The OpenAPI 3.1 `webhooks` of the bundle: events HelpCrunch POSTs to integrators. */
const webhooks: Webhook[] = Object.entries((spec.webhooks ?? {}) as Json).map(([event, item]) => {
  const op = item.post;
  return {
    event,
    summary: op.summary,
    description: op.description,
    tag: op.tags[0],
    header: deref(op.parameters[0]).name,
    examples: examplesOf(op.requestBody.content),
  };
});

const SIX_STATUSES = ["new", "opened", "pending", "on hold", "no communication", "closed"];
const ERROR_STATUSES: Record<string, string> = {
  "400": "400 Bad Request",
  "401": "401 Unauthorized",
  "403": "403 Forbidden",
  "404": "404 Not Found",
  "409": "409 Conflict",
  "429": "429 Too Many Requests",
  "5xx": "5xx Server error",
};
/** The error class the TypeScript client throws for each status it types. */
const CLIENT_ERROR_CLASSES: Record<string, string> = {
  "400": "BadRequestError",
  "401": "AuthenticationError",
  "403": "PermissionDeniedError",
  "404": "NotFoundError",
  "409": "ConflictError",
  "429": "RateLimitError",
  "5xx": "InternalServerError",
};
/** The client's errors that are not an answer's status. */
const OTHER_CLIENT_ERRORS = [
  "ConnectionError",
  "TimeoutError",
  "AbortError",
  "ValidationError",
  "InvalidResponseError",
  "ResponseTooLargeError",
  "RateLimitWaitError",
];

/**
 * Every form in which the spec is published, beside index.html: the 3.1 YAML and JSON
 * always, the 3.0 ones once @helpcrunch-chats/openapi has them. The site must link exactly
 * the forms the package has.
 */
const specDir = dirname(openapiYamlPath);
const SPEC_FORMS = ["openapi.yaml", "openapi.json", "openapi.3.0.yaml", "openapi.3.0.json"];
const publishedForms = SPEC_FORMS.filter((name) => existsSync(join(specDir, name)));
const parseSpecFile = (name: string, text: string): Json =>
  name.endsWith(".json") ? JSON.parse(text) : parseYaml(text);

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
  for (const file of ["index.html", ...publishedForms]) {
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
  /** A tab on the site's page over HTTP, once Redoc has rendered its title. */
  const openHome = async () => {
    const tab = await overHttp();
    await tab.page.goto(server.url);
    await tab.page.locator("h1").first().waitFor();
    return tab;
  };

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

  it("opens with Getting started: install, a first call, the mock and the sandbox, code uncut", async () => {
    const tab = await openHome();
    const { page } = tab;

    // First of the sections, and in the sidebar before every tag of operations.
    const headings = (await page.locator("#api-content h2").allInnerTexts()).map((h) => h.trim());
    expect(headings[0]).toBe("Getting started");
    const menu = (await sidebar(page).locator("a").allInnerTexts()).map((t) => t.trim());
    const gettingStarted = menu.indexOf("Getting started");
    expect(gettingStarted, "Getting started in the sidebar").toBeGreaterThanOrEqual(0);
    for (const tag of tags) {
      expect(gettingStarted, `Getting started before ${tag}`).toBeLessThan(menu.indexOf(tag));
    }
    await sidebar(page)
      .locator("a", { hasText: /^Getting started$/ })
      .click();

    // The install line, on screen as a reader copies it.
    const install = page
      .locator("#api-content pre", { hasText: "npm install @helpcrunch-chats/client" })
      .first();
    await install.scrollIntoViewIfNeeded();
    expect(await install.isVisible()).toBe(true);
    expect((await install.innerText()).trim()).toBe("npm install @helpcrunch-chats/client");

    const text = collapse(await page.locator("#api-content").innerText());
    for (const expected of [
      "Install the typed TypeScript client",
      "const hc = createHelpCrunchClient(); // reads HELPCRUNCH_API_KEY",
      "hc.chats.updateStatus(",
      "npm install --save-dev @helpcrunch-chats/mock",
      "startMockServer()",
      "startSandbox() keeps state",
      "const mock = await startMockServer();",
    ]) {
      expect(text, expected).toContain(expected);
    }

    // Its code blocks are whole: nothing runs out of the block sideways.
    const blocks = page.locator("#api-content pre").filter({ hasText: "@helpcrunch-chats/" });
    expect(await blocks.count()).toBeGreaterThanOrEqual(3);
    for (const block of await blocks.all()) {
      const box = await block.evaluate((el) => ({
        scroll: el.scrollWidth,
        client: el.clientWidth,
      }));
      expect(box.scroll, "a code block of Getting started is not cut").toBeLessThanOrEqual(
        box.client,
      );
    }
    await install.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir, "docs-getting-started.png") });
    expectClean(tab);
    await page.close();
  });

  it("shows the longest code sample whole: wrapped in its panel, every line on screen", async () => {
    // The sample with the longest line (the search's curl body, for one).
    const longest = operations
      .flatMap((op) => op.samples.map((sample) => ({ op, sample })))
      .map((entry) => ({
        ...entry,
        width: Math.max(...entry.sample.source.split("\n").map((line) => line.length)),
      }))
      .sort((a, b) => b.width - a.width)[0];
    expect(longest, "a code sample").toBeDefined();
    const { op, sample, width } = longest as NonNullable<typeof longest>;
    expect(width, "the longest line is long enough to test wrapping").toBeGreaterThan(60);

    const tab = await openHome();
    const { page } = tab;
    await openTag(
      page,
      op.tag,
      operations.filter((o) => o.tag === op.tag),
    );
    const section = await openOperation(page, op);
    const request = section.locator(".panel-request-samples");
    const languages = [...op.samples.map((s) => s.label), ...(op.hasBody ? ["Payload"] : [])];
    const current = (
      await request
        .getByRole("button", { name: new RegExp(`^(${languages.map(escapeRegExp).join("|")})$`) })
        .innerText()
    ).trim();
    if (current !== sample.label) {
      await pick(page, request.getByRole("button", { name: current, exact: true }), sample.label);
    }
    const pre = request.locator("pre");
    expect((await pre.innerText()).trimEnd()).toBe(sample.source.trimEnd());
    await pre.scrollIntoViewIfNeeded();
    const box = await pre.evaluate((el) => {
      const style = getComputedStyle(el);
      return {
        whiteSpace: style.whiteSpace,
        overflowY: style.overflowY,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
      };
    });
    // Long lines wrap instead of running out of the panel...
    expect(box.whiteSpace, `white-space of the ${sample.label} sample of ${op.id}`).toBe(
      "pre-wrap",
    );
    expect(box.scrollWidth, "nothing cut off sideways").toBeLessThanOrEqual(box.clientWidth);
    // ...and the last line is there: shown whole, or reachable by scrolling the block.
    expect(
      box.scrollHeight <= box.clientHeight || ["auto", "scroll"].includes(box.overflowY),
      "the last line is on screen or scrollable",
    ).toBe(true);
    const lastLine = sample.source.trimEnd().split("\n").at(-1)?.trim() as string;
    const tail = lastLine.slice(-20);
    const lastVisible = await pre.evaluate((el, tailText) => {
      const range = document.createRange();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let all = "";
      const nodes: { node: Text; start: number }[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        nodes.push({ node: node as Text, start: all.length });
        all += node.textContent ?? "";
      }
      const at = all.lastIndexOf(tailText) + tailText.length - 1;
      const hit = nodes.filter((n) => n.start <= at).at(-1);
      if (!hit) {
        return false;
      }
      range.setStart(hit.node, at - hit.start);
      range.setEnd(hit.node, at - hit.start + 1);
      const glyph = range.getBoundingClientRect();
      const panel = el.getBoundingClientRect();
      el.scrollTop = el.scrollHeight; // scrolled to the end when the block scrolls
      const glyphAfter = range.getBoundingClientRect();
      const inside = (g: DOMRect) =>
        g.right <= panel.right + 1 && g.left >= panel.left - 1 && g.width > 0;
      return inside(glyph) || inside(glyphAfter);
    }, tail);
    expect(lastVisible, `the end of the last line (${tail}) is inside the panel`).toBe(true);
    await page.screenshot({ path: join(artifactsDir, "docs-long-sample.png") });
    expectClean(tab);
    await page.close();
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

    // Every status the TypeScript client types has its row and its error class, 403 and 5xx
    // included (no operation documents them); then the client's other errors and what it
    // repeats.
    for (const [status, errorClass] of Object.entries(CLIENT_ERROR_CLASSES)) {
      const label = ERROR_STATUSES[status] as string;
      const row = rows.find((cells) => cells[0] === label);
      expect(row, `table row for ${label}`).toBeDefined();
      expect(row?.[1]?.length, `meaning of ${label}`).toBeGreaterThan(10);
      expect(row?.[2]?.length, `whether to repeat on ${label}`).toBeGreaterThan(1);
      expect(row?.[3], `the client's error class for ${label}`).toBe(errorClass);
      const shown = page.locator("table tr", { hasText: label }).first();
      await shown.scrollIntoViewIfNeeded();
      expect(await shown.isVisible(), `row ${label} on screen`).toBe(true);
    }
    for (const name of OTHER_CLIENT_ERRORS) {
      expect(text, `the client's ${name}`).toContain(name);
    }
    expect(text).toMatch(/repeats a call \(up to maxRetries, 2 by default\)/);
    expect(text).toContain("400, 401, 403, 404 and 409 are never repeated");
    // The rate limit as the client keeps it.
    expect(text).toContain("rateLimit.maxWaitMs bounds that wait");
    await page.locator("table tr", { hasText: "403 Forbidden" }).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir, "docs-errors.png") });
    await page.locator("h1").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifactsDir, "docs-introduction.png") });
    expectClean(tab);
    await page.close();
  });

  // One test per operation, each in a tab of its own: a whole pass over every operation
  // takes 40 s on an idle 2-core machine, and a single deadline for all of them failed under
  // load.
  it.each(operations.map((op) => [op.id, op] as const))(
    "shows %s with its path, curl and TypeScript samples, request and response examples",
    async (_, op) => {
      const tab = await openHome();
      const { page } = tab;
      await openTag(
        page,
        op.tag,
        operations.filter((other) => other.tag === op.tag),
      );

      {
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
      expectClean(tab);
      await page.close();
    },
  );

  it("lists every tag of the spec in the sidebar", async () => {
    const tab = await openHome();
    const { page } = tab;
    for (const tag of tags) {
      await openTag(
        page,
        tag,
        operations.filter((op) => op.tag === tag),
      );
    }
    expectClean(tab);
    await page.close();
  });

  it("shows the webhooks: every event under its tag, with the signature header and its payload", async () => {
    expect(webhooks.length, "webhooks in the bundle").toBeGreaterThan(0);
    const tab = await openHome();
    const { page } = tab;

    for (const tag of new Set(webhooks.map((w) => w.tag))) {
      const events = webhooks.filter((w) => w.tag === tag);
      const asOperations = events.map((w) => ({ summary: w.summary, method: "post" }) as Operation);
      await openTag(page, tag, asOperations);

      for (const [i, webhook] of events.entries()) {
        const section = await openOperation(page, asOperations[i] as Operation);
        // Redoc marks a webhook as such, and describes its request: the signature header
        // (required) and the body.
        await section.getByText("Webhook", { exact: true }).first().waitFor();
        const sectionText = collapse(await section.innerText());
        expect(sectionText, webhook.event).toContain(asRendered(webhook.description));
        expect(sectionText, webhook.event).toMatch(
          new RegExp(`${escapeRegExp(webhook.header)} string .*required`),
        );
        expect(sectionText, webhook.event).toContain("eventData");

        // The payload panel: POST <event>, and each example of the delivery in turn.
        const request = section.locator(".panel-request-samples");
        // (Its header is plain text here: a webhook has no URL to expand.)
        const header = request.locator("[data-component-name='Panel/PanelHeader']");
        await header.waitFor();
        expect(collapse(await header.innerText()), webhook.event).toBe(
          `POST ${webhook.event} Payload`,
        );
        expect(webhook.examples.length, `examples of ${webhook.event}`).toBeGreaterThan(0);
        for (const example of webhook.examples) {
          if (webhook.examples.length > 1) {
            await pick(page, request.getByRole("button", { name: "Example" }), example.title);
          }
          expect(
            await jsonShown(request),
            `payload "${example.title}" of ${webhook.event}`,
          ).toEqual(example.value);
        }
        if (webhook.event === "chat.closed") {
          await section.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(artifactsDir, "docs-webhook-chat-closed.png") });
        }
      }
    }
    expectClean(tab);
    await page.close();
  });

  it("links every published form of the spec for download, each a file that parses", async () => {
    // openapi.yaml and openapi.json always; openapi.3.0.yaml and .json once the package has them.
    expect(publishedForms).toEqual(expect.arrayContaining(["openapi.yaml", "openapi.json"]));
    const tab = await overHttp();
    const { page } = tab;
    await page.goto(server.url);
    const panel = page.locator("[data-component-name='Panel/Panel']", {
      hasText: "Download OpenAPI description",
    });
    await panel.getByRole("link", { name: "openapi.yaml", exact: true }).waitFor();
    // The files the panel links (each entry has its name and a download icon as links).
    const linked = await panel
      .getByRole("link")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    expect(
      [...new Set(linked.map((href) => new URL(href).pathname.split("/").at(-1)))].sort(),
      "the panel links exactly the published forms",
    ).toEqual([...publishedForms].sort());
    for (const name of publishedForms) {
      const source = readFileSync(join(specDir, name), "utf8");
      const link = panel.getByRole("link", { name: new RegExp(`^${escapeRegExp(name)}( |$)`) });
      await link.waitFor();
      const href = await link.getAttribute("href");
      const url = new URL(href as string, page.url());
      expect(isLoopback(url), `${name} is served by the site itself`).toBe(true);

      const answer = await fetch(url);
      expect(answer.status, name).toBe(200);
      expect(answer.headers.get("content-type"), name).toMatch(
        name.endsWith(".json") ? /^application\/json/ : /^application\/yaml/,
      );
      const body = await answer.text();
      expect(body, `${name} is the published file`).toBe(source);
      // It parses, as the OpenAPI version its name says, with the operations in it.
      const parsed = parseSpecFile(name, body);
      expect(String(parsed.openapi), `${name}: openapi`).toMatch(
        name.includes(".3.0.") ? /^3\.0\.\d+$/ : /^3\.1\.\d+$/,
      );
      expect(Object.keys(parsed.paths ?? {}), `${name}: paths`).toEqual(Object.keys(spec.paths));

      // And a reader's click downloads it.
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(readFileSync(await download.path(), "utf8")).toBe(source);
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
