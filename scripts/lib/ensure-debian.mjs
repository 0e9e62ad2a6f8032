// Installs a Debian package that a test or a benchmark needs, once per machine, when it is
// missing: `apt-get update`, then `apt-get install -y <packages>`, as root (apt installs
// system-wide; there is no per-user cache). Shared by the set-up scripts that run before a
// package's tests: packages/docs/scripts/ensure-chromium.mjs,
// packages/rate-limit-redis/scripts/ensure-redis.mjs and
// packages/openapi/test/portability/ensure-debian.mjs. For tests and development only: no
// published package ships or imports it.
//
// turbo runs packages' tasks in parallel, so two of these scripts may install at once on a
// fresh machine: while another apt or dpkg holds apt's lock, apt-get is retried (every 15 s,
// up to 20 times), and the second install then finds the first one's packages in place.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";

/** How often apt-get is tried while another apt or dpkg holds its lock, and how long apart. */
const LOCK_ATTEMPTS = 20;
const LOCK_RETRY_SECONDS = 15;
/** What apt-get prints when another apt or dpkg holds the lock it needs. */
const LOCK_BUSY = /Could not get lock|Unable to lock/;

/**
 * Whether `path` exists and may be executed.
 * @param {string} path
 * @returns {boolean}
 */
export function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a check found: `{ ok: true }`, with `found` to say what is present (printed; without
 * it nothing is printed when nothing needs installing), or `{ ok: false, reason }`, where
 * `reason` ends the failure message printed when the check still fails after an install
 * ("apt-get installed <packages> but <reason>").
 * @typedef {{ ok: true, found?: string } | { ok: false, reason: string }} CheckResult
 */

/**
 * What to make sure of. Give either `binary` or both `missing` and `check`.
 * @typedef {object} DebianNeed
 * @property {string} tag Prefix of every line printed, usually the script's name ("ensure-redis").
 * @property {string[]} packages The Debian packages to install when the check fails.
 * @property {string} [binary] An executable the packages provide ("/usr/bin/redis-server"):
 *   the check is then that it exists and is executable, and `missing` defaults to it.
 * @property {string} [missing] What is missing, as the messages name it ("Perl's OpenAPI::Client").
 * @property {() => CheckResult} [check] Whether what is needed is there now; run before the
 *   install and again after it.
 * @property {string} [label] What is being installed, as the messages name it (default: the
 *   package names).
 * @property {boolean} [recommends] Install the packages' Recommends too (default false:
 *   `--no-install-recommends`).
 */

/**
 * Makes sure a Debian package's contents are present, installing the packages when the check
 * fails (root needed). Says on stderr what it does. Meant for command-line set-up scripts:
 * on failure (not root, apt-get failed, still missing after the install) it prints why and
 * exits the process with 1.
 * @param {DebianNeed} need
 * @returns {void}
 */
export function ensureDebian(need) {
  const { tag, packages, binary } = need;
  const missing = need.missing ?? binary;
  const check = need.check ?? (binary === undefined ? undefined : executableCheck(binary));
  if (missing === undefined || check === undefined) {
    throw new Error(`${tag}: ensureDebian needs \`binary\`, or \`missing\` and \`check\``);
  }
  const names = packages.join(" ");
  const found = check();
  if (found.ok) {
    if (found.found !== undefined) {
      console.error(`${tag}: ${found.found} present; nothing to install`);
    }
    return;
  }
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    fail(
      `${tag}: ${missing} is missing and installing it needs root.\n` +
        `Run as root, or install it once yourself: apt-get update && apt-get install -y ${names}`,
    );
  }
  console.error(
    `${tag}: ${missing} is missing; installing ${need.label ?? names} (once per machine)`,
  );
  aptGet(tag, ["update"]);
  aptGet(tag, [
    "install",
    "-y",
    ...(need.recommends ? [] : ["--no-install-recommends"]),
    ...packages,
  ]);
  const after = check();
  if (!after.ok) {
    fail(`${tag}: apt-get installed ${names} but ${after.reason}`);
  }
  if (after.found !== undefined) {
    console.error(`${tag}: installed; ${after.found}`);
  }
}

/**
 * @param {string} path
 * @returns {() => CheckResult}
 */
function executableCheck(path) {
  return () =>
    isExecutable(path) ? { ok: true } : { ok: false, reason: `${path} is still missing` };
}

/**
 * Runs apt-get non-interactively, stdout shown as it comes; while another apt or dpkg holds
 * its lock, waits and tries again. Exits the process with 1 if it fails otherwise or the lock
 * stays busy.
 * @param {string} tag
 * @param {string[]} args
 */
function aptGet(tag, args) {
  const line = `apt-get ${args.join(" ")}`;
  console.error(`${tag}: ${line}`);
  let result;
  for (let attempt = 1; ; attempt++) {
    // stderr is read (and then shown) to recognise a busy lock.
    result = spawnSync("apt-get", args, {
      stdio: ["ignore", "inherit", "pipe"],
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    process.stderr.write(result.stderr ?? "");
    if (result.status === 0 || !LOCK_BUSY.test(result.stderr ?? "") || attempt >= LOCK_ATTEMPTS) {
      break;
    }
    console.error(
      `${tag}: the apt lock is busy; trying again in ${LOCK_RETRY_SECONDS} s (${attempt}/${LOCK_ATTEMPTS})`,
    );
    spawnSync("sleep", [String(LOCK_RETRY_SECONDS)]);
  }
  if (result.error || result.status !== 0) {
    fail(`${tag}: \`${line}\` failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
  console.error(message);
  process.exit(1);
}
