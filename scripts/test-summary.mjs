// Closes the test command with one line that counts every vitest test of the workspace,
// read from the JSON report each package's test task writes to .artifacts/vitest.json:
//   "303 passed, 0 failed"
// Exits 1 when a package's report is missing or any test failed, so a skipped or broken suite
// cannot go unnoticed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { workspacePackages } from "./lib/workspace.mjs";

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
for (const { dir } of workspacePackages()) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (!manifest.scripts?.test?.includes("vitest")) {
    continue;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(join(dir, ".artifacts/vitest.json"), "utf8"));
  } catch {
    problems.push(`${manifest.name}: no vitest report (.artifacts/vitest.json)`);
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${manifest.name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  if (report.numTotalTests === 0) {
    problems.push(`${manifest.name}: ran no test`);
  }
}
for (const problem of problems) {
  console.error(`test-summary: ${problem}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || skipped || problems.length ? 1 : 0);
