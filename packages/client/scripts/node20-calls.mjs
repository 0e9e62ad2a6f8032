// Run by node20-smoke.mjs under Node 20: the built client against a loopback server, one line out.
import { createServer } from "node:http";
import { createHelpCrunchClient } from "../dist/index.js";

let seen = 0;
const server = createServer((req, res) => {
  seen++;
  req.resume();
  req.on("end", () => {
    const reply = (status, body, headers = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/chats/department") {
      reply(404, { errors: [{ code: "not_fount", message: 'Chat for ID "1" was not found' }] });
    } else if (req.url === "/chats/assignee" && seen === 3) {
      reply(
        429,
        { errors: [{ code: "too_many_requests", message: "Too many requests" }] },
        { "retry-after": "0" },
      );
    } else if (req.url === "/chats/readByAgent") {
      // never answers: the client's timeout must end it
    } else {
      reply(200, { id: 542335, status: "on hold" });
    }
  });
});
server.listen(0, "127.0.0.1", async () => {
  const hc = createHelpCrunchClient({
    apiKey: "key",
    baseUrl: `http://127.0.0.1:${server.address().port}`,
  });
  const name = (promise) =>
    promise.then(
      () => "resolved",
      (error) => error.name,
    );
  const chat = await hc.chats.updateStatus({ id: 1, status: "on hold" });
  const notFound = await name(hc.chats.updateDepartment({ id: 1, department: 2 }));
  const retried = await hc.chats.updateAssignee({ id: 1, assignee: 2 });
  const aborted = await name(
    hc.chats.updateStatus({ id: 1, status: "new" }, { signal: AbortSignal.abort() }),
  );
  const timeout = await name(
    hc.chats.markReadByAgent({ id: 1, read: true }, { timeoutMs: 100, maxRetries: 0 }),
  );
  console.log(
    `${process.version} chat=${chat.status} notFound=${notFound} retried429=${retried.id} aborted=${aborted} timeout=${timeout}`,
  );
  server.closeAllConnections();
  server.close();
});
