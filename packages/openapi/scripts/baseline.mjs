#!/usr/bin/env node
// The release baseline: packages/openapi/release/openapi.json is the bundled spec of the
// last released version of @helpcrunch-chats/openapi, committed, for the breaking-change
// gate (`pnpm spec:gate` compares spec/openapi.yaml against it).
//
//   node packages/openapi/scripts/baseline.mjs write   # release/openapi.json := openapi.json
//   node packages/openapi/scripts/baseline.mjs check   # exit 1 unless they are the same spec
//
// `write` is run by `pnpm release:version`, right after `changeset version` (which is when a
// new version is decided, and when the pending changesets, major ones included, are used up)
// and after the bundle is rebuilt: from then on, a breaking change is measured against the
// version being released. `check` is run by `pnpm release` before publishing: what is
// published must be what the baseline records. Both need a fresh build (openapi.json).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const PKG = resolve(fileURLToPath(new URL("..", import.meta.url)));
const ROOT = resolve(PKG, "../..");
const BUNDLE = join(PKG, "openapi.json");
const BASELINE = join(PKG, "release", "openapi.json");
const show = (path) => relative(ROOT, path);

function readJson(path, hint) {
  if (!existsSync(path)) {
    console.error(`baseline: ${show(path)} does not exist${hint ? ` (${hint})` : ""}`);
    process.exit(1);
  }
  return JSON.parse(readFileSync(path, "utf8"));
}

const command = process.argv[2];
if (command === "write") {
  const bundle = readJson(BUNDLE, "build @helpcrunch-chats/openapi first");
  mkdirSync(dirname(BASELINE), { recursive: true });
  writeFileSync(BASELINE, `${JSON.stringify(bundle, null, 2)}\n`);
  // Formatted as Biome would, so that `pnpm biome` stays clean.
  const biome = spawnSync(
    join(ROOT, "node_modules", ".bin", "biome"),
    ["format", "--write", BASELINE],
    { cwd: ROOT, stdio: "inherit" },
  );
  if (biome.status !== 0) {
    process.exit(biome.status ?? 1);
  }
  console.log(
    `baseline: ${show(BASELINE)} is now the bundled spec of @helpcrunch-chats/openapi ${readJson(join(PKG, "package.json")).version}`,
  );
} else if (command === "check") {
  const bundle = readJson(BUNDLE, "build @helpcrunch-chats/openapi first");
  const baseline = readJson(BASELINE, "run `pnpm release:version`");
  if (!isDeepStrictEqual(bundle, baseline)) {
    console.error(
      `baseline: ${show(BASELINE)} is not the spec about to be published (${show(BUNDLE)}).\n` +
        "  Run `pnpm release:version` (changeset version, then the baseline is rewritten) and commit, then release.",
    );
    process.exit(1);
  }
  console.log(`baseline: ${show(BASELINE)} matches the spec about to be published`);
} else {
  console.error("usage: baseline.mjs write|check");
  process.exit(2);
}
