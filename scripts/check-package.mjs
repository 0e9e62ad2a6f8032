#!/usr/bin/env node
// Checks what consumers of a public package will actually install: the tarball, not the
// working tree. Run from a package directory, as that package's `check:package` script:
//
//   "check:package": "node ../../scripts/check-package.mjs"
//
// turbo runs it after the package's build (see turbo.json), and the root `test` script runs
// it for every package that has the script. It:
//
//   1. packs the package with `pnpm pack` into a temporary directory (pnpm, not npm, because
//      `pnpm publish` is what `changeset publish` runs here, and only pnpm rewrites the
//      `workspace:`/`catalog:` specifiers the same way);
//   2. checks the tarball's contents: nothing that is not for consumers (tests, fixtures,
//      tsconfig, tool configs), no source map or sourceMappingURL pointing to a file that is
//      not shipped, every file that `exports`/`main`/`module`/`types`/`typings`/`browser`/`bin`
//      names is present, every `files` entry matched something, every relative import of the
//      shipped JavaScript resolves to a shipped file, and no `workspace:`/`catalog:` specifier
//      survived into the packed package.json;
//   3. runs publint on the tarball (strict: warnings fail too);
//   4. runs arethetypeswrong on the tarball (tarball mode, the equivalent of `--pack` for a
//      tarball that pnpm made) with the `esm-only` profile. Our packages are ESM only
//      (`"type": "module"`, no `require` condition) for Node 20+ and bundlers, so the
//      resolutions that matter are `node16` from ESM (what Node 20+ and `moduleResolution:
//      node16/nodenext` do) and `bundler`. `esm-only` checks exactly those and ignores
//      `node10` (pre-exports resolution, which ignores `exports` altogether) and
//      `node16-cjs` (a CommonJS importer, which can only `import()` an ESM-only package: by
//      design here, not a bug). `strict` would fail every ESM-only package on that second
//      point; `node16` would still demand CommonJS support. Entry points whose targets are
//      data files TypeScript cannot resolve (e.g. `./openapi.yaml`) are left out of attw;
//      step 2 has already checked that they are present.
//   5. checks what the registry's page shows: the packed package.json names its
//      `repository` (with `directory`), `homepage`, `bugs` and `license`; a LICENSE file is
//      in the tarball; and no link in the tarball's README is relative (a relative link
//      resolves against the registry's page, where it leads nowhere).
//
// Exits 1 with one line per problem when any check fails.
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, posix, relative } from "node:path";
import { formatSize, pack, ROOT, run, tempDir } from "./lib/workspace.mjs";

const pkgDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const label = `${manifest.name}@${manifest.version}`;

if (manifest.private) {
  console.error(
    `check:package: ${manifest.name} is private and never published; nothing to check.`,
  );
  process.exit(1);
}

