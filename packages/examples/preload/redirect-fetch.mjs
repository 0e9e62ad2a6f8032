// Loaded with `node --import` before each TypeScript or JavaScript sample (test/run.ts).
//
// The samples are written for the real API: `createHelpCrunchClient()` with its default base
// URL, https://api.helpcrunch.com/v1, and the key from HELPCRUNCH_API_KEY. The client has no
// environment variable for its base URL (on purpose), but it looks up `globalThis.fetch` on
// every call, so this preload wraps the global fetch:
// - a URL under https://api.helpcrunch.com/v1 is rewritten to the mock's URL
//   (EXAMPLES_MOCK_URL, which ends in /v1 too), so the sample runs unchanged against the mock;
// - any URL that is not loopback after that is refused: a sample never reaches the network;
// - an answer carrying Prism's `sl-violations` header (the request broke the contract) is
//   recorded, and the process then exits with 1 and lists them, so a sample passes only if
//   every request it sent is one the spec documents.
const API_BASE = "https://api.helpcrunch.com/v1";
const target = process.env.EXAMPLES_MOCK_URL;
if (!target) {
  throw new Error("redirect-fetch: EXAMPLES_MOCK_URL is not set");
}
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** @param {string} url */
const rewrite = (url) =>
  url === API_BASE || url.startsWith(`${API_BASE}/`) || url.startsWith(`${API_BASE}?`)
    ? target + url.slice(API_BASE.length)
    : url;

/** @type {string[]} */
const violations = [];
const realFetch = globalThis.fetch;

/**
 * @param {string | URL | Request} input
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
async function redirectedFetch(input, init) {
  /** @type {string | URL | Request} */
  let next = input;
  if (typeof input === "string") {
    next = rewrite(input);
  } else if (input instanceof URL) {
    next = new URL(rewrite(input.href));
  } else if (input instanceof Request && rewrite(input.url) !== input.url) {
    next = new Request(rewrite(input.url), input);
  }
  const url = new URL(typeof next === "string" ? next : next instanceof URL ? next.href : next.url);
  if (!LOOPBACK.has(url.hostname)) {
    throw new TypeError(`redirect-fetch: a sample may only reach the mock, not ${url.origin}`);
  }
  const response = await realFetch(next, init);
  const violation = response.headers.get("sl-violations");
  if (violation) {
    const method = init?.method ?? (next instanceof Request ? next.method : "GET");
    violations.push(`${method} ${url.pathname}: ${violation}`);
  }
  return response;
}
globalThis.fetch = redirectedFetch;

process.on("exit", () => {
  if (violations.length > 0) {
    process.stderr.write(
      `redirect-fetch: the mock found requests that break the spec (sl-violations):\n${violations.join("\n")}\n`,
    );
    process.exitCode = 1;
  }
});
