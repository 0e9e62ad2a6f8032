// Prism logs through signale to stdout, one line per event:
//   [8:26:01 AM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:4599
//   [8:26:06 AM] › [CLI] ✖  fatal     Error parsing /tmp/bad.yaml: …
// When it cannot start, it also prints its usage text and the error to stderr.

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;
const LISTENING = /Prism is listening on (\S+)/;
const FATAL = /\bfatal\s+(.*)$/;
const LOG_LINE_START = /^\[\d{1,2}:\d{2}:\d{2}/;
const USAGE_PARAGRAPH = /^(prism \w+ <|Start a mock server|Positionals:|Options:)/;
const STACK_FRAME = /^\s+at /;

/** Splits a stream's text into lines, calling `onLine` for each complete, uncoloured line. */
export function lineSplitter(onLine: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? "";
    for (const line of lines) {
      onLine(line.replace(ANSI_ESCAPE, ""));
    }
  };
}

/** True if the line is Prism's "Prism is listening on …" announcement. */
export function isListeningLine(line: string): boolean {
  return LISTENING.test(line);
}

/** True if Prism's output says the port was already taken. */
export function isAddressInUse(stdout: readonly string[], stderr: readonly string[]): boolean {
  return [...stdout, ...stderr].some((line) => line.includes("EADDRINUSE"));
}

/**
 * Prism's own explanation of a failed start: the message of its "fatal" log entry (with the
 * lines that continue it), or else what it printed to stderr after its usage text, without
 * stack frames.
 */
export function prismFailureMessage(stdout: readonly string[], stderr: readonly string[]): string {
  const fatal: string[] = [];
  for (const line of stdout) {
    const match = FATAL.exec(line);
    if (match) {
      fatal.push(match[1] ?? "");
    } else if (fatal.length > 0 && !LOG_LINE_START.test(line)) {
      fatal.push(line);
    } else if (fatal.length > 0) {
      break;
    }
  }
  const fromLog = fatal.join("\n").trim();
  if (fromLog) {
    return fromLog;
  }
  const paragraphs = stderr
    .filter((line) => !STACK_FRAME.test(line))
    .join("\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph && !USAGE_PARAGRAPH.test(paragraph));
  return paragraphs.join("\n") || "Prism printed no error message";
}

/** The last lines Prism printed, to explain a start that timed out. */
export function outputTail(stdout: readonly string[], stderr: readonly string[], max = 20): string {
  return [...stdout, ...stderr]
    .filter((line) => line.trim())
    .slice(-max)
    .join("\n");
}
