import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Timeouts are safety nets, never a measure of speed: each sample runs in a child process
    // killed after 120 s (test/run.ts), and the hooks start Prism and run tsc once over every
    // sample, which takes seconds on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
