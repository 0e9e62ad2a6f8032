#!/usr/bin/env node
// helpcrunch-chats-mock: runs the mock in the foreground for local development.
import { parseArgs } from "node:util";
import { startMockServer } from "../src/index.js";

const USAGE = `Usage: helpcrunch-chats-mock [--port <port>] [--host <host>]

Serves a mock of the HelpCrunch Chats API v1 (Prism on the bundled spec of
@helpcrunch-chats/openapi) under /v1, like https://api.helpcrunch.com/v1, until it
is stopped with Ctrl+C (SIGINT) or SIGTERM (during the start too: it then exits at once).
Malformed, too deeply nested (over 64 levels) or too large (over 1 MiB) JSON bodies get
the API's error envelope (400, 400, 413); a path outside /v1 gets a 404 envelope.

Options:
  -p, --port <port>  port to listen on (default 4010; 0 picks a free port)
      --host <host>  interface to listen on (default 127.0.0.1)
      --help         show this help
`;

function fail(message: string): never {
  process.stderr.write(`helpcrunch-chats-mock: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values: { port?: string; host?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string", short: "p", default: "4010" },
      host: { type: "string", default: "127.0.0.1" },
      help: { type: "boolean" },
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

const started = startMockServer({
  port,
  host: values.host ?? "127.0.0.1",
  onLog: (line) => console.log(line),
  signal: aborter.signal,
});

try {
  const mock = await started;
  if (stopping) {
    // A signal came as the start ended: the shutdown above stops the mock; nothing to announce.
    throw new Error("stopping");
  }
  console.log(`helpcrunch-chats-mock: HelpCrunch Chats API mock listening on ${mock.url}`);
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
