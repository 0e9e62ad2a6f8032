// Makes sure Debian's redis-server is at /usr/bin/redis-server before the tests or the
// benchmark run. They never skip for want of it: when it is missing it is installed from
// Debian's packages (apt-get update, then apt-get install -y redis-server), which needs root;
// the shared mechanism is the repository's scripts/lib/ensure-debian.mjs.
// Nothing is started here: each test file starts its own instance on a free loopback port,
// without persistence, and stops it. (apt does not start Debian's own service where
// policy-rc.d forbids it, as in containers; where it does start, that instance on port 6379
// is left alone and never used.)
import { ensureDebian } from "../../../scripts/lib/ensure-debian.mjs";

export const REDIS_SERVER = "/usr/bin/redis-server";

ensureDebian({
  tag: "ensure-redis",
  packages: ["redis-server"],
  label: "Debian's redis-server",
  binary: REDIS_SERVER,
});
