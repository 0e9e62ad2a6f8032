import { defineConfig } from "tsdown";

export default defineConfig({
  // Two entries: the client, and `@helpcrunch-chats/client/webhooks` for receivers. What they
  // share (the error base class) goes into a chunk both import, so `instanceof` agrees.
  entry: ["src/index.ts", "src/webhooks.ts"],
  format: "esm",
  platform: "neutral",
  target: "es2022",
  dts: true,
  sourcemap: false,
  clean: true,
});
