// Loopback throughput of the client against plain fetch, bare openapi-fetch and axios.
//
//   pnpm bench                      (root: turbo builds the client first, then runs this)
//   pnpm --filter @helpcrunch-chats/client bench -- --quick --concurrency 32
//
// One run, one local server in its own process (bench/server.mjs), four contestants doing
// the same call (PUT /chats/status, JSON body, Authorization, JSON answer read and parsed)
// at the same concurrency. After a check that each sends the right request and gets the
// chat back, and a warm-up, every round times each contestant for a fixed number of
// requests, in an order rotated from round to round. The ratio of a contestant to plain
// fetch is taken within each round (neighbouring segments see the same machine load) and
// its median over the rounds is reported; so a busy machine moves the req/s, less the ratio.
// Beside req/s it reports this process's CPU time per request, the client side's own cost:
// when the server or a busy machine is the bottleneck, req/s converge; CPU time much less.
// Results go to .artifacts/bench.json. This is a benchmark, not a test: it fails only when
// a contestant errs or sends a wrong request, never on a slow number.

import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { availableParallelism, cpus, loadavg, platform, release } from "node:os";
import { dirname, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { bundle } from "../scripts/bundle-size.mjs";
import { CHAT as CHAT_ANSWER } from "./chat.mjs";
import { runStubRounds } from "./stub.mjs";

const USAGE = `Usage: node bench/run.mjs [--quick] [--concurrency N] [--rounds N] [--requests N]
                        [--warmup N] [--max-seconds N] [--only a,b] [--out FILE]
  --quick          short smoke run (3 rounds of 300 requests, 300 warm-up)
  --concurrency N  requests in flight per contestant (default 16)
  --rounds N       timed rounds (default 7)
  --requests N     requests per contestant per round (default 3000)
  --warmup N       untimed requests per contestant before the rounds (default 2000)
  --max-seconds N  stop after the round that passes this many seconds (default 120)
  --only a,b       time only these contestants beside plain fetch: client, openapi-fetch, axios
  --out FILE       where to write the results (default .artifacts/bench.json)`;

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    concurrency: { type: "string" },
    rounds: { type: "string" },
    requests: { type: "string" },
    warmup: { type: "string" },
    "max-seconds": { type: "string" },
    out: { type: "string" },
    only: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (flags.help) {
  console.log(USAGE);
  process.exit(0);
}

/** A positive integer flag, or its default; anything else stops with the usage. */
function count(name, fallback) {
  const raw = flags[name];
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value > 0) {
    return value;
  }
  console.error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}\n\n${USAGE}`);
  process.exit(2);
}

const quick = flags.quick;
const settings = {
  quick,
  concurrency: count("concurrency", 16),
  rounds: count("rounds", quick ? 3 : 7),
  requestsPerRound: count("requests", quick ? 300 : 3000),
  warmupRequests: count("warmup", quick ? 300 : 2000),
  maxSeconds: count("max-seconds", quick ? 30 : 120),
};
const outFile = flags.out
  ? resolve(flags.out)
  : fileURLToPath(new URL("../.artifacts/bench.json", import.meta.url));

const ID = 542335;
const BODY = { id: ID, status: "on hold" };
const API_KEY = "bench-key";
const AUTH = `Bearer ${API_KEY}`;

// A hard stop, whatever happens: the run is bounded in time, not only in count.
const watchdog = setTimeout(
  () => {
    console.error(`bench: still running after ${settings.maxSeconds + 60} s; stopped`);
    process.exit(1);
  },
  (settings.maxSeconds + 60) * 1000,
);
watchdog.unref();

// A full collection between timed segments, so one contestant's garbage is not collected
// on the next one's time. `node --expose-gc` is not needed for it.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const dist = new URL("../dist/index.js", import.meta.url);
const distText = readDist();
warnIfStale();

const { createHelpCrunchClient } = await import(dist.href);
const { default: createClient } = await import("openapi-fetch");
const { default: axios } = await import("axios");

function readDist() {
  try {
    return readFileSync(dist);
  } catch {
    console.error(
      "bench: dist/index.js is missing: build first (pnpm build), or run `pnpm bench` at the root",
    );
    process.exit(1);
  }
}

/** Says so when a source file is newer than the build: the numbers would be of old code. */
function warnIfStale() {
  const src = fileURLToPath(new URL("../src/", import.meta.url));
  const built = statSync(dist).mtimeMs;
  const newer = readdirSync(src, { recursive: true }).filter(
    (file) => statSync(`${src}/${file}`).mtimeMs > built,
  );
  if (newer.length) {
    console.warn(
      `bench: warning: src/ has changes newer than dist/index.js (${newer.join(", ")}); rebuild to measure them`,
    );
  }
}

// --- the server, in its own process ---------------------------------------------------------

const server = fork(fileURLToPath(new URL("./server.mjs", import.meta.url)), {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
/** The server's next IPC message that has `key`. */
const reply = (key) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`bench server: no "${key}" reply within 10 s`)),
      10_000,
    );
    const onMessage = (message) => {
      if (message?.[key] === undefined) {
        return;
      }
      clearTimeout(timer);
      server.off("message", onMessage);
      resolve(message[key]);
    };
    server.on("message", onMessage);
  });
const ask = (cmd, key) => {
  const answer = reply(key);
  server.send({ cmd });
  return answer;
};
server.once("exit", (code, signal) => {
  if (!finished) {
    console.error(`bench server exited early (${signal ?? code})`);
    process.exit(1);
  }
});
let finished = false;

// --- the contestants ------------------------------------------------------------------------

const port = await reply("port");
const origin = `http://127.0.0.1:${port}`;
const url = `${origin}/chats/status`;

