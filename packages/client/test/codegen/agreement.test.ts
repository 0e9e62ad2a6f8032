// The agreement test: for every operation of the bundled spec as it is now, the generated
// validator rejects an input if and only if Ajv rejects its parts against the spec's own
// request schemas (each parameter against its schema, required parameters present, the body
// against the body schema, no key that is neither). Inputs: the spec's examples, systematic
// mutations of them, and values shaped by the schemas (fast-check, fixed seed and run count).
// The validators are generated afresh from the spec here, so a new operation is covered
// without touching this file. The fixture spec of the generator tests runs through the same
// mill, so nested arrays, unions and oneOf are covered before the real spec uses them, and
// so does one more operation using every keyword and combination the generator compiles.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { emitOperations, loadSpec, methodName } from "../../scripts/generate.mjs";
import type { OperationDescriptor } from "../../src/generated/operations.js";
import {
  createOracle,
  issuesOf,
  loadOperations,
  type OracleOperation,
} from "../support/codegen.js";
import { fixtureSpec, keywordSpec } from "./fixtures.js";

type Json = Record<string, any>;

describe.each([
  ["the bundled spec", (await loadSpec()) as Json],
  ["the fixture spec", fixtureSpec()],
  [
    "the fixture spec with an optional body",
    (() => {
      const spec = fixtureSpec();
      spec.paths["/chats"].post.requestBody.required = false;
      return spec;
    })(),
  ],
  ["the fixture spec with every keyword the generator compiles", keywordSpec()],
])("%s", (_, spec) => {
  const oracle = createOracle(spec);
  let OPS: Record<string, OperationDescriptor>;

  beforeAll(async () => {
    OPS = (await loadOperations(emitOperations(spec))).OPERATIONS;
  });

  const isObject = (v: unknown): v is Json =>
    typeof v === "object" && v !== null && !Array.isArray(v);

  /** Every enum and const value the spec's request schemas mention, to mutate with. */
  const specValues = new Set<unknown>();
  (function harvest(node: unknown) {
    if (Array.isArray(node)) {
      node.forEach(harvest);
    } else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "enum" && Array.isArray(value)) {
          for (const v of value) {
            specValues.add(v);
          }
        } else if (key === "const") {
          specValues.add(value);
        } else {
          harvest(value);
        }
      }
    }
  })(spec.components?.schemas);

  const REPLACEMENTS: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1,
    1.5,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    "",
    "1",
    "1.5",
    "x",
    " ",
    "😀",
    [],
    {},
    [{}],
    [1],
    ["x"],
    { id: 1 },
    ...specValues,
    ...[...specValues].filter((v): v is string => typeof v === "string").map((v) => `${v} `),
  ];

  /** A valid-looking value of a schema: its example, const, first enum value or a small sample. */
  function sample(schema: Json, depth = 0): unknown {
    const s = oracle.deref(schema);
    if (depth > 5) {
      return null;
    }
    if (s.examples?.length) {
      return s.examples[0];
    }
    if (s.example !== undefined) {
      return s.example;
    }
    if (s.const !== undefined) {
      return s.const;
    }
    if (s.enum) {
      return s.enum[0];
    }
    if (s.anyOf || s.oneOf) {
      return sample((s.anyOf ?? s.oneOf)[0], depth + 1);
    }
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    switch (type) {
      case "integer":
      case "number":
        return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      case "string":
        return "x".repeat(s.minLength ?? 1);
      case "boolean":
        return true;
      case "array":
        return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () =>
          sample(s.items ?? {}, depth + 1),
        );
      case "object":
        return Object.fromEntries(
          Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v as Json, depth + 1)]),
        );
      default:
        return null;
    }
  }

  /** The documented examples of an operation as merged inputs (params filled with samples). */
  function baseInputs(op: OracleOperation): Json[] {
    const params = Object.fromEntries(op.params.map((p) => [p.name, sample(p.schema)]));
    const found = specOperation(op.operationId);
    const media = found.requestBody
      ? oracle.deref(found.requestBody).content["application/json"]
      : undefined;
    const bodies: unknown[] = [
      ...Object.values(media?.examples ?? {}).map((e) => oracle.deref(e as Json).value),
      ...(media?.example !== undefined ? [media.example] : []),
    ];
    if (op.body && !bodies.length) {
      bodies.push(sample(op.body.schema));
    }
    const paramExamples = op.params.flatMap((p) => {
      const param = oracle.deref(
        [...(found.parameters ?? [])].find((q: Json) => oracle.deref(q).name === p.name) ?? {},
      );
      return [
        ...(param.example !== undefined ? [{ [p.name]: param.example }] : []),
        ...Object.values(param.examples ?? {}).map((e) => ({
          [p.name]: oracle.deref(e as Json).value,
        })),
      ];
    });
    const bases = bodies.length
      ? bodies.map((body) => ({ ...params, ...(body as Json) }))
      : [params];
    return [...bases, ...paramExamples.map((e) => ({ ...bases[0], ...e })), {}];
  }

  function specOperation(operationId: string): Json {
    for (const item of Object.values(spec.paths as Json)) {
      for (const op of Object.values(item as Json)) {
        if (isObject(op) && op.operationId === operationId) {
          return op;
        }
      }
    }
    throw new Error(operationId);
  }

  /** `value` with the node at `path` replaced (or, with `undefined`, removed). */
  function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
    if (!path.length) {
      return replacement;
    }
    const [head, ...rest] = path;
    if (Array.isArray(value)) {
      const copy = [...value];
      copy[head as number] = setAt(copy[head as number], rest, replacement);
      return copy;
    }
    const copy = { ...(value as Json) };
    const next = setAt(copy[head as string], rest, replacement);
    if (next === undefined) {
      delete copy[head as string];
    } else {
      copy[head as string] = next;
    }
    return copy;
  }

  /** Every node of a JSON value with its path. */
  function* nodes(
    value: unknown,
    path: (string | number)[] = [],
  ): Generator<[(string | number)[], unknown]> {
    yield [path, value];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        yield* nodes(value[i], [...path, i]);
      }
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) {
        yield* nodes(value[key], [...path, key]);
      }
    }
  }

  /** Systematic mutations of one input: each node dropped, replaced, given an unknown key, ... */
  function* mutations(input: Json): Generator<unknown> {
    yield input;
    yield undefined;
    for (const [path, node] of nodes(input)) {
      if (path.length) {
        yield setAt(input, path, undefined);
      }
      for (const replacement of REPLACEMENTS) {
        yield setAt(input, path, replacement);
      }
      if (isObject(node)) {
        yield setAt(input, path, { ...node, unknownField: 1 });
        yield setAt(input, path, {});
      }
      if (Array.isArray(node)) {
        yield setAt(input, path, []);
        yield setAt(input, path, [...node, ...node]);
        yield setAt(input, path, [...node, null]);
        yield setAt(
          input,
          path,
          Array.from({ length: 120 }, () => node[0]),
        );
      }
    }
  }

  /** Values shaped by a schema, with a share of arbitrary JSON so wrong shapes come up too. */
  function arbitrary(schema: Json | boolean, depth = 0, tame = false): fc.Arbitrary<unknown> {
    if (tame && typeof schema !== "boolean" && depth <= 4) {
      return tameArbitrary(oracle.deref(schema), depth);
    }
    const wild = fc.oneof(fc.constantFrom(...REPLACEMENTS), fc.jsonValue({ maxDepth: 2 }));
    if (typeof schema === "boolean" || depth > 4) {
      return wild;
    }
    const s = oracle.deref(schema);
    const shaped: fc.Arbitrary<unknown>[] = [];
    if (s.enum) {
      shaped.push(fc.constantFrom(...s.enum));
    }
    if (s.const !== undefined) {
      shaped.push(fc.constant(s.const));
    }
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
      shaped.push(arbitrary(branch, depth + 1));
    }
    const types: string[] = s.type === undefined ? [] : [s.type].flat();
    for (const type of types) {
      if (type === "integer" || type === "number") {
        const low = Math.ceil(s.minimum ?? s.exclusiveMinimum ?? -10);
        const high = Math.floor(s.maximum ?? s.exclusiveMaximum ?? low + 1000);
        shaped.push(
          fc.integer({
            min: Math.max(low - 3, Number.MIN_SAFE_INTEGER),
            max: Math.min(low + 50, high),
          }),
          fc.integer({
            min: Math.max(high - 50, low),
            max: Math.min(high + 3, Number.MAX_SAFE_INTEGER),
          }),
          fc.constantFrom(
            low,
            high,
            low - 1,
            high + 1,
            low + 0.5,
            2 ** 53,
            ...[s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter(
              (bound) => bound !== undefined,
            ),
          ),
        );
        if (type === "number") {
          shaped.push(fc.double({ noNaN: true, noDefaultInfinity: true }));
        }
      } else if (type === "string") {
        if (s.pattern) {
          shaped.push(fc.stringMatching(new RegExp(s.pattern, "u")));
        }
        shaped.push(
          fc.string({
            unit: "grapheme",
            minLength: Math.max(0, (s.minLength ?? 0) - 1),
            maxLength: (s.maxLength ?? 8) + 1,
          }),
        );
      } else if (type === "boolean") {
        shaped.push(fc.boolean());
      } else if (type === "null") {
        shaped.push(fc.constant(null));
      } else if (type === "array") {
        shaped.push(
          fc.array(arbitrary(s.items ?? true, depth + 1), {
            minLength: Math.max(0, (s.minItems ?? 0) - 1),
            maxLength: Math.min((s.maxItems ?? 3) + 1, 8),
          }),
        );
      } else if (type === "object") {
        shaped.push(objectArbitrary(Object.entries(s.properties ?? {}), s.required ?? [], depth));
      }
    }
    if (!shaped.length) {
      return wild;
    }
    return fc.oneof({ arbitrary: fc.oneof(...shaped), weight: 6 }, { arbitrary: wild, weight: 1 });
  }

  /** Values that keep to a schema's shape and bounds, so valid inputs come up often. */
  function tameArbitrary(s: Json, depth: number): fc.Arbitrary<unknown> {
    const shaped: fc.Arbitrary<unknown>[] = [];
    if (s.enum) {
      return fc.constantFrom(...s.enum);
    }
    if (s.const !== undefined) {
      return fc.constant(s.const);
    }
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) {
      shaped.push(arbitrary(branch, depth + 1, true));
    }
    for (const type of s.type === undefined ? [] : [s.type].flat()) {
      if (type === "integer" || type === "number") {
        const low = Math.ceil(
          s.minimum ?? (s.exclusiveMinimum === undefined ? -1000 : s.exclusiveMinimum + 1),
        );
        const high = Math.floor(
          s.maximum ?? (s.exclusiveMaximum === undefined ? low + 1000 : s.exclusiveMaximum - 1),
        );
        shaped.push(fc.integer({ min: low, max: Math.min(high, low + 1000) }));
      } else if (type === "string") {
        shaped.push(
          s.pattern
            ? fc.stringMatching(new RegExp(s.pattern, "u"))
            : fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 8, 8) }),
        );
      } else if (type === "boolean") {
        shaped.push(fc.boolean());
      } else if (type === "null") {
        shaped.push(fc.constant(null));
      } else if (type === "array") {
        const min = s.minItems ?? 0;
        shaped.push(
          fc.array(arbitrary(s.items ?? true, depth + 1, true), {
            minLength: min,
            maxLength: Math.min(s.maxItems ?? min + 3, min + 3),
          }),
        );
      } else if (type === "object") {
        const properties = Object.entries(s.properties ?? {}) as [string, Json][];
        shaped.push(
          fc.record(
            Object.fromEntries(properties.map(([k, v]) => [k, arbitrary(v, depth + 1, true)])),
            { requiredKeys: (s.required ?? []).filter((k: string) => s.properties?.[k]) },
          ),
        );
      }
    }
    return shaped.length ? fc.oneof(...shaped) : fc.jsonValue({ maxDepth: 1 });
  }

  /**
   * Objects shaped by `properties` and `required`: mostly with every required key, otherwise
   * with any of the keys and now and then an unknown one.
   */
  function objectArbitrary(
    properties: [string, Json][],
    required: string[],
    depth: number,
  ): fc.Arbitrary<Json> {
    const model = Object.fromEntries([
      ...properties.map(([k, v]) => [k, arbitrary(v, depth + 1)]),
      // A required key that is not a property: any value (in a closed object, none is valid).
      ...required
        .filter((key) => !properties.some(([k]) => k === key))
        .map((key) => [key, arbitrary(true, depth + 1)]),
    ]);
    const complete = fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Json>;
    const loose = fc
      .tuple(
        fc.record(model, { requiredKeys: [] }),
        fc.option(fc.constantFrom("unknownField", "Id", "__proto__x", "constructor"), {
          freq: 3,
        }),
      )
      .map(([record, extra]) => (extra ? { ...record, [extra]: 1 } : record));
    return fc.oneof({ arbitrary: complete, weight: 3 }, { arbitrary: loose, weight: 1 });
  }

  /** Whether the generated validator and Ajv agree on `input`; the disagreement otherwise. */
  function disagreement(op: OracleOperation, input: unknown): string | undefined {
    const ours = issuesOf(OPS[methodName(op.operationId)] as OperationDescriptor, input);
    const ajv = oracle.accepts(op, input);
    if ((ours.length === 0) !== (ajv === true)) {
      return `${op.operationId} ${JSON.stringify(input)}: generated ${
        ours.length
          ? `rejects (${ours.map((i) => `${i.field} ${i.message}`).join("; ")})`
          : "accepts"
      }, Ajv ${ajv === true ? "accepts" : `rejects (${ajv})`}`;
    }
    return undefined;
  }

  describe.each(oracle.operations)("$operationId", (op) => {
    it("has its generated descriptor", () => {
      expect(OPS[methodName(op.operationId)]).toBeDefined();
    });

    it("accepts the spec's own examples, as Ajv does", () => {
      for (const input of baseInputs(op).slice(0, -1)) {
        expect(oracle.accepts(op, input)).toBe(true);
        expect(disagreement(op, input)).toBeUndefined();
      }
    });

    it("agrees with Ajv on every systematic mutation of the examples", () => {
      let count = 0;
      let rejected = 0;
      const problems: string[] = [];
      for (const base of baseInputs(op)) {
        for (const input of mutations(base)) {
          count += 1;
          if (oracle.accepts(op, input) !== true) {
            rejected += 1;
          }
          const problem = disagreement(op, input);
          if (problem) {
            problems.push(problem);
          }
        }
      }
      expect(problems.slice(0, 10)).toEqual([]);
      expect(count).toBeGreaterThan(40);
      expect(rejected).toBeGreaterThan(count / 2); // most mutations break the input
    });

    it("agrees with Ajv on inputs shaped by the schemas (fast-check, fixed seed)", () => {
      const properties: [string, Json][] = [
        ...op.params.map((p): [string, Json] => [p.name, p.schema]),
        ...(Object.entries(op.body?.schema.properties ?? {}) as [string, Json][]),
      ];
      const required = [
        ...op.params.filter((p) => p.required).map((p) => p.name),
        ...(op.body?.required ? (op.body.schema.required ?? []) : []),
      ];
      // The spec's own examples, each optional key kept or dropped: valid inputs, mostly.
      const optional = properties.map(([key]) => key).filter((key) => !required.includes(key));
      const examples = fc
        .tuple(fc.constantFrom(...baseInputs(op).slice(0, -1)), fc.subarray(optional))
        .map(([example, dropped]) =>
          Object.fromEntries(Object.entries(example).filter(([key]) => !dropped.includes(key))),
        );
      let accepted = 0;
      fc.assert(
        fc.property(
          fc.oneof(
            { arbitrary: objectArbitrary(properties, required, 0), weight: 6 },
            { arbitrary: examples, weight: 1 },
            {
              arbitrary: fc.record(
                Object.fromEntries(properties.map(([k, v]) => [k, arbitrary(v, 1, true)])),
                { requiredKeys: required },
              ),
              weight: 3,
            },
            { arbitrary: fc.jsonValue(), weight: 1 },
          ),
          (input) => {
            if (oracle.accepts(op, input) === true) {
              accepted += 1;
            }
            const problem = disagreement(op, input);
            if (problem) {
              throw new Error(problem);
            }
          },
        ),
        { seed: 20261130, numRuns: 2000 },
      );
      expect(accepted).toBeGreaterThan(100); // valid inputs came up too, not only broken ones
    });
  });
});
