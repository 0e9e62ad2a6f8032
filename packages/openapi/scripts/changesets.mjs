// Reads the pending changesets of the repository, with changesets' own parser.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseChangesetFile } from "@changesets/parse";

/**
 * The pending changesets in `dir` (normally .changeset/): every `*.md` but its README,
 * as `{ file, summary, releases: [{ name, type }] }`. In pre mode, the changesets that
 * .changeset/pre.json lists were versioned already and are left out. A changeset that does
 * not parse throws: `changeset version` would refuse it too.
 */
export function pendingChangesets(dir) {
  if (!existsSync(dir)) {
    return [];
  }
  let versioned = new Set();
  const preFile = join(dir, "pre.json");
  if (existsSync(preFile)) {
    versioned = new Set(JSON.parse(readFileSync(preFile, "utf8")).changesets ?? []);
  }
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md") && file.toLowerCase() !== "readme.md")
    .filter((file) => !versioned.has(file.slice(0, -".md".length)))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      try {
        return { file: path, ...parseChangesetFile(readFileSync(path, "utf8")) };
      } catch (error) {
        throw new Error(`${path}: ${error.message}`);
      }
    });
}

/** The pending changesets that announce a `major` release of `packageName`. */
export function majorAnnouncements(dir, packageName) {
  return pendingChangesets(dir).filter((changeset) =>
    changeset.releases.some((release) => release.name === packageName && release.type === "major"),
  );
}
