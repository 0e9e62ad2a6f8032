// A loopback API server that counts requests per window, like the real one: it records each
// request's arrival time and answers 429 (Retry-After: 1) to a request that would make more
// than `limit` arrive within one window, else 200 with a chat; `GET /warm-up` answers 204 and
// is not counted. Used by the tests (in their process) and the benchmark.
//
// `windowMs` is the window the server enforces. A limiter that keeps `limit` starts per
// `intervalMs` sends each request some time after its slot (a timer fires late, an event loop
// is busy), so more than `limit` can arrive within one window: the multi-process test allows
// the calls that can be in progress on top (see there), the benchmark reports what a strict
// count saw (busiestWindow).
import { once } from "node:events";
import { createServer } from "node:http";

const CHAT = JSON.stringify({
  id: 542335,
  status: "opened",
  createdAt: "1603885746",
  customer: { id: 8738438, name: "John", email: "john@example.com", userId: "u-1" },
  assignee: null,
});

/** @param {{ limit: number, windowMs: number }} rule */
export async function startCountingServer({ limit, windowMs }) {
  /** @type {{ at: number, id: unknown, status: number }[]} */
  const received = [];
  let forced = 0;
  const server = createServer((req, res) => {
    if (req.url === "/warm-up") {
      // Not a call: opens a connection (and warms the sender's fetch) before the count starts.
      res.writeHead(204).end();
      return;
    }
    const at = Date.now();
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const recent = received.filter((r) => r.status !== 429 && r.at > at - windowMs).length;
      const status = forced > 0 || recent >= limit ? 429 : 200;
      if (forced > 0) {
        forced--;
      }
      let id;
      try {
        id = JSON.parse(body).id;
      } catch {}
      received.push({ at, id, status });
      if (status === 429) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
        res.end(JSON.stringify({ errors: [{ code: "too_many_requests", message: "slow down" }] }));
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(CHAT);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    /** Answers the next `count` requests with 429, whatever the count. */
    force429(count = 1) {
      forced += count;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/**
 * The most of `times` within any window of `intervalMs`.
 * @param {number[]} times
 * @param {number} intervalMs
 */
export function busiestWindow(times, intervalMs) {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= intervalMs) {
      i++;
    }
    most = Math.max(most, j - i + 1);
  }
  return most;
}
