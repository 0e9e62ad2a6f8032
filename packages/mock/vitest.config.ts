import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every test starts a real Prism (about 0.7 s); the limits only bound a broken start.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
