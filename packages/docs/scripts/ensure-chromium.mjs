// Makes sure Debian's Chromium is at /usr/bin/chromium before the end-to-end test runs.
// The test never skips for want of a browser: when Chromium is missing it is installed from
// Debian's packages (apt-get update, then apt-get install -y chromium), which needs root;
// the shared mechanism is the repository's scripts/lib/ensure-debian.mjs.
// Playwright's own browser download (`playwright install`) is never used: it cannot reach
// its download host here.
import { ensureDebian } from "../../../scripts/lib/ensure-debian.mjs";

export const CHROMIUM = "/usr/bin/chromium";

ensureDebian({
  tag: "ensure-chromium",
  packages: ["chromium"],
  label: "Debian's chromium",
  binary: CHROMIUM,
  // With its Recommends, as always: chromium-common's bring fonts-liberation and Mesa's drivers.
  recommends: true,
});
