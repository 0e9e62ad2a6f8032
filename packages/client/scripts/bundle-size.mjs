// The client's bundle size as a consumer's bundler would see it: dist/index.js (the ESM entry
// consumers import) bundled with its dependencies, resolved from node_modules (openapi-fetch's
// ESM build), minified by terser (webpack's and Rollup's minifier, and bundlephobia's) and by
// esbuild, each gzipped at level 9. Deterministic: same dist, same bytes. Used by the size
// budget (check-size.mjs) and printed by the benchmark.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { minify } from "terser";

export const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

const gzip = (code) => gzipSync(code, { level: 9 }).byteLength;

/** The ESM bundle of `entryPoint`: its size minified by terser (min, gzip), by esbuild, and esbuild's metafile. */
export async function bundle(entryPoint = entry) {
  const options = {
    entryPoints: [entryPoint],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    metafile: true,
    logLevel: "silent",
  };
  const plain = (await build(options)).outputFiles[0].text;
  const esbuildMinified = await build({ ...options, minify: true });
  const { code } = await minify(plain, { module: true, compress: { passes: 2 }, mangle: true });
  const esbuildOutput = esbuildMinified.outputFiles[0].contents;
  return {
    min: Buffer.byteLength(code),
    gzip: gzip(code),
    esbuild: { min: esbuildOutput.byteLength, gzip: gzip(esbuildOutput) },
    metafile: esbuildMinified.metafile,
  };
}
