import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    // A deadline only for a hung test: under turbo's parallel load on 2 cores, calls through
    // Prism and the esbuild bundle of the minified-names test take several times their idle time.
    testTimeout: 60_000,
    // The contract tests start Prism in beforeAll: up to ~6 s on a loaded 2-core machine, and
    // the mock itself waits up to 120 s. A hook must never fail first.
    hookTimeout: 180_000,
  },
});
