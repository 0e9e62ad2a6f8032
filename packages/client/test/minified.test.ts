// The client as it runs in a consumer's production bundle: bundled and minified by esbuild,
// which renames every class. What users read off errors must survive that.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as main from "../src/index.js";
import * as webhooks from "../src/webhooks.js";

describe("minified by a consumer's bundler", () => {
  it.each([
    ["index", main],
    ["webhooks", webhooks],
  ])("keeps every error class's name (entry %s)", async (entry, source) => {
    const { outputFiles } = await build({
      entryPoints: [new URL(`../src/${entry}.ts`, import.meta.url).pathname],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      write: false,
      logLevel: "silent",
    });
    const code = outputFiles[0]?.text ?? "";
    const minified = await import(
      `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
    );
    const classes = Object.entries(source).filter(
      ([, value]) => typeof value === "function" && value.prototype instanceof Error,
    );
    expect(classes.length).toBeGreaterThanOrEqual(entry === "index" ? 16 : 1);
    for (const [name] of classes) {
      const error = new minified[name]("boom");
      expect(error.name).toBe(name);
      expect(String(error)).toBe(`${name}: boom`);
      expect(error.stack?.split("\n")[0]).toBe(`${name}: boom`);
    }
  });
});