/** Files that must never reach the registry, with the reason shown to the author. */
const FORBIDDEN = [
  [/(^|\/)(test|tests|__tests__|__mocks__)\//, "a test directory"],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, "a test file"],
  [/\.test-d\.[cm]?ts$/, "a type test"],
  [/(^|\/)(fixtures?|__fixtures__)\//, "a test fixture"],
  [/\.fixtures?\.[^/]+$/, "a test fixture"],
  [/(^|\/)tsconfig([.-][^/]*)?\.json$/, "a tsconfig"],
  [/\.tsbuildinfo$/, "a TypeScript build cache"],
  [
    /(^|\/)(vitest|vite|tsdown|tsup|rollup|eslint|jest|playwright)\.config\.[^/]+$/,
    "a tool configuration",
  ],
  [/(^|\/)(turbo|biome|biome\.jsonc|\.attw)\.json$/, "a tool configuration"],
  [/(^|\/)redocly\.ya?ml$/, "a tool configuration"],
  [/(^|\/)\.(turbo|github|vscode|idea|changeset)\//, "a repository folder"],
  [/(^|\/)(node_modules|coverage|\.artifacts)\//, "a build or test artefact"],
  [/(^|\/)\.env(\.[^/]*)?$/, "an environment file"],
  [/\.(tgz|log)$/, "a build or test artefact"],
  [/(^|\/)\.DS_Store$/, "an editor artefact"],
];

/** Entry-point extensions TypeScript resolves; anything else is a data file (see step 4). */
const MODULE_EXTENSIONS = new Set([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".json", ".node"]);

/** Links in Markdown: inline `[text](target)`, reference `[id]: target`, HTML href/src. */
const LINK_PATTERNS = [
  /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm,
  /\b(?:href|src)\s*=\s*["']([^"']+)["']/g,
];

const problems = [];
const notes = [];
const problem = (check, message) => problems.push(`[${check}] ${message}`);

console.log(`check:package ${label}`);
const temp = tempDir("check-package-");
try {
  // 1. Pack.
  const packed = pack(pkgDir, temp.dir);
  console.log(
    `  packed ${relative(temp.dir, packed.filename)}: ${formatSize(packed.size)}, ${packed.files.length} files`,
  );
  const unpacked = join(temp.dir, "unpacked");
  mkdirSync(unpacked);
  run("tar", ["-xzf", packed.filename, "-C", unpacked]);
  const root = join(unpacked, "package");
  const files = listFiles(root);
  const shipped = new Set(files);

  // 2. Contents.
  const before = problems.length;
  checkForbidden(files);
  const entryPoints = checkEntryPoints(root, shipped);
  checkFilesField(shipped);
  const maps = checkSourceMaps(root, files, shipped);
  checkRelativeImports(root, files, shipped);
  checkPackedManifest(root);
  report(
    "contents",
    before,
    `${files.length} files, no tests, fixtures, tsconfig or tool configs; ${entryPoints.size} entry-point files present; ${maps ? `${maps} source maps complete` : "no source maps"}`,
  );

  // 5. What the registry's page shows (before publint, which needs the tarball read).
  const beforeMetadata = problems.length;
  checkMetadata(root, shipped);
  report(
    "metadata",
    beforeMetadata,
    "repository, homepage, bugs and license set; LICENSE shipped; README links absolute",
  );

  // 3. publint.
  const beforePublint = problems.length;
  const { publint } = await import("publint");
  const { formatMessage } = await import("publint/utils");
  const tarball = readFileSync(packed.filename);
  const lint = await publint({
    pack: {
      tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length),
    },
    strict: true,
  });
  for (const message of lint.messages) {
    const text = formatMessage(message, lint.pkg, { color: false }) ?? message.code;
    if (message.type === "suggestion") {
      notes.push(`publint suggests: ${text}`);
    } else {
      problem("publint", text);
    }
  }
  report("publint", beforePublint, "no errors or warnings (strict)");

  // 4. arethetypeswrong.
  const beforeAttw = problems.length;
  const dataEntryPoints = dataOnlyEntryPoints(manifest.exports);
  const attwArgs = [
    packed.filename,
    "--profile",
    "esm-only",
    // Never ask the registry for @types packages: the package must carry its own types.
    "--no-definitely-typed",
    "--format",
    "ascii",
    "--no-color",
    ...(dataEntryPoints.length ? ["--exclude-entrypoints", ...dataEntryPoints] : []),
  ];
  try {
    run(join(ROOT, "node_modules", ".bin", "attw"), attwArgs, { cwd: temp.dir });
  } catch (error) {
    problem(
      "attw",
      `arethetypeswrong found problems (profile esm-only):\n${indent(error.message)}`,
    );
  }
  report(
    "attw",
    beforeAttw,
    `types resolve under node16 (ESM) and bundler (profile esm-only)${dataEntryPoints.length ? `; data entry points left out: ${dataEntryPoints.join(", ")}` : ""}`,
  );
} catch (error) {
  problem("pack", error.message);
} finally {
  temp.remove();
}

for (const note of notes) {
  console.log(`  note: ${note}`);
}
if (problems.length) {
  console.error(`\ncheck:package: ${label} FAILED, ${problems.length} problem(s):`);
  for (const line of problems) {
    console.error(`  - ${line}`);
  }
  process.exit(1);
}
console.log(`check:package: ${label} OK`);

// ---------------------------------------------------------------------------------------

function report(check, before, okText) {
  const count = problems.length - before;
  console.log(count ? `  ✗ ${check}: ${count} problem(s)` : `  ✓ ${check}: ${okText}`);
}

function indent(text) {
  return text
    .split("\n")
    .map((line) => `      ${line}`)
    .join("\n");
}

/** Every file under `dir`, as a POSIX path relative to it. */
function listFiles(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push(...listFiles(dir, rel));
    } else {
      out.push(rel);
    }
  }
  return out.sort();
}

function checkForbidden(files) {
  for (const file of files) {
    const hit = FORBIDDEN.find(([pattern]) => pattern.test(file));
    if (hit) {
      problem(
        "contents",
        `${file} is ${hit[1]}: it is of no use to consumers; narrow "files" in package.json (or add a "!" pattern) so it stays out of the tarball`,
      );
    }
  }
}

/** "./dist/index.js" -> "dist/index.js" */
function normalise(target) {
  return posix.normalize(target.replace(/^\.\//, ""));
}

/**
 * Checks that every file the manifest points consumers to is in the tarball; returns the
 * set of those files.
 */
function checkEntryPoints(root, shipped) {
  const found = new Set();
  const expect = (where, target) => {
    if (typeof target !== "string") {
      return;
    }
    const file = normalise(target);
    if (file.includes("*")) {
      // A subpath pattern: at least one shipped file must match it.
      const [head, tail] = file.split("*");
      const matches = [...shipped].filter(
        (f) => f.startsWith(head) && f.endsWith(tail) && f.length >= head.length + tail.length,
      );
      if (!matches.length) {
        problem("contents", `${where} is "${target}", but no file in the tarball matches it`);
      }
      for (const match of matches) {
        found.add(match);
      }
      return;
    }
    if (shipped.has(file)) {
      found.add(file);
      return;
    }
    const isDir = statSafe(join(root, file))?.isDirectory();
    problem(
      "contents",
      isDir
        ? `${where} is "${target}", a directory: it must name a file`
        : `${where} is "${target}", which is not in the tarball (is the build output missing, or left out by "files"?)`,
    );
  };
  for (const field of ["main", "module", "types", "typings"]) {
    expect(field, manifest[field]);
  }
  if (typeof manifest.browser === "string") {
    expect("browser", manifest.browser);
  }
  if (typeof manifest.bin === "string") {
    expect("bin", manifest.bin);
  } else if (manifest.bin && typeof manifest.bin === "object") {
    for (const [name, target] of Object.entries(manifest.bin)) {
      expect(`bin["${name}"]`, target);
    }
  }
  const walkExports = (node, where) => {
    if (typeof node === "string") {
      expect(where, node);
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walkExports(item, `${where}[${i}]`);
      });
    } else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        walkExports(value, `${where}["${key}"]`);
      }
    }
  };
  walkExports(manifest.exports, "exports");
  return found;
}