const hc = createHelpCrunchClient({ apiKey: API_KEY, baseUrl: origin, rateLimit: false });
const bare = createClient({ baseUrl: origin, headers: { Authorization: AUTH } });
const axiosAgent = new Agent({ keepAlive: true });
const ax = axios.create({ httpAgent: axiosAgent });

/** Each resolves to the parsed chat, or rejects. Same request, same answer, same parsing. */
const allContestants = [
  {
    name: "fetch",
    label: "plain fetch(url, init)",
    call: async () => {
      const response = await fetch(url, {
        method: "PUT",
        headers: { Authorization: AUTH, "Content-Type": "application/json" },
        body: JSON.stringify(BODY),
      });
      if (!response.ok) {
        throw new Error(`fetch: status ${response.status}`);
      }
      return response.json();
    },
  },
  {
    name: "client",
    label: "@helpcrunch-chats/client",
    call: () => hc.chats.updateStatus(BODY),
  },
  {
    name: "openapi-fetch",
    label: "openapi-fetch (bare)",
    call: async () => {
      const { data, error, response } = await bare.PUT("/chats/status", { body: BODY });
      if (error !== undefined) {
        throw new Error(`openapi-fetch: status ${response.status}`);
      }
      return data;
    },
  },
  {
    name: "axios",
    label: "axios (instance)",
    call: async () =>
      (
        await ax.put(url, BODY, {
          headers: { Authorization: AUTH, "Content-Type": "application/json" },
        })
      ).data,
  },
];
const only = flags.only?.split(",").map((name) => name.trim());
const unknown = only?.filter((name) => !allContestants.some((c) => c.name === name)) ?? [];
if (unknown.length) {
  console.error(`--only: unknown contestant ${unknown.join(", ")}\n\n${USAGE}`);
  process.exit(2);
}
const contestants = allContestants.filter(
  (c) => c.name === "fetch" || !only || only.includes(c.name),
);

/** One call, checked on both sides: what the server received, and what the caller got. */
async function verify({ name, call }) {
  await ask("record", "recording");
  const chat = await call();
  const requests = await ask("take", "requests");
  const problems = [];
  if (chat?.id !== ID) {
    problems.push(`answer id ${JSON.stringify(chat?.id)}, expected ${ID}`);
  }
  if (requests.length !== 1) {
    problems.push(`${requests.length} requests sent, expected 1`);
  }
  const [request] = requests;
  if (request) {
    if (request.method !== "PUT") {
      problems.push(`method ${request.method}`);
    }
    if (request.url !== "/chats/status") {
      problems.push(`path ${request.url}`);
    }
    if (request.headers.authorization !== AUTH) {
      problems.push(`authorization ${request.headers.authorization}`);
    }
    if (!/^application\/json\b/.test(request.headers["content-type"] ?? "")) {
      problems.push(`content-type ${request.headers["content-type"]}`);
    }
    if (request.body !== JSON.stringify(BODY)) {
      problems.push(`body ${request.body}`);
    }
  }
  if (problems.length) {
    throw new Error(`${name} is not doing the benchmark's call: ${problems.join("; ")}`);
  }
}

/**
 * `total` calls, `concurrency` at a time. Returns requests per second (wall clock) and this
 * process's CPU time per request (user + system, all its threads: the client side's cost,
 * which a busy machine disturbs much less than the wall clock). Any failure stops the bench.
 */
async function drive({ name, call }, total) {
  let left = total;
  const worker = async () => {
    while (left > 0) {
      left--;
      const chat = await call();
      if (chat?.id !== ID) {
        throw new Error(`${name}: answer id ${JSON.stringify(chat?.id)}, expected ${ID}`);
      }
    }
  };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, total) }, worker));
  const cpu = process.cpuUsage(cpuStart);
  return {
    rps: total / ((performance.now() - start) / 1000),
    cpuUs: (cpu.user + cpu.system) / total,
  };
}

