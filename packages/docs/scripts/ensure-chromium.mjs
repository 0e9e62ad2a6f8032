// Makes sure Debian's Chromium is at /usr/bin/chromium before the end-to-end test runs.
// The test never skips for want of a browser: when Chromium is missing it is installed from
// Debian's packages (apt-get update, then apt-get install -y chromium), which needs root.
// Playwright's own browser download (`playwright install`) is never used: it cannot reach
// its download host here.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

/** @param {string} path */
const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * @param {string} command
 * @param {string[]} args
 */
const run = (command, args) => {
  console.error(`ensure-chromium: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error || result.status !== 0) {
    console.error(
      `ensure-chromium: \`${command} ${args.join(" ")}\` failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
    process.exit(1);
  }
};

if (!isExecutable(CHROMIUM)) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    console.error(
      `ensure-chromium: ${CHROMIUM} is missing and installing it needs root.\n` +
        "Run as root, or install it once yourself: apt-get update && apt-get install -y chromium",
    );
    process.exit(1);
  }
  console.error(
    `ensure-chromium: ${CHROMIUM} is missing; installing Debian's chromium (once per machine)`,
  );
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "chromium"]);
  if (!isExecutable(CHROMIUM)) {
    console.error(`ensure-chromium: apt-get installed chromium but ${CHROMIUM} is still missing`);
    process.exit(1);
  }
}
