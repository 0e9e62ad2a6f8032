// The benchmark's HTTP server, run in its own process so that it does not share an event
// loop with the clients being measured. Answers every request with the documented Chat.
import { createServer } from "node:http";

const chat = JSON.stringify({
  id: 542335,
  closedBy: "agent",
  lastCustomerMessageAt: "1603885746",
  status: "on hold",
  closedAt: "1603885746",
  rating: "perfect",
  createdAt: "1603885746",
  lastMessageAt: "1603885746",
  createdWith: "api",
  snoozedUntil: "1603885746",
  lastMessageText: "Hello! How can we help?",
  lastMessageId: 542335,
  applicationId: 542335,
  lastCommunicatedAgentId: 542335,
  agents: [{ id: 542335, name: "Jane Agent", email: "jane@example.com", role: "admin" }],
  customer: { id: 542335, name: "John Customer", email: "john@example.com", userId: "user-42" },
  assignee: { id: 542335, name: "Jane Agent", email: "jane@example.com", role: "admin" },
  department: { id: 542335, name: "Support" },
});

const server = createServer((req, res) => {
  req.resume();
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
process.on("disconnect", () => server.close(() => process.exit(0)));
