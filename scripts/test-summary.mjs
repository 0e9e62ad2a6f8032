// Closes the test command with one line that counts every vitest test of the workspace,
// read from the JSON reports the packages' scripts write (`--outputFile.json=...`):
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
  // Every vitest report a script of the package writes (`--outputFile.json=<path>`): the
  // test task's, and any other suite's (the contract's portability checks, the examples).
  const reports = Object.values(manifest.scripts ?? {}).flatMap((script) =>
    [...String(script).matchAll(/--outputFile\.json=(\S+)/g)].map((match) => match[1]),
  );
  for (const path of reports) {
    let report;
    try {
      report = JSON.parse(readFileSync(join(dir, path), "utf8"));
    } catch {
      problems.push(`${manifest.name}: no vitest report (${path})`);
      continue;
    }
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    console.log(
      `${manifest.name} (${path}): ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
    );
    if (report.numTotalTests === 0) {
      problems.push(`${manifest.name}: ${path} ran no test`);
    }
    // A test file that failed to load fails no test, but fails its suite.
    if (report.numFailedTestSuites > 0) {
      problems.push(
        `${manifest.name}: ${report.numFailedTestSuites} test file(s) failed in ${path}`,
      );
    }
  }
}
for (const problem of problems) {
  console.error(`test-summary: ${problem}`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || skipped || problems.length ? 1 : 0);
