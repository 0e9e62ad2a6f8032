// Executable examples: every code sample a reader can copy is checked as a consumer project
// would use it, then run against the mock.
//
// - Collected (collect.ts): the TypeScript, JavaScript and curl blocks of every README, the
//   spec's x-codeSamples (operations and webhooks) and the fenced blocks in its descriptions.
//   A sample is written to be pasted: complete, with its imports, top-level await in an ES
//   module. One that is deliberately not runnable says so, with a reason, in its source (see
//   collect.ts for the marks); it is still type-checked unless its mark says why not.
// - Type-checked: all TypeScript/JavaScript samples are written into .samples/, a consumer
//   project ("type": "module"; strict, module/moduleResolution nodenext, erasable syntax only)
//   that imports the packages by name, resolved to the workspace packages linked into this
//   package's node_modules; one tsc run checks them all and its errors are given per sample.
// - Run: each sample in its own child process, against one Prism mock (startMockServer):
//   TypeScript with Node's type stripping (`node --import preload/redirect-fetch.mjs x.ts`);
//   curl with bash and the real curl. The samples name the real API
//   (https://api.helpcrunch.com/v1, $HELPCRUNCH_API_KEY), not the mock: for curl the runner
//   substitutes the mock's URL for the base URL; for TypeScript the preload wraps
//   globalThis.fetch, which the client looks up on every call, and rewrites the base URL to
//   the mock's (the client reads no environment variable for its base URL, and needs none).
//   HELPCRUNCH_API_KEY is set for both. A request the mock finds in breach of the spec
//   (Prism's sl-violations header) fails the sample, as does a non-zero exit or, for curl, a
//   4xx/5xx answer.
// - Reported: one test per sample, named by what is done with it ("ran", "type-checked only",
//   "skipped"), and at the end one line per sample with its outcome. A failure names the
//   sample, where it is, and its tsc errors or its output. The child timeout
//   (SAMPLE_TIMEOUT_MS) is a safety net only; nothing here measures speed.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type MockServer, startMockServer } from "@helpcrunch-chats/mock";
import { openapiJsonPath } from "@helpcrunch-chats/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectSamples, type Sample } from "./collect.ts";
import {
  fileOf,
  type Outcome,
  runCurlSample,
  runNodeSample,
  runReceiverSample,
  typeCheck,
  writeProject,
} from "./run.ts";

type Json = Record<string, any>;

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const root = resolve(packageDir, "../..");
const projectDir = join(packageDir, ".samples");
const preload = pathToFileURL(join(packageDir, "preload", "redirect-fetch.mjs")).href;

const spec: Json = JSON.parse(readFileSync(openapiJsonPath, "utf8"));
const samples = collectSamples(root, spec);

/** The delivery a receiver sample is sent: the first example of the spec's chat.closed. */
function webhookDelivery(): unknown {
  const examples = spec.webhooks?.["chat.closed"]?.post?.requestBody?.content?.["application/json"]
    ?.examples as Json | undefined;
  let example = Object.values(examples ?? {})[0] as Json | undefined;
  while (typeof example?.$ref === "string") {
    example = (example.$ref as string)
      .slice(2)
      .split("/")
      .reduce((node: Json, key: string) => node[key], spec);
  }
  if (!example) {
    throw new Error("the spec has no chat.closed webhook example to deliver");
  }
  return example.value;
}

const modeOf = (sample: Sample) => {
  if (sample.badMark) {
    return "bad mark";
  }
  switch (sample.mark?.mode) {
    case "not runnable":
      return `type-checked only (${sample.mark.reason})`;
    case "not runnable, not type-checked":
      return `skipped (${sample.mark.reason})`;
    case "receiver":
      return `ran as a webhook receiver (${sample.mark.reason})`;
    default:
      return "ran";
  }
};

const results: { sample: Sample; outcome: string }[] = [];
let diagnostics = new Map<string, string[]>();
let mock: MockServer | undefined;

beforeAll(async () => {
  writeProject(projectDir, samples);
  diagnostics = typeCheck(projectDir);
  mock = await startMockServer();
});

afterAll(async () => {
  await mock?.stop();
  const width = Math.max(...results.map((r) => r.sample.where.length));
  const lines = results.map((r) => `  ${r.sample.where.padEnd(width)}  ${r.outcome}`);
  const failed = results.filter((r) => r.outcome.startsWith("FAILED")).length;
  console.log(
    `examples: ${results.length} samples, ${results.length - failed} passed, ${failed} failed\n${lines.join("\n")}`,
  );
});

const show = (outcome: Outcome) =>
  `exit ${outcome.code ?? outcome.signal}${outcome.timedOut ? " (killed by the safety-net timeout)" : ""}\n${outcome.output.trim()}`;

describe("code samples", () => {
  it("finds samples in the READMEs and in the spec", () => {
    expect(samples.filter((s) => !s.where.startsWith("spec")).length).toBeGreaterThan(0);
    expect(samples.filter((s) => s.where.startsWith("spec ")).length).toBeGreaterThan(0);
    expect(diagnostics.get(""), "tsc errors outside the samples").toBeUndefined();
  });

  for (const sample of samples) {
    it(`${modeOf(sample)}: ${sample.where} [${sample.kind}]`, async () => {
      const record = (outcome: string) => results.push({ sample, outcome });
      try {
        expect(sample.badMark, `${sample.where}: ${sample.badMark}`).toBeUndefined();
        if (sample.mark?.mode === "not runnable, not type-checked") {
          expect(sample.mark.reason.length, "a skip needs its reason").toBeGreaterThan(10);
          record(`skipped: ${sample.mark.reason}`);
          return;
        }
        if (sample.kind !== "curl") {
          const errors = diagnostics.get(fileOf(sample)) ?? [];
          if (errors.length > 0) {
            throw new Error(
              `${sample.where} does not type-check (.samples/${fileOf(sample)}):\n${errors.join("\n")}`,
            );
          }
        }
        if (sample.mark?.mode === "not runnable") {
          record(`type-checked, not run: ${sample.mark.reason}`);
          return;
        }
        const mockUrl = (mock as MockServer).url;
        if (sample.kind === "curl") {
          const outcome = await runCurlSample(projectDir, sample, mockUrl);
          if (outcome.code !== 0) {
            throw new Error(`${sample.where} failed: ${show(outcome)}`);
          }
          if (/^sl-violations:/im.test(outcome.output)) {
            throw new Error(
              `${sample.where}: the mock found the request in breach of the spec:\n${show(outcome)}`,
            );
          }
          record("ran (curl)");
        } else if (sample.mark?.mode === "receiver") {
          const outcome = await runReceiverSample(
            projectDir,
            sample,
            preload,
            mockUrl,
            webhookDelivery(),
            /\.url !== "([^"]+)"/.exec(sample.source)?.[1] ?? "/",
          );
          if (!outcome.ok) {
            throw new Error(`${sample.where} failed as a receiver: ${show(outcome)}`);
          }
          record("ran as a receiver: signed delivery acknowledged, forged one refused");
        } else {
          const outcome = await runNodeSample(projectDir, sample, preload, mockUrl);
          if (outcome.code !== 0) {
            throw new Error(`${sample.where} failed: ${show(outcome)}`);
          }
          record("ran");
        }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record(`FAILED: ${message.split("\n")[0]}`);
        throw error;
      }
    });
  }
});
