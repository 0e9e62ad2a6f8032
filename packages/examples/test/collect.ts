// Finds every code sample a reader can copy: the fenced TypeScript, JavaScript and curl blocks
// of every README (the repository's and each package's), the `x-codeSamples` of every
// operation and webhook in the bundled spec, and the fenced blocks in the spec's info and tag
// descriptions (the docs site's introduction).
//
// A sample that is deliberately not runnable carries a mark, with its reason:
// - in Markdown, an HTML comment on the line right before the fence (blank lines allowed):
//     <!-- example: not runnable: needs an Express app -->
// - in the spec, an `x-example` property on the x-codeSamples entry, or the sample's first
//   line as a comment (`// example: …` in TypeScript, `# example: …` in curl).
// The marks:
//   not runnable: <reason>                   type-checked, not run
//   not runnable, not type-checked: <reason> neither (the reason must say why it cannot compile)
//   receiver: <reason>                       a webhook endpoint: run with PORT set, sent one
//                                            signed delivery and one forged one, then stopped
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export type SampleKind = "ts" | "js" | "curl";
export type MarkMode = "not runnable" | "not runnable, not type-checked" | "receiver";

export interface Sample {
  /** A file-safe name, unique among the samples. */
  id: string;
  /** Where a reader finds it: "packages/client/README.md:57" or "spec createChat (TypeScript)". */
  where: string;
  kind: SampleKind;
  source: string;
  /** First line of the sample in its file, when it is a Markdown file. */
  line?: number;
  mark?: { mode: MarkMode; reason: string };
  /** A mark that could not be read: the sample fails with this message. */
  badMark?: string;
}

const TS_LANGS = new Set(["ts", "typescript", "mts"]);
const JS_LANGS = new Set(["js", "javascript", "mjs"]);
const SHELL_LANGS = new Set(["sh", "bash", "shell", "console", "curl"]);
const MARK = /^example:\s*(not runnable, not type-checked|not runnable|receiver)\s*:\s*(\S.*)$/;
const API_BASE = "https://api.helpcrunch.com/v1";

/** The kind of a fenced block, or undefined when it is not a sample we run. */
function kindOf(lang: string, body: string): SampleKind | undefined {
  const l = lang.toLowerCase();
  if (TS_LANGS.has(l)) {
    return "ts";
  }
  if (JS_LANGS.has(l)) {
    return "js";
  }
  // A shell block counts as a curl sample when it calls the API with curl.
  if (SHELL_LANGS.has(l) && /^\s*curl\s/m.test(body) && body.includes(API_BASE)) {
    return "curl";
  }
  return undefined;
}

function parseMark(text: string): Pick<Sample, "mark" | "badMark"> {
  const match = MARK.exec(text.trim());
  if (!match) {
    return {
      badMark: `unreadable example mark "${text.trim()}": expected "example: not runnable: <reason>", "example: not runnable, not type-checked: <reason>" or "example: receiver: <reason>"`,
    };
  }
  return { mark: { mode: match[1] as MarkMode, reason: (match[2] as string).trim() } };
}

interface Block {
  lang: string;
  body: string;
  /** 1-based line of the first line of the body in the Markdown text. */
  line: number;
  /** The text of an `<!-- example: … -->` comment right before the fence, if any. */
  mark?: string;
}

/** The fenced code blocks of a Markdown text, with the example mark before each, if any. */
export function fencedBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  let lastComment: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (!open) {
      const comment = /^\s*<!--\s*(example:[\s\S]*?)\s*-->\s*$/.exec(line);
      if (comment) {
        lastComment = comment[1];
      } else if (line.trim() !== "") {
        lastComment = undefined;
      }
      continue;
    }
    const indent = (open[1] as string).length;
    const fence = open[2] as string;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] as string).trim().startsWith(fence)) {
      body.push(
        (lines[j] as string).slice(
          Math.min(indent, /^\s*/.exec(lines[j] as string)?.[0].length ?? 0),
        ),
      );
      j++;
    }
    blocks.push({
      lang: open[3] as string,
      body: `${body.join("\n")}\n`,
      line: i + 2,
      mark: lastComment,
    });
    lastComment = undefined;
    i = j;
  }
  return blocks;
}

