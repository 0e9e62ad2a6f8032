import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 15_000,
    // The contract tests start Prism in beforeAll: up to ~6 s on a loaded 2-core machine, and
    // the mock itself waits up to 120 s. A hook must never fail first.
    hookTimeout: 180_000,
  },
});