/** Each plain (glob-free) entry of `files` must have put something in the tarball. */
function checkFilesField(shipped) {
  for (const entry of manifest.files ?? []) {
    if (entry.startsWith("!") || /[*?[\]{}]/.test(entry)) {
      continue;
    }
    const path = normalise(entry).replace(/\/$/, "");
    const matched = [...shipped].some((f) => f === path || f.startsWith(`${path}/`));
    if (!matched) {
      problem(
        "contents",
        `"files" lists "${entry}", but nothing in the tarball comes from it (not built yet?)`,
      );
    }
  }
}

/**
 * Source maps must not point at files that are not shipped: every `sources` entry must be
 * in the tarball, or have its text inlined in `sourcesContent` (then the map is complete on
 * its own). Every `sourceMappingURL` comment must name a shipped map. Returns the number
 * of maps checked.
 */
function checkSourceMaps(root, files, shipped) {
  let count = 0;
  for (const file of files) {
    if (file.endsWith(".map")) {
      count++;
      let map;
      try {
        map = JSON.parse(readFileSync(join(root, file), "utf8"));
      } catch (error) {
        problem("contents", `${file} is not a valid source map: ${error.message}`);
        continue;
      }
      const base = posix.join(posix.dirname(file), map.sourceRoot ?? "");
      (map.sources ?? []).forEach((source, i) => {
        if (typeof map.sourcesContent?.[i] === "string") {
          return;
        }
        const target = posix.normalize(posix.join(base, source));
        if (
          /^[a-z][a-z0-9+.-]*:/i.test(source) ||
          target.startsWith("../") ||
          !shipped.has(target)
        ) {
          problem(
            "contents",
            `${file} points to ${source}, which is not in the tarball and not inlined in sourcesContent: ship the source, inline it, or do not ship the map`,
          );
        }
      });
    } else if (/\.(m|c)?js$|\.d\.(m|c)?ts$|\.css$/.test(file)) {
      const text = readFileSync(join(root, file), "utf8");
      for (const match of text.matchAll(/[#@] sourceMappingURL=(\S+)\s*(?:\*\/)?\s*$/gm)) {
        const url = match[1];
        if (url.startsWith("data:")) {
          continue;
        }
        const target = posix.normalize(posix.join(posix.dirname(file), decodeURI(url)));
        if (!shipped.has(target)) {
          problem(
            "contents",
            `${file} names the source map ${url}, which is not in the tarball: ship it or build without the comment`,
          );
        }
      }
    }
  }
  return count;
}

/**
 * The shipped JavaScript must not import a relative file that is not shipped (a chunk left
 * out by "files", a test helper, ...). ESM needs full relative specifiers, so the check is
 * exact. (Declaration files are attw's job: it reports an unresolvable internal import.)
 */
function checkRelativeImports(root, files, shipped) {
  const specifiers =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
  for (const file of files) {
    if (!/\.(m|c)?js$/.test(file)) {
      continue;
    }
    const text = readFileSync(join(root, file), "utf8");
    for (const match of text.matchAll(specifiers)) {
      const target = posix.normalize(posix.join(posix.dirname(file), match[1]));
      const candidates = [target, `${target}.js`, `${target}/index.js`];
      if (!candidates.some((c) => shipped.has(c))) {
        problem("contents", `${file} imports "${match[1]}", which is not in the tarball`);
      }
    }
  }
}

/** pnpm pack rewrites workspace:/catalog: specifiers; none may survive into the tarball. */
function checkPackedManifest(root) {
  const packedManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  for (const field of [
    "dependencies",
    "peerDependencies",
    "optionalDependencies",
    "devDependencies",
  ]) {
    for (const [name, spec] of Object.entries(packedManifest[field] ?? {})) {
      if (/^(workspace|catalog|link|file):/.test(String(spec))) {
        problem(
          "contents",
          `the packed package.json has ${field}["${name}"] = "${spec}", which no registry can resolve`,
        );
      }
    }
  }
}

/**
 * The registry shows the packed package.json and README: the fields that link a package to
 * its source must be there, the licence text must ship, and README links must be absolute
 * (an in-page `#anchor` is fine; `mailto:` and other schemes are absolute).
 */
function checkMetadata(root, shipped) {
  const packedManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const { repository, homepage, bugs, license } = packedManifest;
  if (!repository || typeof repository !== "object" || !repository.url || !repository.directory) {
    problem(
      "metadata",
      '"repository" must be an object with "type", "url" and "directory" (the package\'s folder in the repository)',
    );
  }
  if (typeof homepage !== "string" || !/^https:\/\//.test(homepage)) {
    problem("metadata", '"homepage" must be an https URL');
  }
  const bugsUrl = typeof bugs === "string" ? bugs : bugs?.url;
  if (typeof bugsUrl !== "string" || !/^https:\/\//.test(bugsUrl)) {
    problem("metadata", '"bugs" must carry an https URL (the issue tracker)');
  }
  if (typeof license !== "string" || !license) {
    problem("metadata", '"license" must be an SPDX identifier');
  }
  const licenseFile = [...shipped].find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  if (!licenseFile) {
    problem("metadata", "no LICENSE file at the top of the tarball: add one beside package.json");
  }
  for (const readme of [...shipped].filter((f) => /(^|\/)readme(\.md|\.markdown)?$/i.test(f))) {
    const text = readFileSync(join(root, readme), "utf8").replace(/```[\s\S]*?```/g, "");
    for (const pattern of LINK_PATTERNS) {
      for (const match of text.matchAll(pattern)) {
        const target = match[1];
        if (!target.startsWith("#") && !/^[a-z][a-z0-9+.-]*:/i.test(target)) {
          problem(
            "metadata",
            `${readme} links to "${target}", a relative link that leads nowhere on the registry's page: make it absolute (https://github.com/…/blob/main/…)`,
          );
        }
      }
    }
  }
}

/** Export subpaths all of whose targets are data files (e.g. "./openapi.yaml"). */
function dataOnlyEntryPoints(exportsField) {
  if (!exportsField || typeof exportsField !== "object" || Array.isArray(exportsField)) {
    return [];
  }
  const keys = Object.keys(exportsField);
  if (!keys.every((key) => key.startsWith("."))) {
    return []; // conditions at the top level: a single "." entry point
  }
  const targets = (node) =>
    typeof node === "string"
      ? [node]
      : node && typeof node === "object"
        ? Object.values(node).flatMap(targets)
        : [];
  return keys.filter((key) => {
    const all = targets(exportsField[key]);
    return all.length > 0 && all.every((t) => !MODULE_EXTENSIONS.has(extname(t)));
  });
}

function statSafe(path) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