const slug = (text: string) =>
  text
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();

/** The samples of one Markdown text, `label` naming its file. */
export function markdownSamples(markdown: string, label: string, lineOffset = 0): Sample[] {
  return fencedBlocks(markdown).flatMap((block) => {
    const kind = kindOf(block.lang, block.body);
    if (!kind) {
      return [];
    }
    const line = block.line + lineOffset;
    return [
      {
        id: `${slug(label)}-l${line}`,
        where: `${label}:${line}`,
        kind,
        source: block.body,
        line,
        ...(block.mark === undefined ? {} : parseMark(block.mark)),
      },
    ];
  });
}

/** Every README.md of the repository: the root's, then each package's. */
export function readmes(root: string): string[] {
  const packages = join(root, "packages");
  const found = [join(root, "README.md")];
  for (const dir of readdirSync(packages).sort()) {
    const readme = join(packages, dir, "README.md");
    try {
      if (statSync(readme).isFile()) {
        found.push(readme);
      }
    } catch {
      // a package without a README
    }
  }
  return found;
}

type Json = Record<string, any>;
const METHODS = ["get", "put", "post", "delete", "patch", "options", "head", "trace"];

/** The samples of the bundled spec: x-codeSamples, then fenced blocks in descriptions. */
export function specSamples(spec: Json): Sample[] {
  const samples: Sample[] = [];
  const fromCodeSamples = (name: string, op: Json) => {
    for (const entry of (op["x-codeSamples"] ?? []) as Json[]) {
      const lang = String(entry.lang);
      const source = String(entry.source);
      const kind = kindOf(lang, source) ?? (lang === "curl" ? "curl" : undefined);
      if (!kind) {
        continue;
      }
      const sample: Sample = {
        id: `spec-${slug(name)}-${slug(lang)}`,
        where: `spec ${name} (${entry.label ?? lang})`,
        kind,
        source,
      };
      const firstLine = source.split("\n", 1)[0] ?? "";
      const comment = /^\s*(?:\/\/|#)\s*(example:.*)$/.exec(firstLine);
      const markText =
        typeof entry["x-example"] === "string" ? `example: ${entry["x-example"]}` : comment?.[1];
      if (markText !== undefined) {
        Object.assign(sample, parseMark(markText));
      }
      samples.push(sample);
    }
  };
  for (const item of Object.values((spec.paths ?? {}) as Json)) {
    for (const method of METHODS) {
      if (item[method]) {
        fromCodeSamples(item[method].operationId ?? method, item[method]);
      }
    }
  }
  for (const [event, item] of Object.entries((spec.webhooks ?? {}) as Json)) {
    for (const method of METHODS) {
      if (item[method]) {
        fromCodeSamples(`webhook ${event}`, item[method]);
      }
    }
  }
  const described: [string, unknown][] = [
    ["spec info.description", spec.info?.description],
    ...((spec.tags ?? []) as Json[]).map((tag): [string, unknown] => [
      `spec tag ${tag.name}`,
      tag.description,
    ]),
  ];
  for (const [label, text] of described) {
    if (typeof text === "string") {
      samples.push(
        ...markdownSamples(text, label).map((s) => ({
          ...s,
          where: `${label}, block at line ${s.line}`,
        })),
      );
    }
  }
  return samples;
}

/** Every sample of the repository, README samples labelled by their path from `root`. */
export function collectSamples(root: string, spec: Json): Sample[] {
  const samples = [
    ...readmes(root).flatMap((file) =>
      markdownSamples(readFileSync(file, "utf8"), relative(root, file)),
    ),
    ...specSamples(spec),
  ];
  const seen = new Set<string>();
  for (const sample of samples) {
    if (seen.has(sample.id)) {
      throw new Error(`two samples share the name ${sample.id}`);
    }
    seen.add(sample.id);
  }
  return samples;
}
