// Helpers shared by the repository scripts (check-package, release, test-summary).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is scripts/lib/workspace.mjs). */
export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * Runs a command and returns its output; on failure, throws an error that carries the
 * command line, its exit code and what it printed, so callers can report it as is.
 */
export function run(command, args, { cwd = ROOT, inherit = false, env } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: inherit ? "inherit" : "pipe",
    env: env ? { ...process.env, ...env } : process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const output = inherit ? "" : `\n${result.stdout ?? ""}${result.stderr ?? ""}`.trimEnd();
    const error = new Error(
      `\`${command} ${args.join(" ")}\` (in ${cwd}) exited with ${result.status}${output}`,
    );
    error.status = result.status;
    throw error;
  }
  return { stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/**
 * The workspace's packages, the root excluded, as `{ name, version, dir, private }`, in
 * pnpm's order.
 */
export function workspacePackages() {
  const { stdout } = run("pnpm", ["-r", "ls", "--depth", "-1", "--json"]);
  return JSON.parse(stdout)
    .filter((pkg) => resolve(pkg.path) !== ROOT)
    .map((pkg) => ({ name: pkg.name, version: pkg.version, dir: pkg.path, private: pkg.private }));
}

/**
 * The workspace's public packages (private ones, such as the docs site, are never
 * published), as `{ name, version, dir }`, in pnpm's order.
 */
export function publicPackages() {
  return workspacePackages()
    .filter((pkg) => pkg.private === false)
    .map(({ name, version, dir }) => ({ name, version, dir }));
}

/**
 * Packs the package in `dir` with `pnpm pack` (which, unlike `npm pack`, rewrites the
 * `workspace:` and `catalog:` specifiers exactly as `pnpm publish` will) into `destination`,
 * and returns pnpm's own account of it: `{ name, version, filename, size, files }`.
 */
export function pack(dir, destination) {
  const { stdout } = run("pnpm", ["pack", "--json", "--pack-destination", destination], {
    cwd: dir,
  });
  // --json prints the result as a JSON object; lifecycle output (none here) could come first.
  const result = JSON.parse(stdout.slice(Math.max(0, stdout.search(/^\{/m))));
  return { ...result, files: result.files.map((file) => file.path) };
}

/**
 * A fresh temporary directory, and a function that removes it. It is removed too when the
 * process is interrupted (turbo stops the other tasks of a run when one fails).
 */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ]) {
    process.once(signal, () => {
      remove();
      process.exit(code);
    });
  }
  return { dir, remove };
}

/** 4459 -> "4.5 kB" (decimal units, as npm prints them). */
export function formatSize(bytes) {
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  if (bytes < 1_000_000) {
    return `${(bytes / 1000).toFixed(1)} kB`;
  }
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}
