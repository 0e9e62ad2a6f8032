// Server text on its way into an error message or a log line: bounded before any pattern
// runs on it, tags dropped, control characters escaped, so that one answer is one line.

/** How many characters of server text an error message or log line carries at most. */
export const MAX_SERVER_TEXT = 200;

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * A short, single-line, printable excerpt of server-supplied text: at most `max` characters
 * (then "…"), HTML tags dropped, runs of spaces collapsed, and control characters (newlines,
 * ESC, NUL...) written as `\uXXXX`. Every pattern here runs on a slice a few times `max` long,
 * so the cost is bounded whatever the server sent.
 */
export function excerpt(text: string, max = MAX_SERVER_TEXT): string {
  const head = text.slice(0, max * 4);
  const plain = head
    .replace(/<[^<>]{0,200}>/g, " ")
    .replace(/[ \t\r\n]+/g, " ")
    .trim()
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  // Escaped first, cut after: the excerpt is at most `max` characters, escapes included.
  // Cut before a surrogate pair rather than through it: no half character in a message.
  const cut = /[\ud800-\udbff]/.test(plain.charAt(max - 1)) ? max - 1 : max;
  return plain.length > max || head.length < text.length ? `${plain.slice(0, cut)}…` : plain;
}

/** Any value the server sent, as an excerpt: strings as they are, anything else as "". */
export const excerptOf = (value: unknown, max?: number): string =>
  typeof value === "string" || typeof value === "number" ? excerpt(String(value), max) : "";
