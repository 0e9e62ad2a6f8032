// The benchmark's HTTP server, run in its own process so that it does not share an event
// loop with the clients being measured. Answers every request with the documented Chat.
//
// Fork it: it sends `{ port }` over IPC once listening and exits when the parent disconnects.
// For the bench's correctness check it also answers two IPC messages: `{ cmd: "record" }`
// starts keeping the requests it receives (method, url, headers, body; replied `{ recording }`),
// and `{ cmd: "take" }` stops and replies `{ requests }`. Nothing is kept while timing.
// `{ cmd: "cpu" }` replies `{ cpu: process.cpuUsage() }`, for the bench's machine-load note.
import { createServer } from "node:http";
import { CHAT } from "./chat.mjs";

const chat = JSON.stringify(CHAT);

/** The requests kept while recording, or undefined when not recording (the timed case). */
let recorded;

const server = createServer((req, res) => {
  const record = recorded && { method: req.method, url: req.url, headers: req.headers, body: "" };
  if (record) {
    recorded.push(record);
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      record.body += chunk;
    });
  } else {
    req.resume();
  }
  req.on("end", () => {
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(chat),
    });
    res.end(chat);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: server.address().port });
});
process.on("message", (message) => {
  if (message?.cmd === "record") {
    recorded = [];
    process.send?.({ recording: true });
  } else if (message?.cmd === "cpu") {
    process.send?.({ cpu: process.cpuUsage() });
  } else if (message?.cmd === "take") {
    process.send?.({ requests: recorded ?? [] });
    recorded = undefined;
  }
});
process.on("disconnect", () => {
  server.close(() => process.exit(0));
  // Keep-alive sockets of a parent that is still alive would hold close() open.
  server.closeAllConnections();
});