/** A timed (or warm-up) segment, with a settled heap and event loop before it. */
async function segment(contestant, total) {
  gc();
  await sleep(20);
  return drive(contestant, total);
}

/**
 * CPU time of the whole machine (all cores, ms) and of this bench's two processes, now: the
 * difference over the rounds tells how much other processes took. Linux counts both in jiffies
 * and µs of the same clock, so they compare.
 */
async function machineCpu() {
  const server = await ask("cpu", "cpu");
  const client = process.cpuUsage();
  return {
    wallMs: performance.now(),
    busyMs: cpus().reduce((sum, { times: t }) => sum + t.user + t.nice + t.sys + t.irq, 0),
    benchMs: (client.user + client.system) / 1000,
    serverMs: (server.user + server.system) / 1000,
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (rps) => Math.round(rps).toLocaleString("en-US");
const round3 = (n) => +n.toFixed(3);

// --- the run --------------------------------------------------------------------------------

const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const load = { start: loadavg().map((n) => +n.toFixed(2)) };

console.log(
  `bench: ${contestants.length} contestants, ${settings.concurrency} in flight, ${settings.rounds} rounds × ` +
    `${settings.requestsPerRound} requests each, ${settings.warmupRequests} warm-up; node ${process.version}, ` +
    `${availableParallelism()} cores, load ${load.start.join(" ")}`,
);
try {
  for (const contestant of contestants) {
    await verify(contestant);
  }
  console.log(
    `check: all ${contestants.length} send PUT /chats/status with the auth, JSON type and body, and get the chat back`,
  );

  for (const contestant of contestants) {
    const { rps, cpuUs } = await segment(contestant, settings.warmupRequests);
    console.log(
      `warm-up: ${contestant.name.padEnd(13)} ${fmt(rps).padStart(7)} req/s ${cpuUs.toFixed(0).padStart(5)} µs CPU/req`,
    );
  }

  const machineStart = await machineCpu();
  const rounds = [];
  for (let r = 0; r < settings.rounds; r++) {
    const shift = r % contestants.length;
    const order = [...contestants.slice(shift), ...contestants.slice(0, shift)];
    const rps = {};
    const cpuUs = {};
    for (const contestant of order) {
      ({ rps: rps[contestant.name], cpuUs: cpuUs[contestant.name] } = await segment(
        contestant,
        settings.requestsPerRound,
      ));
    }
    rounds.push({ order: order.map((c) => c.name), rps, cpuUs });
    console.log(
      `round ${r + 1}/${settings.rounds} (${elapsed().toFixed(0)} s): ` +
        order
          .map((c) => `${c.name} ${fmt(rps[c.name])}/s ${cpuUs[c.name].toFixed(0)}µs`)
          .join(" · "),
    );
    if (elapsed() > settings.maxSeconds && r + 1 < settings.rounds) {
      console.warn(
        `bench: past --max-seconds ${settings.maxSeconds}; stopping after ${r + 1} rounds`,
      );
      break;
    }
  }
  load.end = loadavg().map((n) => +n.toFixed(2));
  const machine = await machineCpu();
  const cpuUse = {};
  for (const key of ["busyMs", "benchMs", "serverMs"]) {
    cpuUse[key] = (machine[key] - machineStart[key]) / (machine.wallMs - machineStart.wallMs);
  }
  /** Cores used on average over the rounds: by this process, by the server, by everything else. */
  const cores = {
    bench: round3(cpuUse.benchMs),
    server: round3(cpuUse.serverMs),
    others: round3(Math.max(0, cpuUse.busyMs - cpuUse.benchMs - cpuUse.serverMs)),
  };

  const results = contestants.map(({ name, label }) => {
    const rps = rounds.map((round) => round.rps[name]);
    const ratios = rounds.map((round) => round.rps[name] / round.rps.fetch);
    const cpuUs = rounds.map((round) => round.cpuUs[name]);
    const cpuRatios = rounds.map((round) => round.cpuUs.fetch / round.cpuUs[name]);
    return {
      name,
      label,
      medianRps: Math.round(median(rps)),
      minRps: Math.round(Math.min(...rps)),
      maxRps: Math.round(Math.max(...rps)),
      ratio: round3(median(ratios)),
      ratioMin: round3(Math.min(...ratios)),
      ratioMax: round3(Math.max(...ratios)),
      medianCpuUsPerRequest: +median(cpuUs).toFixed(1),
      cpuRatio: round3(median(cpuRatios)),
      cpuRatioMin: round3(Math.min(...cpuRatios)),
      cpuRatioMax: round3(Math.max(...cpuRatios)),
      rps: rps.map(Math.round),
      cpuUsPerRequest: cpuUs.map((us) => +us.toFixed(1)),
    };
  });

  const cols = [26, 13, 6, 11, 12, 10, 11];
  const row = (cells) =>
    cells
      .map((cell, i) => (i ? String(cell).padStart(cols[i]) : String(cell).padEnd(cols[i])))
      .join("  ");
  const range = (min, max) => `${min.toFixed(2)}–${max.toFixed(2)}`;
  console.log(
    `\n${row(["contestant", "median req/s", "ratio", "range", "µs CPU/req", "CPU ratio", "range"])}`,
  );
  for (const r of results) {
    console.log(
      row([
        r.label,
        fmt(r.medianRps),
        r.ratio.toFixed(2),
        range(r.ratioMin, r.ratioMax),
        r.medianCpuUsPerRequest.toFixed(0),
        r.cpuRatio.toFixed(2),
        range(r.cpuRatioMin, r.cpuRatioMax),
      ]),
    );
  }
  console.log(
    `\nratio = median over ${rounds.length} rounds of (contestant req/s ÷ plain fetch req/s in the same round).\n` +
      "CPU ratio = the same with this process's CPU time per request (plain fetch's ÷ the contestant's): the\n" +
      "client side's cost, what req/s would show if the client were the bottleneck; steadier on a busy machine.\n" +
      `cores used during the rounds: bench ${cores.bench.toFixed(2)}, server ${cores.server.toFixed(2)}, ` +
      `other processes ${cores.others.toFixed(2)} (of ${availableParallelism()})` +
      (cores.others > 0.2 ? ": the machine was busy, so req/s are noisy and ratios less sure" : ""),
  );

  // The CPU-bound half: the same call on an in-memory fetch, so only the callers' own work counts.
  const stub = await runStubRounds({
    createHelpCrunchClient,
    createClient,
    chat: CHAT_ANSWER,
    rounds: settings.rounds,
    calls: settings.requestsPerRound,
    gc,
  });
  console.log(
    `\nstubbed fetch (CPU-bound): calls per CPU second, median of ${stub.rounds.length} rounds: ` +
      Object.entries(stub.callsPerCpuSecond)
        .map(([name, n]) => `${name} ${fmt(n)}`)
        .join(" · ") +
      `\n  client ÷ openapi-fetch ${stub.clientToOpenapiFetch.toFixed(2)}, client ÷ plain fetch+json ${stub.clientToPlain.toFixed(2)}` +
      ` (openapi-fetch ÷ plain ${stub.openapiFetchToPlain.toFixed(2)})`,
  );
  const size = await bundle();
  console.log(
    `bundle (main entry, with openapi-fetch): terser ${size.min} min / ${size.gzip} gzip; ` +
      `esbuild ${size.esbuild.min} min / ${size.esbuild.gzip} gzip`,
  );

  const version = (pkg) =>
    JSON.parse(readFileSync(fileURLToPath(import.meta.resolve(`${pkg}/package.json`)))).version;
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    os: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    loadAverage: load,
    coresUsedDuringRounds: cores,
    settings: {
      ...settings,
      contestants: contestants.map((c) => c.name),
      operation: "PUT /chats/status",
      body: BODY,
      server: "bench/server.mjs, own process",
    },
    versions: {
      client: JSON.parse(readFileSync(new URL("../package.json", import.meta.url))).version,
      clientDistSha256: createHash("sha256").update(distText).digest("hex").slice(0, 16),
      "openapi-fetch": version("openapi-fetch"),
      axios: axios.VERSION,
    },
    ratioMethod:
      "median over rounds of contestant req/s / plain fetch req/s measured in the same round",
    cpuRatioMethod:
      "median over rounds of plain fetch CPU µs per request / contestant CPU µs per request, same round; CPU = process.cpuUsage() user + system of the bench process (client side only)",
    seconds: +elapsed().toFixed(1),
    results,
    stub,
    bundle: { terser: { min: size.min, gzip: size.gzip }, esbuild: size.esbuild },
    rounds: rounds.map((round) => ({
      order: round.order,
      rps: Object.fromEntries(Object.entries(round.rps).map(([k, v]) => [k, Math.round(v)])),
      cpuUsPerRequest: Object.fromEntries(
        Object.entries(round.cpuUs).map(([k, v]) => [k, +v.toFixed(1)]),
      ),
    })),
  };
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${outFile} (${report.seconds} s)`);
} catch (error) {
  console.error(`bench failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  finished = true;
  axiosAgent.destroy();
  server.disconnect();
}
// Pooled keep-alive sockets of fetch would keep the process up for a few more seconds.
await Promise.race([new Promise((resolve) => server.once("exit", resolve)), sleep(2000)]);
process.exit();
