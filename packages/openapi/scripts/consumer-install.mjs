#!/usr/bin/env node
// What a consumer's `npm install` of our published packages runs on their machine. Packs the
// four public packages (pnpm pack, as `pnpm publish` packs them), installs the tarballs into a
// fresh temporary project with plain `npm install`, install scripts ENABLED and the registry
// reachable, exactly as a consumer would, and proves:
//
//   1. which install scripts ran (npm's own `info run` log lines), and what they printed;
//   2. that Scarf (Prism's analytics postinstall) reported nothing:
//      - its environment opt-outs (SCARF_ANALYTICS, SCARF_NO_ANALYTICS, DO_NOT_TRACK) are
//        removed from the install's environment, so only package.json settings can stop it;
//      - SCARF_LOCAL_PORT points Scarf at a local canary server instead of scarf.sh, so a
//        report, if one were made, lands here (and never leaves the machine): the canary must
//        see no connection;
//      - Scarf's own decision code (`processDependencyTreeOutput` of its report.js) is run on
//        the finished tree (`npm ls @scarf/scarf --json --long`, what its postinstall reads)
//        and must refuse with "disabled via a package.json in the dependency chain": the
//        `scarfSettings: { enabled: false }` of @helpcrunch-chats/mock. This does not depend
//        on the postinstall's own 3-second `npm ls` finishing in time on a busy machine.
//   3. that the installed mock starts and answers, and the installed client talks to it;
//   4. on the machine's other Node (Node 20 here), whether `npm install --engine-strict`
//      accepts the mock, and whether the installed mock runs there (see the mock's README).
//
// Writes the listing to .artifacts/consumer-install.txt (and .json) and prints one line.
// Bounded in time: every child process has a deadline (a guard against hangs, not a speed
// test: the deadlines are minutes, an install takes seconds to a minute).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pack, publicPackages, tempDir } from "../../../scripts/lib/workspace.mjs";

const PKG_DIR = fileURLToPath(new URL("..", import.meta.url));
const ARTIFACTS = join(PKG_DIR, ".artifacts");
const INSTALL_DEADLINE_MS = 10 * 60_000;
const RUN_DEADLINE_MS = 4 * 60_000;
const SCARF_OPT_OUTS = ["SCARF_ANALYTICS", "SCARF_NO_ANALYTICS", "DO_NOT_TRACK"];

