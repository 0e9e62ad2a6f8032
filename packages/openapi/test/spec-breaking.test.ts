// The breaking-change gate (scripts/spec-breaking.mjs), run for real: each test writes a
// copy of spec/openapi.yaml and a changed copy into a temporary directory, runs the gate's
// CLI on them as `pnpm spec:breaking` does, and checks its exit code and what it names.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

type Json = Record<string, any>;

const GATE = fileURLToPath(new URL("../scripts/spec-breaking.mjs", import.meta.url));
const SPEC = fileURLToPath(new URL("../../../spec/openapi.yaml", import.meta.url));
const BUNDLE = fileURLToPath(new URL("../openapi.json", import.meta.url));
const source: Json = parse(readFileSync(SPEC, "utf8"));

const work = mkdtempSync(join(tmpdir(), "spec-breaking-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;

interface GateOptions {
  /** Changes the base copy too (both copies start from spec/openapi.yaml). */
  base?: (spec: Json) => void;
  /** Files of a .changeset directory to hand to the gate with --changesets. */
  changesets?: Record<string, string>;
}

/** Runs the gate on a copy of the spec and a copy changed by `change`. */
function gate(change: (spec: Json) => void, options: GateOptions = {}) {
  const dir = join(work, String(++runs));
  mkdirSync(dir);
  const base = structuredClone(source);
  options.base?.(base);
  const head = structuredClone(base);
  change(head);
  writeFileSync(join(dir, "base.yaml"), stringify(base));
  writeFileSync(join(dir, "head.yaml"), stringify(head));
  const args = [GATE, join(dir, "base.yaml"), join(dir, "head.yaml")];
  if (options.changesets) {
    const changesets = join(dir, ".changeset");
    mkdirSync(changesets);
    for (const [file, text] of Object.entries(options.changesets)) {
      writeFileSync(join(changesets, file), text);
    }
    args.push("--changesets", changesets);
  }
  const result = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The printed change lines of one class. */
const lines = (stdout: string, cls: string) =>
  stdout.split("\n").filter((line) => line.startsWith(`  ${cls}: `));

const schemas = (spec: Json) => spec.components.schemas;

// Every operation answers with a chat or a page of chats, so a change to the shared Chat
// schema shows once per operation on the response side (ten since the reading half).
const CHAT_ANSWERS = Object.values(source.paths as Json).flatMap((item) =>
  Object.keys(item as Json),
).length;

// Each gate run is a Node process bundling and diffing two specs: 0.5-2.5 s on an idle
// 2-core machine, ten times that with turbo running every package's tests and more (a test
// that runs it three times passed 30 s there). The deadline only stops a hung gate.
const SLOW = { timeout: 180_000 };

const CHANGESET_README = "# Changesets\n\nNot a changeset: the gate must skip this file.\n";
const changeset = (releases: Record<string, string>, summary = "Why clients must change.") =>
  `---\n${Object.entries(releases)
    .map(([name, type]) => `"${name}": ${type}`)
    .join("\n")}\n---\n\n${summary}\n`;

describe("spec:breaking: nothing changed", SLOW, () => {
  it("exits 0 on identical specs and reports no change", () => {
    const { status, stdout } = gate(() => {});
    expect(status).toBe(0);
    expect(stdout).toContain("no changes");
    expect(stdout).toContain("no breaking change for clients");
  });

  it("reads the bundled JSON and the YAML source as the same spec", () => {
    const result = spawnSync(process.execPath, [GATE, BUNDLE, SPEC], { encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("no changes");
  });
});

describe("spec:breaking: requests (what clients send)", SLOW, () => {
  it("exits 1 when a request field becomes required, and names the field", () => {
    const { status, stdout } = gate((spec) => {
      schemas(spec).CreateChatRequest.required.push("assignee");
    });
    expect(status).toBe(1);
    expect(lines(stdout, "breaking")).toEqual([
      "  breaking: POST /chats: [Added] required status to `assignee` in Request Body content (application/json)",
    ]);
  });

  it("exits 1 when an enum value clients send is removed, and names the value", () => {
    const { status, stdout } = gate((spec) => {
      schemas(spec).ChatStatus.enum = schemas(spec).ChatStatus.enum.filter(
        (value: string) => value !== "on hold",
      );
    });
    expect(status).toBe(1);
    expect(stdout).toContain(
      `${CHAT_ANSWERS + 1} change(s): 1 breaking, ${CHAT_ANSWERS} non-breaking, 0 annotation`,
    );
    expect(lines(stdout, "breaking")).toEqual([
      '  breaking: PUT /chats/status: [Replaced] possible values of `status` in Request Body content (application/json): value "on hold" removed',
    ]);
    // The same shared schema also types every response: there, one value fewer is fine.
    const responseSide = lines(stdout, "non-breaking");
    expect(responseSide).toHaveLength(CHAT_ANSWERS);
    for (const line of responseSide) {
      expect(line).toMatch(/in Response 20[01] content .*: value "on hold" removed$/);
    }
  });

  it("exits 1 when a request property is removed (request schemas are strict)", () => {
    const { status, stdout } = gate((spec) => {
      delete schemas(spec).CreateChatRequest.properties.department;
    });
    expect(status).toBe(1);
    expect(lines(stdout, "breaking")).toEqual([
      "  breaking: POST /chats: [Removed] property `department` in Request Body content (application/json)",
    ]);
    expect(stdout).toContain("a client still sending it is refused");
  });

  it("exits 1 when a request type narrows, 0 when it only widens", () => {
    const narrowed = gate((spec) => {
      schemas(spec).MarkChatReadRequest.properties.read.type = "string";
    });
    expect(narrowed.status).toBe(1);
    expect(lines(narrowed.stdout, "breaking")).toHaveLength(2);
    expect(narrowed.stdout).toContain("type boolean -> string");

    const widened = gate((spec) => {
      schemas(spec).MarkChatReadRequest.properties.read.type = ["boolean", "null"];
    });
    expect(widened.status).toBe(0);
    expect(lines(widened.stdout, "non-breaking")).toHaveLength(2);
    expect(widened.stdout).toContain("type boolean -> boolean|null");
  });

  it("exits 0 when an optional request field or a request-only enum value is added", () => {
    const { status, stdout } = gate(
      (spec) => {
        schemas(spec).CreateChatRequest.properties.note = { type: "string" };
        schemas(spec).UpdateChatStatusRequest.properties.status.enum.push("archived");
      },
      {
        // A status enum that only the request uses (the spec's ChatStatus is shared).
        base: (spec) => {
          schemas(spec).UpdateChatStatusRequest.properties.status = structuredClone(
            schemas(spec).ChatStatus,
          );
        },
      },
    );
    expect(status).toBe(0);
    expect(stdout).toContain("2 change(s): 0 breaking, 2 non-breaking, 0 annotation");
    expect(stdout).toContain("[Added] property `note` in Request Body");
    expect(stdout).toContain('value "archived" added');
  });
});

describe("spec:breaking: responses (what clients receive)", SLOW, () => {
  it("exits 0 when an optional response field is added", () => {
    const { status, stdout } = gate((spec) => {
      schemas(spec).Chat.properties.tags = {
        type: ["array", "null"],
        items: { type: "string" },
        description: "The chat's tags.",
      };
    });
    expect(status).toBe(0);
    expect(stdout).toContain(
      `${CHAT_ANSWERS} change(s): 0 breaking, ${CHAT_ANSWERS} non-breaking, 0 annotation`,
    );
    expect(lines(stdout, "non-breaking")[0]).toBe(
      "  non-breaking: POST /chats: [Added] property `tags` in Response 201 content (application/json)",
    );
  });

  it("exits 0 when a value only responses carry is removed", () => {
    const { status, stdout } = gate((spec) => {
      schemas(spec).ReportedChatStatus.anyOf[1].enum = ["onhold", "on-hold"];
    });
    expect(status).toBe(0);
    expect(lines(stdout, "non-breaking")).toHaveLength(CHAT_ANSWERS);
    expect(stdout).toContain('value "empty" removed');
  });

  it("exits 1 when responses may carry a new enum value, though requests accept it", () => {
    const { status, stdout } = gate((spec) => {
      schemas(spec).ChatStatus.enum.push("archived");
    });
    expect(status).toBe(1);
    expect(lines(stdout, "non-breaking")).toEqual([
      '  non-breaking: PUT /chats/status: [Replaced] possible values of `status` in Request Body content (application/json): value "archived" added',
    ]);
    const breaking = lines(stdout, "breaking");
    expect(breaking).toHaveLength(CHAT_ANSWERS);
    for (const line of breaking) {
      expect(line).toMatch(/in Response 20[01] content .*: value "archived" added$/);
    }
  });

  it("exits 1 when a response property is removed or its type widens, 0 when it narrows", () => {
    const removed = gate((spec) => {
      delete schemas(spec).Chat.properties.notes;
    });
    expect(removed.status).toBe(1);
    expect(lines(removed.stdout, "breaking")[0]).toBe(
      "  breaking: POST /chats: [Removed] property `notes` in Response 201 content (application/json)",
    );

    const widened = gate((spec) => {
      schemas(spec).Chat.properties.id.type = ["integer", "string"];
    });
    expect(widened.status).toBe(1);
    expect(lines(widened.stdout, "breaking")).toHaveLength(CHAT_ANSWERS);
    expect(widened.stdout).toContain("clients may receive a value of a type they do not expect");

    const narrowed = gate((spec) => {
      schemas(spec).Chat.properties.lastMessageText.type = "string";
    });
    expect(narrowed.status).toBe(0);
    expect(lines(narrowed.stdout, "non-breaking")).toHaveLength(CHAT_ANSWERS);
  });
});

describe("spec:breaking: operations and documentation", SLOW, () => {
  it("exits 1 when an operation is removed or its operationId changes", () => {
    const removed = gate((spec) => {
      delete spec.paths["/chats/department"];
    });
    expect(removed.status).toBe(1);
    expect(lines(removed.stdout, "breaking")).toEqual([
      "  breaking: PUT /chats/department: [Removed] operation PUT /chats/department",
    ]);

    const renamed = gate((spec) => {
      spec.paths["/chats"].post.operationId = "openChat";
    });
    expect(renamed.status).toBe(1);
    expect(renamed.stdout).toContain('operationId "createChat" -> "openChat"');
  });

  it("classes documentation-only changes as annotations and exits 0", () => {
    const { status, stdout } = gate((spec) => {
      spec.paths["/chats"].post.summary = "Open a chat";
      spec.paths["/chats"].post["x-codeSamples"][0].source = "curl --version";
      spec.info.description = "Changed words.";
    });
    expect(status).toBe(0);
    expect(stdout).toContain("3 change(s): 0 breaking, 0 non-breaking, 3 annotation");
  });
});

// Webhooks: HelpCrunch POSTs them to integrators, so their payload is what INTEGRATORS accept,
// judged as a request is. Every event's eventData is the shared WebhookChat.
const EVENTS = Object.keys(source.webhooks as Json);

describe("spec:breaking: webhooks (what integrators accept)", SLOW, () => {
  it("exits 1 when an event is removed, and names it", () => {
    const { status, stdout } = gate((spec) => {
      delete spec.webhooks["chat.rated"];
    });
    expect(status).toBe(1);
    expect(lines(stdout, "breaking")).toEqual([
      "  breaking: webhook chat.rated: [Removed] webhook chat.rated",
    ]);
    expect(stdout).toContain("at #/webhooks/chat.rated/post");
  });

  it("exits 0 when an event is added", () => {
    const { status, stdout } = gate((spec) => {
      spec.webhooks["chat.reopened"] = structuredClone(spec.webhooks["chat.new"]);
      spec.webhooks["chat.reopened"].post.operationId = "chatReopenedWebhook";
    });
    expect(status).toBe(0);
    expect(lines(stdout, "non-breaking")).toEqual([
      "  non-breaking: webhook chat.reopened: [Added] webhook chat.reopened",
    ]);
  });

  it("exits 0 when an optional payload field is added, or a payload type widens", () => {
    const added = gate((spec) => {
      schemas(spec).WebhookChat.properties.tags = {
        type: "array",
        items: { type: "string" },
        description: "The customer's tags.",
      };
    });
    expect(added.status).toBe(0);
    expect(added.stdout).toContain(
      `${EVENTS.length} change(s): 0 breaking, ${EVENTS.length} non-breaking, 0 annotation`,
    );
    expect(lines(added.stdout, "non-breaking")[0]).toBe(
      "  non-breaking: webhook chat.new: [Added] property `tags` to `eventData` in Request Body content (application/json)",
    );

    const widened = gate((spec) => {
      schemas(spec).WebhookChat.properties.applicationId.type = ["integer", "string", "null"];
    });
    expect(widened.status).toBe(0);
    expect(lines(widened.stdout, "breaking")).toEqual([]);
    expect(widened.stdout).toContain("type integer|null -> integer|string|null");
  });

  it("exits 1 when a payload field narrows: its type, its pattern, or required", () => {
    const type = gate((spec) => {
      schemas(spec).WebhookChat.properties.closedBy.type = "string";
    });
    expect(type.status).toBe(1);
    const breaking = lines(type.stdout, "breaking");
    expect(breaking.map((line) => line.split(":")[1]?.trim()).sort()).toEqual(
      EVENTS.map((event) => `webhook ${event}`).sort(),
    );
    expect(breaking[0]).toContain("`eventData.closedBy` in Request Body content");
    expect(breaking[0]).toContain("type string|null -> string");
    expect(type.stdout).toContain(
      "receivers built from the contract refuse a value HelpCrunch may still send",
    );
    expect(type.stdout).toContain(
      "at #/webhooks/chat.new/post/requestBody/content/application~1json/schema/properties/eventData/properties/closedBy/type",
    );

    const pattern = gate((spec) => {
      schemas(spec).WebhookTimestamp.anyOf[0].pattern = "^[0-9]+$";
    });
    expect(pattern.status).toBe(1);
    // closedAt, createdAt and snoozedUntil of every event.
    expect(lines(pattern.stdout, "breaking")).toHaveLength(3 * EVENTS.length);

    const required = gate((spec) => {
      schemas(spec).WebhookChat.required = ["status"];
    });
    expect(required.status).toBe(1);
    expect(lines(required.stdout, "breaking")).toHaveLength(EVENTS.length);
  });

  it("exits 1 when a payload property is removed or the payload is closed to unknown fields", () => {
    const removed = gate((spec) => {
      delete schemas(spec).WebhookChat.properties.rating;
    });
    expect(removed.status).toBe(1);
    expect(lines(removed.stdout, "breaking")[0]).toBe(
      "  breaking: webhook chat.new: [Removed] property `rating` from `eventData` in Request Body content (application/json)",
    );
    expect(removed.stdout).toContain("receivers reading it lose it");

    const closed = gate((spec) => {
      schemas(spec).WebhookChat.additionalProperties = false;
    });
    expect(closed.status).toBe(1);
    expect(lines(closed.stdout, "breaking")).toHaveLength(EVENTS.length);
    expect(closed.stdout).toContain("refuse fields HelpCrunch may still send");
  });

  it("exits 1 when an event's operationId changes; a changed description is an annotation", () => {
    const renamed = gate((spec) => {
      spec.webhooks["chat.new"].post.operationId = "newChatWebhook";
    });
    expect(renamed.status).toBe(1);
    expect(renamed.stdout).toContain('operationId "chatNewWebhook" -> "newChatWebhook"');

    const described = gate((spec) => {
      spec.webhooks["chat.new"].post.description = "Sent when a chat starts.";
      spec.webhooks["chat.new"].post.requestBody.content[
        "application/json"
      ].examples.delivery.value.attempts = 1;
    });
    expect(described.status).toBe(0);
    expect(described.stdout).toContain("0 breaking, 0 non-breaking");
  });

  it("refuses to compare a spec with a real path where the gate puts webhooks", () => {
    const { status, stderr } = gate((spec) => {
      spec.paths["/@webhooks/x"] = structuredClone(spec.paths["/chats/status"]);
    });
    expect(status).toBe(2);
    expect(stderr).toContain("clashes with how the gate compares webhooks");
  });
});

describe("spec:breaking --changesets: a breaking change announced as a major release", SLOW, () => {
  const requireAssignee = (spec: Json) => {
    schemas(spec).CreateChatRequest.required.push("assignee");
  };

  it("exits 0 when a pending changeset bumps @helpcrunch-chats/openapi major", () => {
    const { status, stdout } = gate(requireAssignee, {
      changesets: {
        "README.md": CHANGESET_README,
        "brave-cats-sing.md": changeset({
          "@helpcrunch-chats/openapi": "major",
          "@helpcrunch-chats/client": "major",
        }),
        "quiet-dogs-nap.md": changeset({ "@helpcrunch-chats/types": "patch" }),
      },
    });
    expect(status).toBe(0);
    expect(lines(stdout, "breaking")).toHaveLength(1);
    expect(stdout).toContain(
      "1 breaking change(s), announced as a major release of @helpcrunch-chats/openapi by .changeset/brave-cats-sing.md",
    );
  });

  it("exits 1 when the pending changesets are minor, or major for another package only", () => {
    const { status, stderr } = gate(requireAssignee, {
      changesets: {
        "README.md": CHANGESET_README,
        "a.md": changeset({ "@helpcrunch-chats/openapi": "minor" }),
        "b.md": changeset({ "@helpcrunch-chats/client": "major" }),
        // "major" in the summary is not a release type.
        "c.md": changeset(
          { "@helpcrunch-chats/openapi": "patch" },
          '"@helpcrunch-chats/openapi": major',
        ),
      },
    });
    expect(status).toBe(1);
    expect(stderr).toContain(
      "no pending changeset in .changeset announces a major release of @helpcrunch-chats/openapi",
    );
    expect(stderr).toContain("pnpm changeset");
  });

  it("exits 1 when the major changeset was already versioned in pre mode", () => {
    const { status } = gate(requireAssignee, {
      changesets: {
        "brave-cats-sing.md": changeset({ "@helpcrunch-chats/openapi": "major" }),
        "pre.json": JSON.stringify({ mode: "pre", tag: "next", changesets: ["brave-cats-sing"] }),
      },
    });
    expect(status).toBe(1);
  });

  it("exits 2 on a changeset whose front matter does not parse, breaking change or not", () => {
    for (const change of [requireAssignee, () => {}]) {
      const { status, stderr } = gate(change, {
        changesets: { "bad.md": changeset({ "@helpcrunch-chats/openapi": "huge" }) },
      });
      expect(status).toBe(2);
      expect(stderr).toContain('invalid version type "huge"');
    }
  });
});
