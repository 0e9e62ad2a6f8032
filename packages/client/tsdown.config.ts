import { defineConfig } from "tsdown";

export default defineConfig({
  // Three entries: the client; `/raw`, the plain openapi-fetch client; and `/webhooks` for
  // receivers. What they share (the error classes, the option rules) goes into chunks they
  // import, so `instanceof` agrees across entries.
  entry: ["src/index.ts", "src/raw.ts", "src/webhooks.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: true,
  sourcemap: false,
  clean: true,
});