/** Runs a command to its end (or its deadline); never throws for a non-zero exit. */
function exec(command, args, { cwd, env = process.env, deadlineMs = RUN_DEADLINE_MS } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${error.message}`, stdout });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: signal ? -1 : code,
        output: signal ? `${output}\n(killed after ${deadlineMs / 1000} s)` : output,
        stdout,
      });
    });
  });
}

/** The first executable called `name` on PATH. */
function which(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, name))) {
      return join(dir, name);
    }
  }
  throw new Error(`${name} is not on PATH`);
}

/** A TCP server on loopback that records every connection: Scarf's report target. */
async function startCanary() {
  const hits = [];
  const server = createServer((socket) => {
    let data = "";
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("close", () => hits.push(data.slice(0, 2000)));
    socket.end("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function consumerEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const name of SCARF_OPT_OUTS) {
    delete env[name];
  }
  // No funding or audit calls, no update check; the registry stays reachable.
  env.npm_config_fund = "false";
  env.npm_config_audit = "false";
  env.npm_config_update_notifier = "false";
  return env;
}

const SMOKE = `
import { createHelpCrunchClient } from "@helpcrunch-chats/client";
import { startMockServer } from "@helpcrunch-chats/mock";
const mock = await startMockServer();
try {
  const response = await fetch(mock.url + "/chats/status", {
    method: "PUT",
    headers: { authorization: "Bearer test-key", "content-type": "application/json" },
    body: JSON.stringify({ id: 542335, status: "on hold" }),
  });
  const body = await response.json();
  const hc = createHelpCrunchClient({ apiKey: "test-key", baseUrl: mock.url });
  const chat = await hc.chats.create({ customer: 8738438, application: 3838 });
  console.log(JSON.stringify({ node: process.version, status: response.status,
    violations: response.headers.get("sl-violations"), id: body.id, created: chat.id }));
} finally {
  await mock.stop();
}
`;

/**
 * The install scripts npm ran, from its `--loglevel=info --foreground-scripts` output: npm
 * logs `info run <pkg> <event> <path> <command>` before each and `info run <pkg> <event>
 * { code, signal }` after it; what the script printed comes in between.
 */
function scriptsRun(output, during) {
  const log = output.split("\n");
  const scripts = [];
  for (let i = 0; i < log.length; i++) {
    const start = log[i].match(
      /^npm info run (\S+) (preinstall|install|postinstall|prepare) (\S+) (.+)$/,
    );
    if (!start || /\{ code: /.test(log[i])) {
      continue;
    }
    const printed = [];
    let exit = "?";
    for (let j = i + 1; j < log.length; j++) {
      const end = log[j].match(/^npm info run (\S+) (\S+) \{ code: (\S+), signal/);
      if (end && end[1] === start[1] && end[2] === start[2]) {
        exit = end[3];
        break;
      }
      if (log[j].trim() && !log[j].startsWith("npm ") && !log[j].startsWith("> ")) {
        printed.push(log[j].trim());
      }
    }
    scripts.push({
      during,
      package: start[1],
      event: start[2],
      path: start[3],
      command: start[4],
      exit,
      printed,
    });
  }
  return scripts;
}

const npm = realpathSync(which("npm"));
const report = { node: process.version, scripts: [], checks: [] };
const lines = [];
const check = (ok, text) => {
  report.checks.push({ ok, text });
  lines.push(`${ok ? "ok  " : "FAIL"} ${text}`);
};

const temp = tempDir("consumer-install-");
const canary = await startCanary();
try {
  const tarballs = join(temp.dir, "tarballs");
  const project = join(temp.dir, "project");
  mkdirSync(tarballs);
  mkdirSync(project);
  const packed = publicPackages().map((pkg) => pack(pkg.dir, tarballs));
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "consumer-install-probe", version: "0.0.0", private: true, type: "module" }, null, 2)}\n`,
  );

  // 1. Two installs, as consumers run them, install scripts enabled and Scarf's env opt-outs
  // removed: `npm install <packages>` (adding them to a project) and `npm ci` (a teammate or
  // CI installing from that project's lockfile; here the tree Scarf inspects is complete).
  const npmVersion = (await exec(process.execPath, [npm, "--version"])).stdout.trim();
  report.npm = npmVersion;
  const env = consumerEnv({ SCARF_VERBOSE: "true", SCARF_LOCAL_PORT: String(canary.port) });
  const installs = [["install", ...packed.map((p) => p.filename)], ["ci"]];
  for (const [command, ...args] of installs) {
    if (command === "ci") {
      rmSync(join(project, "node_modules"), { recursive: true, force: true });
    }
    const install = await exec(
      process.execPath,
      [npm, command, "--foreground-scripts", "--loglevel=info", "--no-audit", "--no-fund", ...args],
      { cwd: project, env, deadlineMs: INSTALL_DEADLINE_MS },
    );
    check(
      install.code === 0,
      `npm ${npmVersion} ${command} ${command === "ci" ? "(from the lockfile the first install wrote)" : `of ${packed.map((p) => `${p.name}@${p.version}`).join(", ")}`} on Node ${process.version}, install scripts enabled`,
    );
    if (install.code !== 0) {
      lines.push(install.output.split("\n").slice(-30).join("\n"));
    }
    report.scripts.push(...scriptsRun(install.output, `npm ${command}`));
  }
  const declared = await exec(process.execPath, [
    "-e",
    `const fs=require("fs"),path=require("path");const out=[];
     (function walk(dir){for(const e of fs.readdirSync(dir,{withFileTypes:true})){
       if(!e.isDirectory())continue;const p=path.join(dir,e.name);
       if(e.name.startsWith("@")){walk(p);continue;}
       const f=path.join(p,"package.json");if(fs.existsSync(f)){const m=JSON.parse(fs.readFileSync(f,"utf8"));
         for(const ev of ["preinstall","install","postinstall"])if(m.scripts&&m.scripts[ev])out.push(m.name+"@"+m.version+" "+ev+": "+m.scripts[ev]);}
       if(fs.existsSync(path.join(p,"node_modules")))walk(path.join(p,"node_modules"));}})(path.join(process.argv[1],"node_modules"));
     console.log(JSON.stringify(out.sort()));`,
    project,
  ]);
  report.declaredInstallScripts = JSON.parse(declared.stdout || "[]");
  lines.push(
    `install scripts declared in the installed tree: ${report.declaredInstallScripts.length}`,
  );
  for (const entry of report.declaredInstallScripts) {
    lines.push(`  ${entry}`);
  }
  lines.push(`install scripts npm ran: ${report.scripts.length}`);
  for (const s of report.scripts) {
    lines.push(
      `  [${s.during}] ${s.package} ${s.event} (${s.path}): \`${s.command}\`, exit ${s.exit}`,
    );
    for (const text of s.printed) {
      lines.push(`      | ${text}`);
    }
  }
  const ranUnknown = report.scripts.filter((s) => !s.package.startsWith("@scarf/scarf@"));
  check(
    ranUnknown.length === 0,
    `no install script ran but Scarf's${ranUnknown.length ? `; also ran: ${ranUnknown.map((s) => s.package).join(", ")}` : ""}`,
  );

  // 2. Scarf reported nothing.
  const scarfPrinted = report.scripts.flatMap((s) => s.printed).join("\n");
  check(
    !/Scarf payload:|Response status:/.test(scarfPrinted),
    "Scarf's postinstall built no payload and got no response (SCARF_VERBOSE=true would print both)",
  );
  check(
    canary.hits.length === 0,
    `the canary at SCARF_LOCAL_PORT=${canary.port} saw ${canary.hits.length} report(s)`,
  );
  const scarfDir = join(project, "node_modules", "@scarf", "scarf");
  if (existsSync(scarfDir)) {
    // Without npm's hidden lockfile, `npm ls` reads every package.json, as it does while an
    // install runs (the hidden lockfile keeps no scarfSettings).
    rmSync(join(project, "node_modules", ".package-lock.json"), { force: true });
    const tree = await exec(process.execPath, [npm, "ls", "@scarf/scarf", "--json", "--long"], {
      cwd: project,
      env: consumerEnv({}),
    });
    const chains = [];
    (function walk(node, chain) {
      for (const [name, dep] of Object.entries(node.dependencies ?? {})) {
        const next = [
          ...chain,
          `${name}${dep.scarfSettings ? ` ${JSON.stringify(dep.scarfSettings)}` : ""}`,
        ];
        if (name === "@scarf/scarf") {
          chains.push(next.join(" > "));
        }
        walk(dep, next);
      }
    })(JSON.parse(tree.stdout || "{}"), []);
    lines.push(`paths to @scarf/scarf in the installed tree: ${chains.length}`);
    for (const chain of chains) {
      lines.push(`  ${chain}`);
    }
    writeFileSync(join(temp.dir, "scarf-tree.json"), tree.stdout);
    const decision = await exec(
      process.execPath,
      [
        "-e",
        `const r=require(process.argv[1]);const out=require("fs").readFileSync(process.argv[2],"utf8");
         new Promise((res,rej)=>r.processDependencyTreeOutput(res,rej)(null,out,""))
           .then(d=>console.log("would report: parent "+d.parent.name),e=>console.log("refused: "+e.message));`,
        join(scarfDir, "report.js"),
        join(temp.dir, "scarf-tree.json"),
      ],
      { cwd: project, env: consumerEnv({ INIT_CWD: project }) },
    );
    report.scarfDecision = decision.stdout.trim();
    check(
      /refused: Scarf has been disabled via a package\.json in the dependency chain/.test(
        decision.stdout,
      ),
      `Scarf's own decision on the installed tree, without env opt-outs: ${report.scarfDecision || decision.output.trim()}`,
    );
  } else {
    check(true, "@scarf/scarf is not in the installed tree at all");
  }

  // 3. The installed packages work.
  writeFileSync(join(project, "smoke.mjs"), SMOKE);
  const smoke = await exec(process.execPath, ["smoke.mjs"], { cwd: project });
  check(
    smoke.code === 0 && /"status":200,"violations":null/.test(smoke.stdout),
    `the installed mock answers and the installed client talks to it on Node ${process.version}: ${smoke.stdout.trim() || smoke.output.trim().slice(-400)}`,
  );

  // 4. The machine's other Node (Debian's /usr/bin/node, Node 20 here), as a consumer on an
  // older Node would meet the mock.
  const otherNode = "/usr/bin/node";
  const otherVersion = existsSync(otherNode)
    ? (await exec(otherNode, ["--version"])).stdout.trim()
    : "";
  if (otherVersion && otherVersion.split(".")[0] !== process.version.split(".")[0]) {
    const strict = join(temp.dir, "engine-strict");
    mkdirSync(strict);
    writeFileSync(
      join(strict, "package.json"),
      '{"name":"engine-strict-probe","version":"0.0.0","private":true}\n',
    );
    const mockTarball = packed.find((p) => p.name === "@helpcrunch-chats/mock").filename;
    const openapiTarball = packed.find((p) => p.name === "@helpcrunch-chats/openapi").filename;
    const strictInstall = await exec(
      otherNode,
      [
        npm,
        "install",
        "--engine-strict",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        openapiTarball,
        mockTarball,
      ],
      { cwd: strict, env: consumerEnv({}), deadlineMs: INSTALL_DEADLINE_MS },
    );
    const blocked = strictInstall.output.match(
      /notsup Not compatible with your version of node\/npm: (\S+)/,
    );
    report.engineStrict = {
      node: otherVersion,
      exit: strictInstall.code,
      blockedBy: blocked?.[1] ?? null,
    };
    lines.push(
      `npm install --engine-strict on Node ${otherVersion}: ${strictInstall.code === 0 ? "accepted" : `refused (EBADENGINE), blocked by ${blocked?.[1] ?? "?"}`}`,
    );
    const engines = await exec(process.execPath, [
      "-e",
      `const fs=require("fs"),path=require("path");const semver=require(process.argv[3]);const out=[];
       (function walk(dir){for(const e of fs.readdirSync(dir,{withFileTypes:true})){
         if(!e.isDirectory())continue;const p=path.join(dir,e.name);
         if(e.name.startsWith("@")){walk(p);continue;}
         const f=path.join(p,"package.json");if(fs.existsSync(f)){const m=JSON.parse(fs.readFileSync(f,"utf8"));
           const r=m.engines&&m.engines.node;if(r&&!semver.satisfies(process.argv[2],r))out.push(m.name+"@"+m.version+" (node "+r+")");}
         if(fs.existsSync(path.join(p,"node_modules")))walk(path.join(p,"node_modules"));}})(path.join(process.argv[1],"node_modules"));
       console.log(JSON.stringify(out.sort()));`,
      project,
      otherVersion,
      join(npm, "..", "..", "node_modules", "semver"),
    ]);
    report.enginesExcludingOtherNode = JSON.parse(engines.stdout || "[]");
    lines.push(
      `installed packages whose engines exclude Node ${otherVersion} (each alone fails an engine-strict install): ${report.enginesExcludingOtherNode.join(", ") || "none"}`,
    );
    const olderSmoke = await exec(otherNode, ["smoke.mjs"], { cwd: project });
    report.runsOnOtherNode =
      olderSmoke.code === 0 && /"status":200,"violations":null/.test(olderSmoke.stdout);
    lines.push(
      `the installed mock and client on Node ${otherVersion} (installed without engine-strict): ${report.runsOnOtherNode ? "start and answer" : "fail"}: ${(olderSmoke.stdout || olderSmoke.output).trim().slice(-400)}`,
    );
  } else {
    lines.push(
      "no second Node on this machine (/usr/bin/node): the engine-strict probe did not run",
    );
  }
} catch (error) {
  check(false, `consumer-install: ${error.stack ?? error.message}`);
} finally {
  await canary.close();
  temp.remove();
}

mkdirSync(ARTIFACTS, { recursive: true });
writeFileSync(join(ARTIFACTS, "consumer-install.txt"), `${lines.join("\n")}\n`);
writeFileSync(join(ARTIFACTS, "consumer-install.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(lines.join("\n"));
const failed = report.checks.filter((c) => !c.ok);
const scarfRan = report.scripts.filter((s) => s.package.startsWith("@scarf/scarf@")).length;
const scarfDeclined = report.scripts.filter((s) =>
  s.printed.some((text) => /disabled via a package\.json in the dependency chain/.test(text)),
).length;
console.log(
  `consumer-install: ${failed.length ? `FAILED (${failed.length} check(s))` : "OK"}: ${report.scripts.length} install script(s) ran, all Scarf's (${scarfRan}), none reported (${scarfDeclined} said "disabled via a package.json in the dependency chain", the canary saw ${canary.hits.length} report(s)); listing in packages/openapi/.artifacts/consumer-install.txt`,
);
process.exit(failed.length ? 1 : 0);
