#!/usr/bin/env node
// Releases the public packages (@helpcrunch-chats/openapi, types, client, mock and
// rate-limit-redis: one version for all five, see .changeset/config.json). Three steps, three root scripts:
//
//   pnpm release:version   `changeset version` (bumps the versions and writes each
//                          package's CHANGELOG.md from the pending changesets, which it
//                          deletes), rebuilds the contract and rewrites the breaking-change
//                          gate's baseline, packages/openapi/release/openapi.json. Review
//                          and commit the result.
//   pnpm release           from a clean checkout of that commit: builds, runs every check
//                          (the full `pnpm test`), checks that the baseline is the spec
//                          about to be published, then `changeset publish` (pnpm publish of
//                          every public package whose version is not on the registry yet,
//                          and a git tag for each).
//   pnpm release:dry-run   builds, then packs every public package into a temporary
//                          directory and lists each tarball and its size. Publishes nothing
//                          and runs no tests: `pnpm test` itself ends with this dry run, so
//                          it must not call the test command back.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pendingChangesets } from "../packages/openapi/scripts/changesets.mjs";
import { formatSize, pack, publicPackages, ROOT, run, tempDir } from "./lib/workspace.mjs";

const CHANGESETS = join(ROOT, ".changeset");
const BASELINE_SCRIPT = join(ROOT, "packages/openapi/scripts/baseline.mjs");

const step = (text) => console.log(`\nrelease: ${text}`);
const sh = (command, args) => run(command, args, { inherit: true });

function dryRun() {
  step("building every package (pnpm run build)");
  sh("pnpm", ["run", "build"]);

  const packages = publicPackages();
  const unchecked = packages.filter((pkg) => !readScripts(pkg.dir)["check:package"]);
  step(`packing ${packages.length} public package(s) with pnpm pack; nothing is published`);
  const temp = tempDir("release-dry-run-");
  try {
    let total = 0;
    for (const pkg of packages) {
      const packed = pack(pkg.dir, temp.dir);
      total += packed.size;
      console.log(
        `  ${`${packed.name}@${packed.version}`.padEnd(36)} ${packed.filename.slice(temp.dir.length + 1).padEnd(40)} ${formatSize(packed.size).padStart(8)}  ${packed.files.length} files`,
      );
    }
    console.log(`  ${"total".padEnd(77)} ${formatSize(total).padStart(8)}`);
  } finally {
    temp.remove();
  }

  const pending = pendingChangesets(CHANGESETS);
  console.log(
    pending.length
      ? `\n${pending.length} pending changeset(s), to be turned into versions by \`pnpm release:version\`:\n${pending
          .map(
            (c) =>
              `  ${c.file.slice(ROOT.length + 1)}: ${c.releases.map((r) => `${r.name} ${r.type}`).join(", ")}`,
          )
          .join("\n")}`
      : "\nno pending changeset: `pnpm release` would publish the versions above if the registry lacks them",
  );
  if (unchecked.length) {
    throw new Error(
      `public package(s) without a "check:package" script, whose tarball nothing checks: ${unchecked.map((p) => p.name).join(", ")}.\n` +
        `  Add "check:package": "node ../../scripts/check-package.mjs" to their package.json scripts.`,
    );
  }
  console.log("\nrelease: dry run done; nothing was published");
}

function version() {
  const pending = pendingChangesets(CHANGESETS);
  if (!pending.length) {
    throw new Error(
      "no pending changeset in .changeset/: nothing to version (add one with `pnpm changeset`)",
    );
  }
  // The contract is built first, so that a spec that does not build stops the release
  // before anything is versioned. The bundle does not carry the package version, so the
  // one built here is the one the new version publishes.
  step("building the contract (the bundle becomes the gate's new baseline)");
  sh("pnpm", ["exec", "turbo", "run", "build", "--filter", "@helpcrunch-chats/openapi"]);
  step(`changeset version (${pending.length} pending changeset(s))`);
  sh("pnpm", ["exec", "changeset", "version"]);
  // changesets formats only with Prettier and the like; Biome formats Markdown here, so the
  // changelogs it wrote are put in Biome's shape, and `pnpm biome` stays clean.
  const changelogs = publicPackages()
    .map((pkg) => join(pkg.dir, "CHANGELOG.md"))
    .filter((file) => existsSync(file));
  if (changelogs.length) {
    sh(join(ROOT, "node_modules", ".bin", "biome"), ["format", "--write", ...changelogs]);
  }
  step("rewriting the breaking-change gate's baseline");
  sh("node", [BASELINE_SCRIPT, "write"]);
  console.log(
    "\nrelease: versions, changelogs and baseline written. Review them (git diff), commit, then run `pnpm release` from that commit.",
  );
}

function release() {
  const dirty = run("git", ["status", "--porcelain"]).stdout.trim();
  if (dirty) {
    throw new Error(
      `the working tree has uncommitted changes; release from a clean checkout of the release commit:\n${dirty}`,
    );
  }
  const pending = pendingChangesets(CHANGESETS);
  if (pending.length) {
    throw new Error(
      `${pending.length} pending changeset(s) in .changeset/: run \`pnpm release:version\`, commit, then release`,
    );
  }
  step("building every package (pnpm run build)");
  sh("pnpm", ["run", "build"]);
  step("running every check (pnpm run test)");
  sh("pnpm", ["run", "test"]);
  step("checking that the gate's baseline is the spec about to be published");
  sh("node", [BASELINE_SCRIPT, "check"]);
  step("publishing (changeset publish)");
  sh("pnpm", ["exec", "changeset", "publish"]);
  console.log("\nrelease: published. Push the release tags: git push --follow-tags");
}

function readScripts(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts ?? {};
}

const args = process.argv.slice(2);
try {
  if (args.length === 1 && args[0] === "--dry-run") {
    dryRun();
  } else if (args.length === 1 && args[0] === "version") {
    version();
  } else if (args.length === 0) {
    release();
  } else {
    console.error("usage: release.mjs [--dry-run | version]");
    process.exit(2);
  }
} catch (error) {
  console.error(`\nrelease: ${error.message}`);
  process.exit(1);
}
