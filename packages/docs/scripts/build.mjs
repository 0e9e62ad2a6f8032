// Builds the docs site into dist/: one self-contained index.html rendered by Redocly's
// build-docs (Redoc 3) from the bundled spec of @helpcrunch-chats/openapi, plus that spec
// for download in every form the package publishes: openapi.yaml and openapi.json always,
// and openapi.3.0.yaml and openapi.3.0.json (the OpenAPI 3.0 rendering) when the package has
// them. The page's "Download OpenAPI description" panel links exactly the files copied: the
// downloadUrls of redocly.yaml list every form, and the entries whose file the package lacks
// are dropped from the configuration build-docs is given.
//
// "Self-contained" means the page loads nothing from another host. --inlineBundle embeds
// Redoc's script; what is left is post-processed here and then checked:
// - the "API docs by Redocly" badge loads its logo from Redocly's CDN and no option removes
//   it, so the two logo URLs are replaced by inline SVG data: URIs;
// - Redoc 3 sends usage telemetry from the reader's browser unless the page's options say
//   disableTelemetry, which build-docs sets from `telemetry: off` in redocly.yaml (and from
//   REDOCLY_TELEMETRY=off); checked here so that it cannot silently go;
// - no script, stylesheet, icon, image, frame or CSS url() in the page points off-host.
// A Redoc upgrade that changes any of this fails the build instead of shipping a page that
// calls out.
//
// Code is wrapped, not cut: Redoc 3 CE has no theme option for it (Redoc 2's `theme` is
// gone), and its code blocks, the sample panels included, take their white-space from the
// CSS variable --code-wrap (default `pre`: long lines run out of the panel). The page sets it
// to `pre-wrap`, so a long curl line wraps inside the panel; copying still gives the sample
// as written.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openapiJsonPath, openapiYamlPath } from "@helpcrunch-chats/openapi";
import { parse } from "yaml";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const distDir = join(packageDir, "dist");
// Built beside dist/ and swapped in at the end: an interrupted build leaves the last good site.
const workDir = join(packageDir, `.dist-${process.pid}`);
const indexHtml = join(workDir, "index.html");

/** @param {string} message */
const fail = (message) => {
  console.error(`docs build: ${message}`);
  rmSync(workDir, { recursive: true, force: true });
  rmSync(join(packageDir, `.redocly-${process.pid}.yaml`), { force: true });
  process.exit(1);
};

for (const spec of [openapiYamlPath, openapiJsonPath]) {
  try {
    statSync(spec);
  } catch {
    fail(`${spec} is missing: build @helpcrunch-chats/openapi first (turbo does)`);
  }
}

mkdirSync(workDir, { recursive: true });

// The published forms of the spec: the 3.1 YAML and JSON always, the 3.0 ones when present.
const specDir = dirname(openapiYamlPath);
const SPEC_FORMS = ["openapi.yaml", "openapi.json", "openapi.3.0.yaml", "openapi.3.0.json"];
const published = SPEC_FORMS.filter((name) => {
  try {
    return statSync(join(specDir, name)).isFile();
  } catch {
    return false;
  }
});

// The docs configuration, its download links cut down to the files published.
const docsConfig = parse(readFileSync(join(packageDir, "redocly.yaml"), "utf8"));
const downloads = /** @type {{ title: string, url: string }[]} */ (
  docsConfig.openapi?.downloadUrls ?? []
);
for (const name of SPEC_FORMS) {
  if (!downloads.some((d) => d.url === name)) {
    fail(`redocly.yaml's openapi.downloadUrls lacks ${name}: list every form of the spec`);
  }
}
docsConfig.openapi.downloadUrls = downloads.filter((d) => published.includes(d.url));
// Beside redocly.yaml (never inside the site), removed once build-docs has read it.
const configPath = join(packageDir, `.redocly-${process.pid}.yaml`);
writeFileSync(configPath, JSON.stringify(docsConfig, null, 2));

