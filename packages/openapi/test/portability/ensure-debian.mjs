// Makes sure the Debian packages the portability tests need are installed before they run:
// Perl's OpenAPI::Client and JSON::Validator (libopenapi-client-perl, which pulls in
// libjson-validator-perl and Mojolicious), an OpenAPI 3.0-only validator from another
// language. The test never skips for want of it: when it is missing it is installed with
// `apt-get update` and `apt-get install -y libopenapi-client-perl`, which needs root; the
// shared mechanism is the repository's scripts/lib/ensure-debian.mjs (which also waits while
// another apt, such as the docs' Chromium set-up, holds apt's lock). Says what it found and
// what it did.
import { spawnSync } from "node:child_process";
import { ensureDebian } from "../../../../scripts/lib/ensure-debian.mjs";

const PROBE = ["-MJSON::Validator", "-MOpenAPI::Client", "-e", "print $JSON::Validator::VERSION"];

ensureDebian({
  tag: "ensure-debian",
  packages: ["libopenapi-client-perl"],
  missing: "Perl's OpenAPI::Client",
  check: () => {
    const probe = spawnSync("perl", PROBE, { encoding: "utf8" });
    return probe.status === 0
      ? { ok: true, found: `JSON::Validator ${probe.stdout} and OpenAPI::Client` }
      : { ok: false, reason: `Perl still cannot load it:\n${probe.stderr}` };
  },
});
