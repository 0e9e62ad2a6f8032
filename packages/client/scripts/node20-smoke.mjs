// The client claims Node 20+: this runs the built dist on Node 20 itself. It fetches a Node 20
// binary from the npm registry into the repository's .toolchain/ (once; git-ignored), then runs
// scripts/node20-calls.mjs with it against a loopback server and checks what it printed.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const NODE_20 = "20.20.2";
const prefix = fileURLToPath(new URL(`../../../.toolchain/node-${NODE_20}/`, import.meta.url));
const node = `${prefix}node_modules/node/bin/node`;
if (!existsSync(node)) {
  console.log(`node20-smoke: fetching node@${NODE_20} into .toolchain/`);
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      "--prefix",
      prefix,
      `node@${NODE_20}`,
    ],
    { stdio: "inherit" },
  );
}
const calls = fileURLToPath(new URL("./node20-calls.mjs", import.meta.url));
const out = execFileSync(node, [calls], { encoding: "utf8" }).trim();
const expected = `v${NODE_20} chat=on hold notFound=NotFoundError retried429=542335 aborted=AbortError timeout=TimeoutError`;
if (out !== expected) {
  console.error(`node20-smoke: FAIL\n  got:      ${out}\n  expected: ${expected}`);
  process.exit(1);
}
console.log(`node20-smoke: ok: ${out}`);
