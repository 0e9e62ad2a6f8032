// How each sample is checked: written into a consumer project, type-checked with tsc, and run
// in a child process. See examples.test.ts for the whole picture.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import type { Sample } from "./collect.ts";

/** A safety net only, never a measure of speed: a sample that hangs is killed after this. */
export const SAMPLE_TIMEOUT_MS = 120_000;
export const API_BASE = "https://api.helpcrunch.com/v1";

/** The file a TypeScript or JavaScript sample is written to, inside the project. */
export const fileOf = (sample: Sample) => `${sample.id}.${sample.kind === "js" ? "mjs" : "ts"}`;

/**
 * Writes the consumer project: package.json ("type": "module"), a strict nodenext tsconfig,
 * and one file per TypeScript/JavaScript sample. It sits inside this package, so that
 * `import "@helpcrunch-chats/client"` resolves to the workspace packages linked in this
 * package's node_modules, exactly as an installed dependency would.
 */
export function writeProject(dir: string, samples: Sample[]) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "helpcrunch-examples", private: true, type: "module" }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    `${JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023"],
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          // What Node's type stripping can run: only erasable TypeScript syntax.
          erasableSyntaxOnly: true,
          verbatimModuleSyntax: true,
          allowJs: true,
          checkJs: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        include: ["*.ts", "*.mjs"],
      },
      null,
      2,
    )}\n`,
  );
  for (const sample of samples) {
    if (sample.kind !== "curl") {
      writeFileSync(join(dir, fileOf(sample)), sample.source);
    }
  }
}

/**
 * Type-checks the whole project with one tsc run and returns the diagnostics by file name
 * (the key "" holds any diagnostic outside the samples, e.g. in the configuration).
 */
export function typeCheck(dir: string): Map<string, string[]> {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", dir, "--pretty", "false"], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const byFile = new Map<string, string[]>();
  if (result.error) {
    byFile.set("", [`tsc did not run: ${result.error.message}`]);
    return byFile;
  }
  let current: string[] | undefined;
  for (const line of `${result.stdout}${result.stderr}`.split("\n")) {
    const match = /^(?:.*[\\/])?([^\\/(]+)\(\d+,\d+\): error /.exec(line);
    if (match) {
      const file = match[1] as string;
      current = byFile.get(file) ?? [];
      byFile.set(file, current);
      current.push(line);
    } else if (line.startsWith(" ") && current) {
      current.push(line); // the continuation of a multi-line message
    } else if (line.trim() !== "") {
      const general = byFile.get("") ?? [];
      byFile.set("", general);
      general.push(line);
      current = general;
    }
  }
  if (result.status !== 0 && byFile.size === 0) {
    byFile.set("", [`tsc exited with ${result.status} without a diagnostic`]);
  }
  return byFile;
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

/** Runs a command to its end (or the safety-net timeout), collecting stdout and stderr. */
function runChild(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, SAMPLE_TIMEOUT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, timedOut });
    });
    whileRunning?.(child).catch((error: unknown) => {
      output += `\n[runner] ${error instanceof Error ? error.message : String(error)}\n`;
      child.kill("SIGKILL");
    });
  });
}

/** The environment of every sample: the key the samples read, and nothing of this machine's. */
export function sampleEnv(mockUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HELPCRUNCH_API_KEY: "example-api-key",
    EXAMPLES_MOCK_URL: mockUrl,
    NO_COLOR: "1",
    ...extra,
  };
}

const nodeArgs = (preload: string, file: string) => [
  "--disable-warning=ExperimentalWarning",
  "--import",
  preload,
  file,
];

/** Runs a TypeScript sample with Node's type stripping (a JavaScript one as is). */
export function runNodeSample(dir: string, sample: Sample, preload: string, mockUrl: string) {
  return runChild(process.execPath, nodeArgs(preload, fileOf(sample)), {
    cwd: dir,
    env: sampleEnv(mockUrl),
  });
}

/**
 * Runs a curl sample with bash, its base URL replaced by the mock's. `curl` is a function
 * that adds --fail-with-body (a 4xx/5xx fails the sample) and prints the answer's headers,
 * so that the runner can check the mock found nothing to object to (no `sl-violations`).
 */
export function runCurlSample(dir: string, sample: Sample, mockUrl: string) {
  const script = [
    "set -eu",
    'curl() { command curl --silent --show-error --fail-with-body --dump-header - "$@"; echo; }',
    sample.source.split(API_BASE).join(mockUrl),
  ].join("\n");
  return runChild("bash", ["-c", script], { cwd: dir, env: sampleEnv(mockUrl) });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port; rejects if the child exits first. */
async function waitForPort(port: number, child: ReturnType<typeof spawn>) {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error("the receiver exited before it listened");
    }
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.on("connect", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (accepted) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs a webhook receiver sample (marked `receiver`): it listens on PORT; the runner posts
 * one delivery signed with HELPCRUNCH_WEBHOOK_KEY (the spec's chat.closed example), expecting
 * a 2xx, and one with a forged signature, expecting a 401; then it stops the receiver.
 */
export async function runReceiverSample(
  dir: string,
  sample: Sample,
  preload: string,
  mockUrl: string,
  delivery: unknown,
  path: string,
) {
  const port = await freePort();
  const key = "example-webhook-signing-key";
  const body = JSON.stringify(delivery);
  const signature = createHmac("sha1", key).update(body).digest("hex");
  const env = sampleEnv(mockUrl, { PORT: String(port), HELPCRUNCH_WEBHOOK_KEY: key });
  const answers: string[] = [];
  const outcome = await runChild(
    process.execPath,
    nodeArgs(preload, fileOf(sample)),
    { cwd: dir, env },
    async (child) => {
      await waitForPort(port, child);
      const post = (sig: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-helpcrunch-signature": sig },
          body,
        });
      const signed = await post(signature);
      answers.push(`signed delivery: ${signed.status}`);
      const forged = await post("0".repeat(40));
      answers.push(`forged delivery: ${forged.status}`);
      if (!(signed.status >= 200 && signed.status < 300)) {
        throw new Error(`the signed delivery was answered ${signed.status}, not 2xx`);
      }
      if (forged.status !== 401) {
        throw new Error(`the forged delivery was answered ${forged.status}, not 401`);
      }
      answers.push("ok");
      child.kill("SIGTERM");
    },
  );
  return {
    ...outcome,
    ok: answers.at(-1) === "ok",
    output: `${outcome.output}${answers.join("\n")}\n`,
  };
}
