import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One browser, driven step by step through every operation: generous on a 2-core runner.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
