import { configDefaults, defineConfig } from "vitest/config";

// The spec tests (`pnpm test`). The portability suite has its own config and task.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [...configDefaults.exclude, "test/portability/**"],
  },
});
