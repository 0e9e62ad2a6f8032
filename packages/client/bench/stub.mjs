// The CPU-bound half of the benchmark: no network, no server. Each contestant calls a `fetch`
// that answers at once, in memory, with a prebuilt chat, so what is timed is the caller's own
// work per call: for the client its validation, snapshot, serialisation, rate limiter, retry
// loop and answer reading; for openapi-fetch its request building and parsing; for the
// limit, a plain `fetch(url, init)` + `json()` on the same stub. Contestants alternate in
// rotated order, round after round; each round's figure is calls per CPU second of this
// process, and the ratios are taken within a round, their median reported.

const BODY = { id: 542335, status: "on hold" };

/** A stub `fetch` that answers every call at once with the prebuilt chat. */
function stubFetch(answer) {
  const bytes = new TextEncoder().encode(JSON.stringify(answer));
  const headers = { "content-type": "application/json" };
  return async () => new Response(bytes, { status: 200, headers });
}

/**
 * Runs `rounds` rounds of `calls` calls per contestant (16 in flight) and returns each
 * contestant's median calls per CPU second and its median ratio to openapi-fetch and to
 * the plain call.
 */
export async function runStubRounds({
  createHelpCrunchClient,
  createClient,
  chat,
  rounds,
  calls,
  gc,
}) {
  const fetch = stubFetch(chat);
  const origin = "https://api.helpcrunch.com/v1";
  const url = `${origin}/chats/status`;
  const auth = "Bearer bench-key";
  // The client as users run it: validation, the rate limiter (set high enough never to wait)
  // and retries all on.
  const hc = createHelpCrunchClient({
    apiKey: "bench-key",
    fetch,
    rateLimit: { requestsPerMinute: 1_000_000 },
  });
  const bare = createClient({ baseUrl: origin, headers: { Authorization: auth }, fetch });
  const contestants = {
    plain: async () => {
      const response = await fetch(url, {
        method: "PUT",
        headers: { Authorization: auth, "Content-Type": "application/json" },
        body: JSON.stringify(BODY),
      });
      return response.json();
    },
    client: () => hc.chats.updateStatus(BODY),
    "openapi-fetch": async () => (await bare.PUT("/chats/status", { body: BODY })).data,
  };
  const names = Object.keys(contestants);

  const drive = async (call, total) => {
    let left = total;
    const worker = async () => {
      while (left-- > 0) {
        const answer = await call();
        if (answer?.id !== chat.id) {
          throw new Error(`stub bench: wrong answer ${JSON.stringify(answer)?.slice(0, 80)}`);
        }
      }
    };
    const cpu = process.cpuUsage();
    await Promise.all(Array.from({ length: 16 }, worker));
    const used = process.cpuUsage(cpu);
    return total / ((used.user + used.system) / 1e6);
  };

  for (const name of names) {
    await drive(contestants[name], calls); // warm-up
  }
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
    const round = {};
    for (const name of order) {
      gc();
      round[name] = await drive(contestants[name], calls);
    }
    perRound.push(round);
  }
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const round3 = (n) => +n.toFixed(3);
  return {
    method:
      "calls per CPU second of this process, in-memory stub fetch; ratios per round, median over rounds",
    rounds: perRound.map((round) =>
      Object.fromEntries(Object.entries(round).map(([k, v]) => [k, Math.round(v)])),
    ),
    callsPerCpuSecond: Object.fromEntries(
      names.map((name) => [name, Math.round(median(perRound.map((round) => round[name])))]),
    ),
    clientToOpenapiFetch: round3(
      median(perRound.map((round) => round.client / round["openapi-fetch"])),
    ),
    clientToPlain: round3(median(perRound.map((round) => round.client / round.plain))),
    openapiFetchToPlain: round3(
      median(perRound.map((round) => round["openapi-fetch"] / round.plain)),
    ),
  };
}
