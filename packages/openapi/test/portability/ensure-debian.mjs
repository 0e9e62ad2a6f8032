// Makes sure the Debian packages the portability tests need are installed before they run:
// Perl's OpenAPI::Client and JSON::Validator (libopenapi-client-perl, which pulls in
// libjson-validator-perl and Mojolicious), an OpenAPI 3.0-only validator from another
// language. The test never skips for want of it: when it is missing it is installed with
// `apt-get update` and `apt-get install -y libopenapi-client-perl`, which needs root. Says
// what it found and what it did.
import { spawnSync } from "node:child_process";

const PACKAGES = ["libopenapi-client-perl"];
const PROBE = ["-MJSON::Validator", "-MOpenAPI::Client", "-e", "print $JSON::Validator::VERSION"];

const probe = () => spawnSync("perl", PROBE, { encoding: "utf8" });

/**
 * Runs apt-get; while another apt or dpkg holds its lock (the docs' Chromium set-up is
 * ordered before this task in turbo.json, but the machine may run others), waits and tries
 * again, up to 20 times.
 * @param {string} command
 * @param {string[]} args
 */
const run = (command, args) => {
  console.error(`ensure-debian: ${command} ${args.join(" ")}`);
  let result;
  for (let attempt = 1; attempt <= 20; attempt++) {
    result = spawnSync(command, args, {
      stdio: ["ignore", "inherit", "pipe"],
      encoding: "utf8",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    process.stderr.write(result.stderr ?? "");
    if (result.status === 0 || !/Could not get lock|Unable to lock/.test(result.stderr ?? "")) {
      break;
    }
    console.error(`ensure-debian: the apt lock is busy; trying again in 15 s (${attempt}/20)`);
    spawnSync("sleep", ["15"]);
  }
  if (result.error || result.status !== 0) {
    console.error(
      `ensure-debian: \`${command} ${args.join(" ")}\` failed (${result.error?.message ?? `exit ${result.status}`})`,
    );
    process.exit(1);
  }
};

let found = probe();
if (found.status === 0) {
  console.error(
    `ensure-debian: JSON::Validator ${found.stdout} and OpenAPI::Client present; nothing to install`,
  );
} else {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    console.error(
      `ensure-debian: Perl's OpenAPI::Client is missing and installing it needs root.\n` +
        `Run as root, or install it once yourself: apt-get update && apt-get install -y ${PACKAGES.join(" ")}`,
    );
    process.exit(1);
  }
  console.error(
    `ensure-debian: Perl's OpenAPI::Client is missing; installing ${PACKAGES.join(" ")} (once per machine)`,
  );
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "--no-install-recommends", ...PACKAGES]);
  found = probe();
  if (found.status !== 0) {
    console.error(
      `ensure-debian: apt-get installed ${PACKAGES.join(" ")} but Perl still cannot load it:\n${found.stderr}`,
    );
    process.exit(1);
  }
  console.error(`ensure-debian: installed; JSON::Validator ${found.stdout}`);
}
