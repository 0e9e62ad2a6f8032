#!/usr/bin/env node
// The breaking-change gate of the contract.
//
//   pnpm spec:breaking <base> [<head>]                 (root script)
//   node packages/openapi/scripts/spec-breaking.mjs <base> [<head>] [--changesets <dir>]
//
// Compares two OpenAPI documents (JSON or YAML; <head> defaults to spec/openapi.yaml),
// prints every change classed breaking / non-breaking / annotation for the clients of the
// API (how: see spec-diff.mjs), and exits
//   0  when no change is breaking;
//   1  when a change is breaking, unless --changesets <dir> is given and a pending
//      changeset there announces a `major` release of @helpcrunch-chats/openapi;
//   2  when it cannot compare (unreadable file, not OpenAPI 3.x, bad arguments or a
//      changeset that does not parse).
//
// The test command runs it as `pnpm spec:gate`: the spec of the last release
// (packages/openapi/release/openapi.json) against spec/openapi.yaml, with the pending
// changesets of .changeset/.
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { majorAnnouncements } from "./changesets.mjs";
import { CLASSES, compareSpecs, loadSpec } from "./spec-diff.mjs";

const CONTRACT = "@helpcrunch-chats/openapi";
const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const USAGE = "usage: spec:breaking <base> [<head>] [--changesets <dir>]";

function fail(message) {
  console.error(`spec:breaking: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

const positional = [];
let changesetsDir;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--changesets") {
    changesetsDir = args[++i];
    if (!changesetsDir) {
      fail("--changesets needs a directory");
    }
  } else if (arg === "--help" || arg === "-h") {
    console.log(USAGE);
    process.exit(0);
  } else if (arg.startsWith("-")) {
    fail(`unknown option ${arg}`);
  } else {
    positional.push(arg);
  }
}
if (positional.length < 1 || positional.length > 2) {
  fail("give the base spec, and optionally the head spec");
}
const basePath = resolve(positional[0]);
const headPath = resolve(positional[1] ?? resolve(ROOT, "spec/openapi.yaml"));
const show = (path) => {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
};

// With --changesets, the pending changesets are read (and so validated) whatever the diff:
// one that does not parse would otherwise surface only at `changeset version`.
let announcements = [];
if (changesetsDir) {
  try {
    announcements = majorAnnouncements(resolve(changesetsDir), CONTRACT);
  } catch (error) {
    fail(`cannot read the pending changesets: ${error.message}`);
  }
}

let changes;
try {
  changes = compareSpecs(loadSpec(basePath), loadSpec(headPath));
} catch (error) {
  fail(error.message);
}

const counts = Object.fromEntries(CLASSES.map((c) => [c, 0]));
for (const change of changes) {
  counts[change.class]++;
}
console.log(`spec:breaking ${show(basePath)} -> ${show(headPath)}`);
console.log(
  changes.length
    ? `${changes.length} change(s): ${CLASSES.map((c) => `${counts[c]} ${c}`).join(", ")}`
    : "no changes",
);
for (const cls of CLASSES) {
  const group = changes.filter((change) => change.class === cls);
  if (!group.length) {
    continue;
  }
  console.log(`\n${cls} (${group.length})`);
  for (const change of group) {
    console.log(`  ${cls}: ${change.operation}: ${change.message}`);
    if (change.why) {
      console.log(`      why: ${change.why} (api-smart-diff said: ${change.library})`);
    }
    console.log(`      at ${change.pointer}`);
  }
}

if (!counts.breaking) {
  console.log("\nspec:breaking: no breaking change for clients");
  process.exit(0);
}

if (changesetsDir) {
  if (announcements.length) {
    console.log(
      `\nspec:breaking: ${counts.breaking} breaking change(s), announced as a major release of ${CONTRACT} by ${announcements.map((c) => show(c.file)).join(", ")}`,
    );
    process.exit(0);
  }
  console.error(
    `\nspec:breaking: ${counts.breaking} breaking change(s) for clients, and no pending changeset in ${show(resolve(changesetsDir))} announces a major release of ${CONTRACT}.` +
      `\n  Either undo them, or announce them: run \`pnpm changeset\`, pick ${CONTRACT}, choose "major" and say what clients must change.`,
  );
  process.exit(1);
}
console.error(`\nspec:breaking: ${counts.breaking} breaking change(s) for clients`);
process.exit(1);
