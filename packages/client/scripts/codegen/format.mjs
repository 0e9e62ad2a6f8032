// Formats generated code with the repository's Biome (its biome.json), so the committed
// files are byte-for-byte what Biome would write and the drift check compares like with like.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const biome = createRequire(`${root}package.json`).resolve("@biomejs/biome/bin/biome");

/**
 * `code` as Biome formats and safely fixes it (imports sorted as its assist wants);
 * `name` only says which language it is (`x.ts`, `x.d.ts`).
 */
export function format(code, name) {
  // A stand-in path outside src/generated, which biome.json leaves out of its checks.
  const result = spawnSync(
    process.execPath,
    [biome, "check", "--write", `--stdin-file-path=${name}`],
    {
      cwd: root,
      input: code,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0 || !result.stdout) {
    throw new Error(`biome check failed on ${name}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}
