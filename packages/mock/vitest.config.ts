import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Every test starts a real Prism: about 0.7 to 1 s idle, several seconds on a loaded
    // machine. The start's own deadline (120 s by default) comes first; these limits only
    // bound a test that hangs.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
