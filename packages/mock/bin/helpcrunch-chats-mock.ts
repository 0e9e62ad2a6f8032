#!/usr/bin/env node
// helpcrunch-chats-mock: runs the mock in the foreground for local development.
import { parseArgs } from "node:util";
import { type MockServer, startMockServer, startSandbox } from "../src/index.js";
import { sendWebhookCommand } from "./send-webhook-command.js";

const USAGE = `Usage: helpcrunch-chats-mock [--port <port>] [--host <host>]
       helpcrunch-chats-mock --sandbox [--api-key <key>] [--rate-limit <n>|off]
                             [--webhook-url <url> --webhook-signing-key <key>] [--port …] [--host …]
       helpcrunch-chats-mock send-webhook <event> --url <url> --signing-key <key> [--event-data <json>]

Serves a mock of the HelpCrunch Chats API v1 (Prism on the bundled spec of
@helpcrunch-chats/openapi) under /v1, like https://api.helpcrunch.com/v1, until it
is stopped with Ctrl+C (SIGINT) or SIGTERM (during the start too: it then exits at once).
Malformed, too deeply nested (over 64 levels) or too large (over 1 MiB) JSON bodies get
the API's error envelope (400, 400, 413); a path outside /v1 gets a 404 envelope.

With --sandbox it serves a stateful sandbox instead: chats in memory (three from the
spec's examples to start with), created, changed, listed and searched like the real API,
with its 401, 404, 409 and 429 answers and signed webhooks, every request and answer
checked against the spec by Prism.

send-webhook POSTs one signed chat webhook event (the spec's example) to an endpoint
under test and exits 0 if it answers 2xx; see helpcrunch-chats-mock send-webhook --help.

Options:
  -p, --port <port>                 port to listen on (default 4010; 0 picks a free port)
      --host <host>                 interface to listen on (default 127.0.0.1)
      --sandbox                     serve the stateful sandbox instead of the example mock
      --api-key <key>               sandbox: the only key accepted (default: any well-formed key)
      --rate-limit <n>|off          sandbox: requests a minute per key (default 120)
      --webhook-url <url>           sandbox: where to POST the chat events
      --webhook-signing-key <key>   sandbox: the key their X-HelpCrunch-Signature is made with
      --help                        show this help
`;

if (process.argv[2] === "send-webhook") {
  process.exitCode = await sendWebhookCommand(process.argv.slice(3));
} else {
  await serve();
}

/** Serves the mock or the sandbox until a signal stops it. */
async function serve(): Promise<void> {
  function fail(message: string): never {
    process.stderr.write(`helpcrunch-chats-mock: ${message}\n\n${USAGE}`);
    process.exit(2);
  }

  let values: {
    port?: string;
    host?: string;
    help?: boolean;
    sandbox?: boolean;
    "api-key"?: string;
    "rate-limit"?: string;
    "webhook-url"?: string;
    "webhook-signing-key"?: string;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", short: "p", default: "4010" },
        host: { type: "string", default: "127.0.0.1" },
        help: { type: "boolean" },
        sandbox: { type: "boolean" },
        "api-key": { type: "string" },
        "rate-limit": { type: "string" },
        "webhook-url": { type: "string" },
        "webhook-signing-key": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }

  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }

  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port > 65_535) {
    fail(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }

  const sandboxFlags = ["api-key", "rate-limit", "webhook-url", "webhook-signing-key"] as const;
  if (!values.sandbox && sandboxFlags.some((flag) => values[flag] !== undefined)) {
    fail("--api-key, --rate-limit and --webhook-* go with --sandbox");
  }
  const rateLimit = values["rate-limit"];
  if (rateLimit !== undefined && rateLimit !== "off" && !/^[1-9][0-9]*$/.test(rateLimit)) {
    fail(
      `--rate-limit must be a positive number of requests a minute or "off", not "${rateLimit}"`,
    );
  }
  const webhookUrl = values["webhook-url"];
  const signingKey = values["webhook-signing-key"];
  if ((webhookUrl === undefined) !== (signingKey === undefined)) {
    fail("--webhook-url and --webhook-signing-key go together");
  }

  // Signal handlers come first: a Ctrl+C while the mock starts aborts the start, killing Prism.
  const aborter = new AbortController();
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.log(`helpcrunch-chats-mock: ${signal} received, stopping`);
    aborter.abort();
    void started
      .then((mock) => mock.stop())
      .catch(() => {})
      .then(() => {
        console.log("helpcrunch-chats-mock: stopped");
        process.exitCode = 0;
      });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  const common = {
    port,
    host: values.host ?? "127.0.0.1",
    onLog: (line: string) => console.log(line),
    signal: aborter.signal,
  };
  const what = values.sandbox ? "sandbox" : "mock";
  const started: Promise<MockServer> = values.sandbox
    ? startSandbox({
        ...common,
        apiKey: values["api-key"],
        rateLimit:
          rateLimit === "off"
            ? false
            : rateLimit === undefined
              ? undefined
              : { limit: Number(rateLimit), intervalMs: 60_000 },
        webhooks:
          webhookUrl !== undefined && signingKey !== undefined
            ? { url: webhookUrl, signingKey }
            : undefined,
      })
    : startMockServer(common);

  try {
    const mock = await started;
    if (stopping) {
      // A signal came as the start ended: the shutdown above stops the mock; nothing to announce.
      throw new Error("stopping");
    }
    console.log(`helpcrunch-chats-mock: HelpCrunch Chats API ${what} listening on ${mock.url}`);
    console.log("helpcrunch-chats-mock: press Ctrl+C to stop");
    // Nothing but Prism keeps this process alive: if it goes while no stop was asked, say so.
    process.once("beforeExit", () => {
      if (!stopping) {
        console.error("helpcrunch-chats-mock: Prism exited unexpectedly");
        process.exitCode = 1;
      }
    });
  } catch (error) {
    if (!stopping) {
      console.error(`helpcrunch-chats-mock: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
