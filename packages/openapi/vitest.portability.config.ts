import { defineConfig } from "vitest/config";

// The portability suite (`pnpm run portability`, its own turbo task): the 3.0 rendition,
// generated clients and Perl's validator. Slower than the spec tests, so kept apart.
export default defineConfig({
  test: {
    include: ["test/portability/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
