import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every file starts its own redis-server; the multi-process test forks workers that run
    // for several seconds of real time. Generous limits for a loaded 2-core machine: these
    // only bound a test that hangs.
    testTimeout: 120_000,
    // One file at a time: the multi-process test times real arrivals, and should not share
    // the machine with this package's other redis-servers and clients too.
    fileParallelism: false,
    hookTimeout: 60_000,
  },
});
