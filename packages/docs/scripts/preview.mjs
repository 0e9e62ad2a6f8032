// Serves the built site (dist/) on a loopback port, for a look in a browser:
//
//   pnpm run preview                # http://127.0.0.1:4400/
//   pnpm run preview --port 8080    # or PORT=8080 pnpm run preview
//
// Loopback only, read-only, nothing but node:http. Build first (`pnpm run build`, or the
// root `pnpm run docs:preview`, which builds and then serves).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startStaticServer } from "./server.mjs";

const distDir = join(dirname(dirname(fileURLToPath(import.meta.url))), "dist");

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" } },
  allowPositionals: false,
});
const port = Number(values.port ?? process.env.PORT ?? 4400);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`docs preview: not a port: ${values.port ?? process.env.PORT}`);
  process.exit(64);
}
if (!existsSync(join(distDir, "index.html"))) {
  console.error("docs preview: dist/index.html is missing; build the docs first (pnpm run build)");
  process.exit(1);
}

let server;
try {
  server = await startStaticServer({ root: distDir, port });
} catch (error) {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  console.error(
    code === "EADDRINUSE"
      ? `docs preview: port ${port} is taken; pick another with --port <n> or PORT=<n>`
      : `docs preview: ${/** @type {Error} */ (error).message}`,
  );
  process.exit(1);
}
console.log(`docs preview: serving dist/ on ${server.url} (Ctrl+C to stop)`);
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    server.close().then(() => process.exit(0));
  });
}
