import { defineConfig } from "tsdown";

export default defineConfig({
  entry: { index: "src/index.ts", "helpcrunch-chats-mock": "bin/helpcrunch-chats-mock.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  fixedExtension: false,
  dts: true,
  sourcemap: false,
  clean: true,
});
