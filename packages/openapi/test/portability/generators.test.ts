// Clients generated from the bundled spec by two popular generators, swagger-typescript-api
// and orval (pinned in package.json), must compile under `tsc --strict` and type every
// success response: not `any`, not `void`, but the contract's `Chat` and `ChatPage`. The
// generators run with a preload (no-network.mjs) that records and refuses any network
// connection, DNS lookup or fetch: they must read the local file and never phone home.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { openapiYamlPath } from "../../index.js";

const require = createRequire(import.meta.url);
const PKG_DIR = fileURLToPath(new URL("../..", import.meta.url));
const NO_NETWORK = fileURLToPath(new URL("./no-network.mjs", import.meta.url));
const out = mkdtempSync(join(tmpdir(), "generators-"));
const networkLog = join(out, "network.log");
writeFileSync(networkLog, "");

afterAll(() => rmSync(out, { recursive: true, force: true }));

const version = (name: string) =>
  JSON.parse(readFileSync(join(PKG_DIR, "node_modules", name, "package.json"), "utf8")).version;

/** The generator's CLI, run by this Node with the network guard preloaded. */
function generate(bin: string, args: string[]) {
  const result = spawnSync(process.execPath, ["--import", NO_NETWORK, bin, ...args], {
    cwd: out,
    encoding: "utf8",
    timeout: 240_000,
    env: {
      ...process.env,
      NO_NETWORK_LOG: networkLog,
      DO_NOT_TRACK: "1",
      NO_UPDATE_NOTIFIER: "1",
      CI: "1",
    },
  });
  return { ...result, output: `${result.stdout}\n${result.stderr}` };
}

