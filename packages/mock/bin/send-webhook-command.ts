// helpcrunch-chats-mock send-webhook: sendWebhook from a shell, to test an endpoint.
import { STATUS_CODES } from "node:http";
import { parseArgs } from "node:util";
import { sendWebhook, webhookEvents } from "../src/send-webhook.js";

/** The subcommand's help (it lists the spec's events, so it reads the spec: only when shown). */
const usage =
  () => `Usage: helpcrunch-chats-mock send-webhook <event> --url <url> --signing-key <key> [--event-data <json>]

POSTs one chat webhook event to <url> as HelpCrunch does: the bundled spec's example
delivery of <event>, with a fresh id and createdAt/lastAttemptAt set to now, signed with
X-HelpCrunch-Signature (HMAC-SHA1 of the body, lowercase hex, keyed by <key>). Prints the
status the endpoint answered; exits 0 on a 2xx status, 1 on any other status or when the
endpoint cannot be reached, and 2 on a usage error.

Events: ${webhookEvents().join(", ")}

Options:
      --url <url>            where to POST the event (http or https)
      --signing-key <key>    the webhook signing key (not empty)
      --event-data <json>    a JSON object laid over the example's eventData (a shallow
                             merge: each top-level field given replaces the example's)
      --help                 show this help
`;

/** Runs the subcommand with the arguments after `send-webhook`; resolves with the exit code. */
export async function sendWebhookCommand(args: string[]): Promise<number> {
  const usageError = (message: string): number => {
    process.stderr.write(`helpcrunch-chats-mock send-webhook: ${message}\n\n${usage()}`);
    return 2;
  };
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage());
    return 0;
  }
  if (positionals.length !== 1) {
    return usageError(
      positionals.length === 0 ? "which event? (e.g. chat.new)" : "one event at a time",
    );
  }
  const event = positionals[0] as string;
  if (!webhookEvents().includes(event)) {
    return usageError(
      `unknown event "${event}"; the spec's events are ${webhookEvents().join(", ")}`,
    );
  }
  const url = values.url;
  const signingKey = values["signing-key"];
  if (url === undefined || signingKey === undefined) {
    return usageError("--url and --signing-key are required");
  }
  const protocol = URL.canParse(url) ? new URL(url).protocol : "";
  if (protocol !== "http:" && protocol !== "https:") {
    return usageError(`--url must be an http or https URL, not "${url}"`);
  }
  if (signingKey === "") {
    return usageError("--signing-key must not be empty");
  }
  let eventData: Record<string, unknown> | undefined;
  if (values["event-data"] !== undefined) {
    try {
      eventData = JSON.parse(values["event-data"]);
    } catch (error) {
      return usageError(`--event-data is not JSON: ${(error as Error).message}`);
    }
    if (typeof eventData !== "object" || eventData === null || Array.isArray(eventData)) {
      return usageError("--event-data must be a JSON object");
    }
  }

  try {
    const { status, body } = await sendWebhook(url, event, { signingKey, eventData });
    const ok = status >= 200 && status <= 299;
    process.stdout.write(`${event} → ${url}: ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd());
    process.stdout.write("\n");
    if (!ok && body !== "") {
      process.stderr.write(
        `helpcrunch-chats-mock send-webhook: the endpoint answered: ${printable(body)}\n`,
      );
    }
    return ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(
      `helpcrunch-chats-mock send-webhook: ${event} to ${url} failed: ${(error as Error).message}\n`,
    );
    return 1;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      url: { type: "string" },
      "signing-key": { type: "string" },
      "event-data": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
    allowPositionals: true,
  });
}

/**
 * The receiver's text as a terminal may show it: its first 2,000 characters, with control
 * characters (escape sequences, carriage returns, NUL...) written out as `\uXXXX`, line
 * breaks and tabs kept. A receiver cannot repaint or clear the user's terminal.
 */
function printable(text: string): string {
  const head = text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped
  return head.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