// 1. Render. --lint-config error makes a mistyped docs option fail the build.
const redocly = join(packageDir, "node_modules", ".bin", "redocly");
const rendered = spawnSync(
  redocly,
  [
    "build-docs",
    openapiYamlPath,
    "--config",
    configPath,
    "--lint-config",
    "error",
    "--inlineBundle",
    "--output",
    indexHtml,
  ],
  {
    cwd: packageDir,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  },
);
rmSync(configPath, { force: true });
if (rendered.error || rendered.status !== 0) {
  process.stdout.write(rendered.stdout ?? "");
  fail(`redocly build-docs failed (${rendered.error?.message ?? `exit ${rendered.status}`})`);
}

let html = readFileSync(indexHtml, "utf8");

// 2. The badge's logo: inline SVGs instead of Redocly's CDN. Percent-encoded, so they hold
// no backtick, `${` or `</script` and can sit inside the bundle's template literals.
/** @param {string} svg */
const svgDataUri = (svg) => `data:image/svg+xml,${encodeURIComponent(svg)}`;
const LOGO_FULL = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="52" height="16" viewBox="0 0 52 16">' +
    '<text x="0" y="12.5" font-family="system-ui,sans-serif" font-size="12" font-weight="600"' +
    ' fill="#0044d4">Redocly</text></svg>',
);
const LOGO_MINI = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">' +
    '<rect width="16" height="16" rx="3" fill="#0044d4"/>' +
    '<text x="8" y="12" text-anchor="middle" font-family="system-ui,sans-serif"' +
    ' font-size="11" font-weight="700" fill="#fff">R</text></svg>',
);
const LOGO_URLS = {
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": LOGO_FULL,
  "https://cdn.redoc.ly/redoc/logo-mini.svg": LOGO_MINI,
};
for (const [cdnUrl, inline] of Object.entries(LOGO_URLS)) {
  const parts = html.split(cdnUrl);
  if (parts.length < 2) {
    fail(`the logo URL ${cdnUrl} is no longer in the page: check what the badge loads now`);
  }
  html = parts.join(inline);
}
if (html.includes("cdn.redoc.ly")) {
  fail("the page still refers to cdn.redoc.ly after the logo was replaced");
}

// 3. A page icon, so that browsers do not ask the host for /favicon.ico.
if (!html.includes("<head>")) {
  fail("no <head> in the rendered page");
}
html = html.replace("<head>", '<head>\n  <link rel="icon" href="data:," />');

// 3b. Long code lines wrap inside their panel instead of running out of it (see above).
if (!html.includes("--code-wrap")) {
  fail("the page no longer uses the --code-wrap variable: check how Redoc sets code white-space");
}
html = html.replace("</head>", "  <style>:root { --code-wrap: pre-wrap; }</style>\n</head>");

// 4. Telemetry must be off in the page's options.
const options = /const __redoc_options = (\{.*\});/.exec(html);
if (!options?.[1]) {
  fail("could not find the page's __redoc_options");
}
const parsedOptions = JSON.parse(/** @type {string} */ (options?.[1]));
if (parsedOptions.disableTelemetry !== true) {
  fail("the page's options lack disableTelemetry: true (Redoc would send browser telemetry)");
}

// 5. Nothing in the markup or the styles loads from another host.
const offHost = [
  ...html.matchAll(
    /<(?:script|link|img|iframe|source|video|audio|embed|object|track|image|use)\b[^>]*?\s(?:src|href|srcset|data|poster|xlink:href)\s*=\s*["']?\s*((?:https?:)?\/\/[^"'\s>]+)/gi,
  ),
  ...html.matchAll(/url\(\s*["']?\s*((?:https?:)?\/\/[^"')\s]+)/gi),
  ...html.matchAll(/@import\s+(?:url\()?\s*["']?\s*((?:https?:)?\/\/[^"')\s;]+)/gi),
].map((match) => match[1]);
if (offHost.length > 0) {
  fail(`the page loads from another host: ${[...new Set(offHost)].join(", ")}`);
}

writeFileSync(indexHtml, html);

// 6. The bundled spec, for download, in every published form.
for (const name of published) {
  copyFileSync(join(specDir, name), join(workDir, name));
}
rmSync(distDir, { recursive: true, force: true });
renameSync(workDir, distDir);

const kib = (/** @type {string} */ file) =>
  `dist/${file} (${Math.round(statSync(join(distDir, file)).size / 1024)} KiB)`;
console.log(`docs build: ${["index.html", ...published].map(kib).join(", ")}`);
