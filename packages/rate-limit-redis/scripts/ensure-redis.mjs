// Makes sure Debian's redis-server is at /usr/bin/redis-server before the tests or the
// benchmark run. They never skip for want of it: when it is missing it is installed from
// Debian's packages (apt-get update, then apt-get install -y redis-server), which needs root.
// Nothing is started here: each test file starts its own instance on a free loopback port,
// without persistence, and stops it. (apt does not start Debian's own service where
// policy-rc.d forbids it, as in containers; where it does start, that instance on port 6379
// is left alone and never used.)
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

export const REDIS_SERVER = "/usr/bin/redis-server";

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
  console.error(`ensure-redis: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error || result.status !== 0) {
    console.error(
      `ensure-redis: \`${command} ${args.join(" ")}\` failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
    process.exit(1);
  }
};

if (!isExecutable(REDIS_SERVER)) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    console.error(
      `ensure-redis: ${REDIS_SERVER} is missing and installing it needs root.\n` +
        "Run as root, or install it once yourself: apt-get update && apt-get install -y redis-server",
    );
    process.exit(1);
  }
  console.error(
    `ensure-redis: ${REDIS_SERVER} is missing; installing Debian's redis-server (once per machine)`,
  );
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"]);
  if (!isExecutable(REDIS_SERVER)) {
    console.error(
      `ensure-redis: apt-get installed redis-server but ${REDIS_SERVER} is still missing`,
    );
    process.exit(1);
  }
}
