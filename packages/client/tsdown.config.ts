import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/index.ts", "src/raw.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: true,
  sourcemap: false,
  clean: true,
});
