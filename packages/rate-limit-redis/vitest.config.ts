import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every file starts its own redis-server; the multi-process test forks workers that run
    // for several seconds of real time. Generous limits for a loaded 2-core machine: these
    // only bound a test that hangs.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