const binOf = (name: string, command: string) => {
  const manifestPath = join(PKG_DIR, "node_modules", name, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin[command];
  return join(dirname(manifestPath), bin);
};

const ASSERTIONS = `
import type { Api, Chat as StaChat, ChatPage as StaChatPage } from "./sta/api.js";
import type {
  Chat as OrvalChat,
  ChatPage as OrvalChatPage,
  createChatResponse201,
  getChatResponse200,
  listChatsResponse200,
  markChatReadByAgentResponse200,
  markChatReadByCustomerResponse200,
  searchChatsResponse200,
  snoozeChatResponse200,
  updateChatAssigneeResponse200,
  updateChatDepartmentResponse200,
  updateChatStatusResponse200,
} from "./orval/api.js";

type IsAny<T> = 0 extends 1 & T ? true : false;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type Typed<T, Want> = IsAny<T> extends true ? false : Equal<T, Want>;
type Sta<K extends keyof Api<unknown>["chats"]> = Awaited<ReturnType<Api<unknown>["chats"][K]>>["data"];

export type SwaggerTypescriptApi = [
  Expect<Typed<Sta<"createChat">, StaChat>>,
  Expect<Typed<Sta<"getChat">, StaChat>>,
  Expect<Typed<Sta<"listChats">, StaChatPage>>,
  Expect<Typed<Sta<"searchChats">, StaChatPage>>,
  Expect<Typed<Sta<"updateChatStatus">, StaChat>>,
  Expect<Typed<Sta<"markChatReadByAgent">, StaChat>>,
  Expect<Typed<Sta<"markChatReadByCustomer">, StaChat>>,
  Expect<Typed<Sta<"updateChatAssignee">, StaChat>>,
  Expect<Typed<Sta<"updateChatDepartment">, StaChat>>,
  Expect<Typed<Sta<"snoozeChat">, StaChat>>,
  Expect<Typed<StaChat["id"], number>>,
  Expect<null extends StaChat["status"] ? true : false>,
];

export type Orval = [
  Expect<Typed<createChatResponse201["data"], OrvalChat>>,
  Expect<Typed<getChatResponse200["data"], OrvalChat>>,
  Expect<Typed<listChatsResponse200["data"], OrvalChatPage>>,
  Expect<Typed<searchChatsResponse200["data"], OrvalChatPage>>,
  Expect<Typed<updateChatStatusResponse200["data"], OrvalChat>>,
  Expect<Typed<markChatReadByAgentResponse200["data"], OrvalChat>>,
  Expect<Typed<markChatReadByCustomerResponse200["data"], OrvalChat>>,
  Expect<Typed<updateChatAssigneeResponse200["data"], OrvalChat>>,
  Expect<Typed<updateChatDepartmentResponse200["data"], OrvalChat>>,
  Expect<Typed<snoozeChatResponse200["data"], OrvalChat>>,
  Expect<Typed<OrvalChat["id"], number>>,
  Expect<null extends OrvalChat["status"] ? true : false>,
];
`;

describe("clients generated from the bundled spec", () => {
  it(`swagger-typescript-api ${version("swagger-typescript-api")} generates a fetch client`, () => {
    const result = generate(binOf("swagger-typescript-api", "swagger-typescript-api"), [
      "generate",
      "--path",
      openapiYamlPath,
      "--output",
      join(out, "sta"),
      "--name",
      "api.ts",
      "--enum-style",
      "union",
      "--silent",
    ]);
    expect(result.status, result.output).toBe(0);
    const client = readFileSync(join(out, "sta", "api.ts"), "utf8");
    expect(client).toMatch(/updateChatStatus: \(/);
    // Its default client is fetch. (`--http-client fetch` gives an axios client in 13.13.0.)
    expect(client).not.toMatch(/from "axios"/);
  });

  it(`orval ${version("orval")} generates a fetch client`, () => {
    writeFileSync(
      join(out, "orval.config.mjs"),
      `export default { helpcrunch: { input: { target: ${JSON.stringify(openapiYamlPath)} }, output: { target: ${JSON.stringify(join(out, "orval", "api.ts"))}, client: "fetch", mode: "single", prettier: false } } };\n`,
    );
    const result = generate(binOf("orval", "orval"), ["--config", join(out, "orval.config.mjs")]);
    expect(result.status, result.output).toBe(0);
    expect(readFileSync(join(out, "orval", "api.ts"), "utf8")).toMatch(
      /export const updateChatStatus = /,
    );
  });

  it("the network guard records what it refuses", () => {
    const probeLog = join(out, "probe.log");
    writeFileSync(probeLog, "");
    const probe = spawnSync(
      process.execPath,
      [
        "--import",
        NO_NETWORK,
        "--input-type=module",
        "-e",
        `import https from "node:https";
         await fetch("https://registry.npmjs.org/").catch(() => {});
         try { https.get("https://scarf.sh/"); } catch {}`,
      ],
      { encoding: "utf8", timeout: 60_000, env: { ...process.env, NO_NETWORK_LOG: probeLog } },
    );
    expect(probe.status, probe.stderr).toBe(0);
    const log = readFileSync(probeLog, "utf8");
    expect(log).toMatch(/fetch https:\/\/registry\.npmjs\.org\//);
    expect(log).toMatch(/(connect|dns\.lookup) .*scarf\.sh/);
  });

  it("neither generator touched the network", () => {
    expect(readFileSync(networkLog, "utf8")).toBe("");
  });

  it(`both compile with tsc ${version("typescript")} --strict and type every success response`, () => {
    writeFileSync(join(out, "assertions.ts"), ASSERTIONS);
    writeFileSync(
      join(out, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          types: [],
          skipLibCheck: false,
        },
        files: ["sta/api.ts", "orval/api.ts", "assertions.ts"],
      }),
    );
    const tsc = require.resolve("typescript/bin/tsc", { paths: [PKG_DIR] });
    const result = spawnSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], {
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });

  it("the type checks bite: an `any` success type fails them", () => {
    const broken = readFileSync(join(out, "sta", "api.ts"), "utf8").replace(
      "this.request<Chat, ErrorEnvelope>({\n        path: `/chats/status`",
      "this.request<any, ErrorEnvelope>({\n        path: `/chats/status`",
    );
    expect(broken).toContain("this.request<any, ErrorEnvelope>");
    writeFileSync(join(out, "sta", "api.ts"), broken);
    const tsc = require.resolve("typescript/bin/tsc", { paths: [PKG_DIR] });
    const result = spawnSync(process.execPath, [tsc, "-p", join(out, "tsconfig.json")], {
      encoding: "utf8",
      timeout: 240_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(
      /assertions\.ts.*Type 'false' does not satisfy the constraint 'true'/,
    );
  });
});
