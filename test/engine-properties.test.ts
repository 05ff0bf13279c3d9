import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONFIG_PROBLEM_CODES,
  compileConfig,
  type ExistingState,
  existingStateSchema,
  type MappingConfig,
  type Plan,
  type PlanSummary,
  planImport,
  validateConfig,
} from "../lib/engine";
import { compileExpression, ITEM_BOUNDS } from "../lib/engine/bounded-jsonata";
import { FALLBACK, type FastGetter } from "../lib/engine/fast-expression";
import { parsePlainPath } from "../lib/engine/field-path";
import { makeConfig, makeReadingItem, makeState } from "./helpers/builders";

/**
 * Properties of the engine over generated inputs. Run counts are kept small enough for the whole
 * file to stay within a few seconds; fast-check prints the seed and the shrunk counterexample of
 * any failure, so a failure can be replayed with `{ seed, path }`.
 */

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function compiled(config: unknown) {
  const result = compileConfig(config);
  if (!result.ok) throw new Error(`invalid: ${JSON.stringify(result.validation.errors)}`);
  return result.compiled;
}

function countActions(plan: Plan): PlanSummary {
  const counts: PlanSummary = { create: 0, update: 0, unchanged: 0, skip: 0, delete: 0, error: 0 };
  for (const d of plan.decisions) counts[d.action]++;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Configurations that between them reach every planning path.

const { jsonataExpression: _extraction, ...payloadIsTheReading } = makeReadingItem();

const CONFIGS: Record<string, MappingConfig> = {
  "upsert with an extraction": makeConfig(),
  "the payload itself as the reading": { meter_readings: [payloadIsTheReading] },
  "JSONata fields, $$ paths and conditions": makeConfig({
    meter: {
      unique_ids: [
        { attribute: "meter_number", jsonataExpression: "meterId ? meterId : $$.meterId" },
      ],
    },
    fields: [
      { attribute: "external_id", jsonataExpression: "$string(id)" },
      { attribute: "timestamp", jsonataExpression: "timestamp ? timestamp : $$.readingDate" },
      { attribute: "value", jsonataExpression: "$number(value)" },
      { attribute: "source", constant: "ERP" },
      { attribute: "batch", field: "$$.batchId" },
      { attribute: "unit", constant: "kWh", enabled: "$exists(value)" },
      { attribute: "note", jsonataExpression: "note = 'boom' ? $error('boom') : note" },
      { attribute: "reason", field: "reason" },
      { attribute: "direction", field: "direction" },
    ],
  }),
  "strict-date upsert with reading types": makeConfig({
    reading_matching: "strict-date",
    fields: [
      ...(makeReadingItem().fields ?? []),
      { attribute: "reading_type", field: "type" },
      { attribute: "direction", field: "direction" },
    ],
  }),
  "strict-date delete": makeConfig({
    mode: "delete",
    reading_matching: "strict-date",
    fields: [
      { attribute: "external_id", field: "id" },
      { attribute: "timestamp", field: "timestamp" },
      { attribute: "direction", field: "direction" },
    ],
  }),
  "upsert-prune-scope with a counter and a scope source": makeConfig({
    mode: "upsert-prune-scope",
    meter: { unique_ids: [{ attribute: "meter_number", field: "$$.meterNumber" }] },
    meter_counter: { unique_ids: [{ attribute: "obis", field: "register" }] },
    scope: { source: "ERP" },
  }),
  "entities before readings": {
    entities: [
      {
        entity_schema: "meter",
        unique_ids: ["meter_number"],
        jsonataExpression: "meters",
        fields: [
          { attribute: "meter_number", field: "number" },
          { attribute: "name", field: "name" },
        ],
      },
      {
        entity_schema: "meter_counter",
        unique_ids: ["obis"],
        jsonataExpression: "counters",
        enabled: "$exists(counters)",
        fields: [
          { attribute: "obis", field: "obis" },
          { attribute: "meter", jsonataExpression: "{ 'meter_number': meter }" },
        ],
      },
    ],
    meter_readings: [
      makeReadingItem({
        meter_counter: { unique_ids: [{ attribute: "obis", field: "register" }] },
      }),
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Payloads: arbitrary values, and plausible readings that reach the matching rules.

const METER_NUMBERS = ["M0", "M1", "M2"];
const meterNumber = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...METER_NUMBERS) },
  { weight: 1, arbitrary: fc.constantFrom(0, "", null) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const timestamp = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "2024-03-01",
      "2024-03-01T10:00:00Z",
      "2024-03-01T23:30:00+01:00",
      "2024-03-02T06:00:00",
      "2024-03-31T02:30:00",
      "2024-10-27T02:30:00",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("2024-02-30", "yesterday", "", 20240301) },
  { weight: 1, arbitrary: fc.string({ maxLength: 25 }) },
);
const readingValue = fc.oneof(
  fc.constantFrom("12.5", "-3", "0012.50", "1,5", "1e3", "abc", ""),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
);
const plausibleReading = fc.record(
  {
    id: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom("R0", "R1", "R2", "S0", 7) },
      { weight: 1, arbitrary: fc.constantFrom("", " ", null) },
      { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
    ),
    meterId: meterNumber,
    timestamp,
    value: readingValue,
    register: fc.constantFrom("1.8.0", "2.8.0", "9.9.9", null),
    direction: fc.constantFrom("feed-in", "feed-out", null, "sideways"),
    reason: fc.constantFrom("regular", "", null, "whim"),
    type: fc.constantFrom("HT", "NT"),
    note: fc.constantFrom("ok", "boom"),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
const plausiblePayload = fc.record(
  {
    readings: fc.oneof(
      { weight: 4, arbitrary: fc.array(plausibleReading, { maxLength: 8 }) },
      { weight: 1, arbitrary: plausibleReading },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    ),
    meterNumber,
    meterId: meterNumber,
    readingDate: timestamp,
    batchId: fc.jsonValue({ maxDepth: 1 }),
    meters: fc.array(
      fc.record({ number: meterNumber, name: fc.string({ maxLength: 3 }) }, { requiredKeys: [] }),
      { maxLength: 3 },
    ),
    counters: fc.array(
      fc.record(
        { obis: fc.constantFrom("1.8.0", "2.8.0"), meter: meterNumber },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
);
/** A plausible payload that is also a reading itself (for the configuration without extraction). */
const readingAsPayload = fc
  .tuple(plausibleReading, plausiblePayload)
  .map(([reading, payload]) => ({ ...payload, ...reading }));

/** Payloads as they arrive: JSON text. */
const jsonPayload = fc
  .oneof(
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.record({ readings: fc.jsonValue({ maxDepth: 3 }) }) },
    { weight: 4, arbitrary: plausiblePayload },
    { weight: 2, arbitrary: readingAsPayload },
  )
  .map(json);

/** Anything at all, JSON or not (undefined, NaN, -0, sparse shapes): the engine must not throw. */
const anyPayload = fc.oneof(
  fc.anything({ maxDepth: 4 }),
  fc.record({ readings: fc.anything({ maxDepth: 3 }) }),
  fc.record({ readings: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }) }),
);

// ---------------------------------------------------------------------------------------------
// Existing state: arbitrary, but valid for existingStateSchema (what the CLI accepts).

const nullish = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(arb, fc.constant(null), fc.constant(undefined));
const stateArb = fc
  .record(
    {
      meters: fc.array(
        fc.record({
          id: fc.constantFrom("m0", "m1", "m2", "m3"),
          attributes: fc.record(
            { meter_number: meterNumber, name: fc.jsonValue({ maxDepth: 1 }) },
            { requiredKeys: [] },
          ),
        }),
        { maxLength: 4 },
      ),
      counters: fc.array(
        fc.record(
          {
            id: fc.constantFrom("c0", "c1", "c2"),
            meter_id: nullish(fc.constantFrom("m0", "m1", "m9")),
            attributes: fc.record(
              { obis: fc.constantFrom("1.8.0", "2.8.0") },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: ["id", "attributes"] },
        ),
        { maxLength: 3 },
      ),
      readings: fc.array(
        fc.record(
          {
            id: fc.oneof(fc.constantFrom("r0", "r1", "r2", "r3"), fc.string({ minLength: 1 })),
            meter_id: fc.constantFrom("m0", "m1", "m2", "m9"),
            counter_id: nullish(fc.constantFrom("c0", "c1")),
            direction: nullish(fc.constantFrom("feed-in", "feed-out", "sideways")),
            external_id: nullish(fc.constantFrom("R0", "R1", "S0", "", "x")),
            timestamp: fc.oneof(
              fc.constantFrom(
                "2024-03-01T10:00:00.000Z",
                "2024-03-01T05:00:00Z",
                "2024-03-01T23:30:00+01:00",
                "2024-03-02",
              ),
              fc.string({ minLength: 1, maxLength: 25 }),
            ),
            value: fc.oneof(
              fc.constantFrom("12.5", "12.50", "-3", "abc"),
              fc.integer(),
              fc.double({ noNaN: true, noDefaultInfinity: true }),
            ),
            source: nullish(fc.constantFrom("ERP", "ECP", "X")),
            reason: nullish(fc.constantFrom("regular", "last")),
            attributes: nullish(
              fc.dictionary(fc.constantFrom("reading_type", "unit"), fc.jsonValue({ maxDepth: 1 })),
            ),
          },
          { requiredKeys: ["id", "meter_id", "timestamp", "value"] },
        ),
        { maxLength: 8 },
      ),
    },
    { requiredKeys: [] },
  )
  .map((state) => json(state) as ExistingState);

const configName = fc.constantFrom(...Object.keys(CONFIGS));

describe("planning arbitrary input", () => {
  it("generates only existing state the state schema accepts", () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        expect(existingStateSchema.safeParse(state).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("never throws on arbitrary payloads, and its summary counts the decisions' actions", async () => {
    await fc.assert(
      fc.asyncProperty(configName, anyPayload, stateArb, async (name, payload, state) => {
        const plan = await planImport(compiled(CONFIGS[name]), payload, state);
        expect(plan.summary).toEqual(countActions(plan));
        expect(() => JSON.stringify(plan)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it("plans JSON payloads into plain JSON: the plan survives a JSON round trip unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(configName, jsonPayload, stateArb, async (name, payload, state) => {
        const plan = await planImport(compiled(CONFIGS[name]), payload, state);
        expect(plan.summary).toEqual(countActions(plan));
        expect(json(plan)).toEqual(plan);
        for (const d of plan.decisions) {
          if (d.action === "error") expect(d.code, JSON.stringify(d)).toBeTruthy();
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives equal plans when planning the same input twice, and mutates neither payload nor state", async () => {
    await fc.assert(
      fc.asyncProperty(configName, jsonPayload, stateArb, async (name, payload, state) => {
        const payloadBefore = structuredClone(payload);
        const stateBefore = structuredClone(state);
        const first = await planImport(compiled(CONFIGS[name]), payload, state);
        const second = await planImport(compiled(CONFIGS[name]), payload, state);
        expect(second).toEqual(first);
        expect(payload).toEqual(payloadBefore);
        expect(state).toEqual(stateBefore);
      }),
      { numRuns: 150 },
    );
  });

  it("plans a lone reading object exactly as a one-element array of it", async () => {
    const extracting = Object.keys(CONFIGS).filter(
      (name) => CONFIGS[name]?.meter_readings?.[0]?.jsonataExpression === "readings",
    );
    expect(extracting.length).toBeGreaterThanOrEqual(4);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...extracting),
        plausibleReading.map(json),
        plausiblePayload.map(json),
        stateArb,
        async (name, reading, rest, state) => {
          const config = compiled(CONFIGS[name]);
          const lone = await planImport(config, { ...rest, readings: reading }, state);
          const array = await planImport(config, { ...rest, readings: [reading] }, state);
          expect(lone).toEqual(array);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps plans plain JSON when a JSONata mapping computes a non-finite number", async () => {
    // JSONata evaluates `1 / 0` to Infinity and `0 / 0` to NaN without raising; JSON has neither,
    // so a plan that carries them changes on its way through the API (Infinity becomes null).
    const config = makeConfig({
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "timestamp" },
        { attribute: "value", jsonataExpression: "total / count" },
        { attribute: "source", constant: "ERP" },
      ],
    });
    const payload = {
      readings: [
        { id: "R1", meterId: "M1", timestamp: "2024-03-01", total: 10, count: 0 },
        { id: "R2", meterId: "M1", timestamp: "2024-03-02", total: 0, count: 0 },
      ],
    };
    const plan = await planImport(compiled(config), payload, makeState({ meters: ["M1"] }));
    expect(plan.decisions.map((d) => d.code)).toEqual([
      "INVALID_READING_VALUE",
      "INVALID_READING_VALUE",
    ]);
    expect(json(plan)).toEqual(plan);
  });
});

// ---------------------------------------------------------------------------------------------
// The fast JS path (lib/engine/fast-expression.ts) against real JSONata.

// "@id", "#text" and "ns:tag" are names an XML payload converts to (SPEC-ENTITIES 7).
const NAMES = ["a", "b", "value", "prev", "constructor", "x-y", "@id", "#text", "ns:tag"];
const nameToken = fc
  .constantFrom(...NAMES)
  .map((n) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) ? n : `\`${n}\``));
const pathSource = fc
  .tuple(fc.constantFrom("", "$.", "$$."), fc.array(nameToken, { minLength: 1, maxLength: 3 }))
  .map(([prefix, names]) => `${prefix}${names.join(".")}`);
const numberLiteral = fc
  .oneof(
    fc.constantFrom(0, 1, 2, 3, 10, 0.5, 1e21, 1e-7, 5e-324, 1.7976931348623157e308),
    fc.integer({ min: 0, max: 1000 }),
    fc.double({ min: 0, max: 1e6, noNaN: true }),
  )
  .map((n) => String(n));
const stringLiteral = fc.constantFrom("'x'", '"5"', "''", '"0"');
const leafSource = fc.oneof(
  { weight: 4, arbitrary: pathSource },
  { weight: 2, arbitrary: numberLiteral },
  { weight: 1, arbitrary: stringLiteral },
  { weight: 1, arbitrary: fc.constantFrom("$", "$$") },
);
const { expression: expressionSource } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafSource,
    tie("expression").map((e) => `-${e}`),
    tie("expression").map((e) => `(${e})`),
    fc
      .tuple(tie("expression"), fc.constantFrom("+", "-", "*", "/", "%"), tie("expression"))
      .map(([l, op, r]) => `${l} ${op} ${r}`),
    // An object constructor with distinct literal keys (a counter's `{ "meter_number": meter }`).
    fc
      .uniqueArray(
        fc.tuple(fc.constantFrom("meter_number", "a", "1", "x y", ""), tie("expression")),
        {
          minLength: 1,
          maxLength: 3,
          selector: ([key]) => key,
        },
      )
      .map((pairs) => `{ ${pairs.map(([k, e]) => `${JSON.stringify(k)}: ${e}`).join(", ")} }`),
  ),
}));

const scalar = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 2.5, -7.25, 1e300, -1e300, "", "5", "abc", null, true, false),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 3 }),
);
const { value: dataValue, object: dataObject } = fc.letrec<{ value: unknown; object: unknown }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      scalar,
      tie("object"),
      fc.array(tie("value"), { maxLength: 3 }),
    ),
    object: fc.dictionary(fc.constantFrom(...NAMES), tie("value"), { maxKeys: 5 }),
  }),
);
const itemOrRoot = fc.oneof(
  { weight: 5, arbitrary: dataObject },
  { weight: 2, arbitrary: dataValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** The fast getter's answer beside JSONata's, or the error JSONata threw. */
async function evaluateBoth(
  fast: FastGetter,
  evaluate: (item: unknown, root: unknown) => Promise<unknown>,
  item: unknown,
  root: unknown,
) {
  const fastResult = fast(item, root);
  try {
    return { fastResult, threw: false, result: await evaluate(item, root) };
  } catch (error) {
    return { fastResult, threw: true, result: error };
  }
}

describe("the fast JS path", () => {
  it("compiles every expression of the simple grammar to a fast getter", () => {
    fc.assert(
      fc.property(expressionSource, (source) => {
        expect(compileExpression(source, ITEM_BOUNDS).fast, source).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it("answers exactly what JSONata answers, or falls back; it falls back whenever JSONata throws", async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(expressionSource, itemOrRoot, itemOrRoot, async (source, item, root) => {
        const expression = compileExpression(source, ITEM_BOUNDS);
        if (!expression.fast) return;
        const outcome = await evaluateBoth(expression.fast, expression.evaluate, item, root);
        if (outcome.threw) {
          expect(outcome.fastResult, `${source} threw ${JSON.stringify(outcome.result)}`).toBe(
            FALLBACK,
          );
        } else if (outcome.fastResult !== FALLBACK) {
          answered++;
          // toEqual tells -0 from 0: the fast path must give the very number JSONata gives.
          expect(outcome.fastResult, source).toEqual(outcome.result);
        }
      }),
      { numRuns: 600 },
    );
    // The property is only worth something if the fast path answers a fair share itself.
    expect(answered).toBeGreaterThan(50);
  });

  it("leaves object constructors with repeated or prototype keys to JSONata", () => {
    for (const source of ['{ "a": x, "a": y }', '{ "__proto__": x }', "{ a: x }", 'x{ "a": y }'])
      expect(compileExpression(source, ITEM_BOUNDS).fast, source).toBeNull();
  });

  it("reads plain field paths exactly as their JSONata form does", async () => {
    const segment = fc.constantFrom(
      "a",
      "b",
      "value",
      "meter-id",
      "true",
      "and",
      "_x",
      "constructor",
      "@id",
      "#text",
      "ns:tag",
    );
    const plainPath = fc
      .tuple(fc.constantFrom("", "$.", "$$."), fc.array(segment, { minLength: 0, maxLength: 3 }))
      .map(([prefix, names]) =>
        names.length === 0 ? (prefix === "" ? "a" : prefix.slice(0, -1)) : prefix + names.join("."),
      );
    await fc.assert(
      fc.asyncProperty(plainPath, itemOrRoot, itemOrRoot, async (path, item, root) => {
        const plain = parsePlainPath(path);
        expect(plain, path).not.toBeNull();
        if (!plain) return;
        const expression = compileExpression(plain.jsonata, ITEM_BOUNDS);
        const outcome = await evaluateBoth(plain.fast, expression.evaluate, item, root);
        if (outcome.threw) expect(outcome.fastResult, path).toBe(FALLBACK);
        else if (outcome.fastResult !== FALLBACK)
          expect(outcome.fastResult, path).toEqual(outcome.result);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The static validator on arbitrary and mutated configurations.

const RICH_CONFIG: MappingConfig = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      enabled: "$exists(meters)",
      mode: "upsert",
      fields: [
        { attribute: "meter_number", field: "number" },
        { attribute: "name", field: "name", enabled: true },
      ],
    },
  ],
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: {
        unique_ids: ["meter_number", { attribute: "site", jsonataExpression: "$$.site" }],
      },
      meter_counter: { unique_ids: [{ attribute: "obis", constant: "1.8.0" }] },
      mode: "upsert-prune-scope",
      reading_matching: "strict-date",
      scope: { source: "ERP" },
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "$$.readingDate" },
        { attribute: "value", jsonataExpression: "$number(value)" },
        { attribute: "source", constant: "ERP" },
        { attribute: "reason", constant: "regular" },
        { attribute: "direction", constant: "feed-in", enabled: "$exists(dir)" },
      ],
    },
    {
      mode: "delete",
      meter: { unique_ids: ["meter_number"] },
      fields: [{ attribute: "external_id", field: "id" }],
    },
  ],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** Every location in a JSON value (keys and indexes), parents before children. */
function locations(value: Json, at: Segment[] = []): Segment[][] {
  if (value === null || typeof value !== "object") return [];
  const entries: [Segment, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...locations(v, [...at, k])]);
}

function containerAt(root: Json, path: readonly Segment[]): Json | undefined {
  let current: Json | undefined = root;
  for (const s of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = Array.isArray(current) ? current[s as number] : current[s as string];
  }
  return current;
}

interface Mutation {
  at: number;
  op: "rename" | "delete" | "replace";
  key: string;
  value: Json;
}

/** Strings that look like paths, enums or JSONata, valid and not. */
const TRICKY_STRINGS = [
  "meter number",
  "1abc",
  "a..b",
  "$$.x y",
  "",
  " ",
  "$",
  "$$",
  "a.b",
  "$.a",
  "`x`",
  "$error('x')",
  "(",
  "readings[",
  "purge",
  "upsert",
  "strict-date",
  "ERP",
  "erp",
  "meter_number",
  "null",
];
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("rename", "delete", "replace"),
  key: fc.oneof(fc.constantFrom("fileds", "Mode", "constnat", "enabled", "scope"), fc.string()),
  value: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(0, -1, true, false, null, [], {}, [""], { attribute: "x" }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  ),
});

function mutate(config: Json, mutations: readonly Mutation[]): Json {
  const out = structuredClone(config);
  for (const m of mutations) {
    const all = locations(out);
    if (all.length === 0) return out;
    const path = all[m.at % all.length] as Segment[];
    const parent = containerAt(out, path.slice(0, -1));
    const last = path.at(-1) as Segment;
    if (parent === null || typeof parent !== "object") continue;
    if (Array.isArray(parent)) {
      if (m.op === "delete") parent.splice(last as number, 1);
      else parent[last as number] = m.value;
    } else if (m.op === "rename") {
      const value = parent[last as string] as Json;
      delete parent[last as string];
      parent[m.key] = value;
    } else if (m.op === "delete") {
      delete parent[last as string];
    } else {
      parent[last as string] = m.value;
    }
  }
  return out;
}

const CODES = new Set(Object.keys(CONFIG_PROBLEM_CODES));

function checkValidation(config: unknown) {
  const result = validateConfig(config);
  expect(result.valid).toBe(result.errors.length === 0);
  for (const p of result.errors) expect(p.severity).toBe("error");
  for (const p of result.warnings) expect(p.severity).toBe("warning");
  for (const p of [...result.errors, ...result.warnings]) {
    expect(CODES.has(p.code), p.code).toBe(true);
    expect(p.message).toEqual(expect.any(String));
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.path === "" || p.path.startsWith("/"), p.path).toBe(true);
  }
  return result;
}

const configLike = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  {
    weight: 2,
    arbitrary: fc.dictionary(
      fc.constantFrom("entities", "meter_readings", "meter_reading"),
      fc.jsonValue({ maxDepth: 4 }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      meter_readings: fc.array(
        fc.dictionary(
          fc.constantFrom("meter", "fields", "mode", "scope", "jsonataExpression", "meter_counter"),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        { maxLength: 2 },
      ),
    }),
  },
);

describe("the static validator", () => {
  it("starts the mutations from a valid configuration", () => {
    expect(validateConfig(RICH_CONFIG)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it("never throws on arbitrary JSON, and calls a configuration valid exactly when it has no errors", () => {
    fc.assert(
      fc.property(configLike, (config) => {
        checkValidation(config);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on mutated configurations, and whatever it calls valid compiles and plans", async () => {
    const payload = {
      site: "S1",
      readingDate: "2024-03-01",
      meters: [{ number: "M1" }],
      readings: [{ id: "R1", meter_number: "M1", value: "1" }],
    };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const config = mutate(RICH_CONFIG as Json, mutations);
        const result = checkValidation(config);
        if (!result.valid) return;
        const compiledResult = compileConfig(config);
        expect(compiledResult.ok).toBe(true);
        if (compiledResult.ok) await planImport(compiledResult.compiled, payload, {});
      }),
      { numRuns: 1000, includeErrorInReport: true },
    );
  });

  it("compiles every configuration it calls valid, shorthand unique ids that are no plain path included", () => {
    // The shorthand `"meter number"` means `{ attribute, field: "meter number" }`; that field is no
    // plain path, so it is compiled as JSONata, where it does not parse.
    for (const shorthand of ["meter number", "1abc", "a..b", "$$.x y"]) {
      const config = makeConfig({ meter: { unique_ids: [shorthand] } });
      const { valid } = validateConfig(config);
      expect(() => compileConfig(config), shorthand).not.toThrow();
      expect(compileConfig(config).ok, shorthand).toBe(valid);
    }
  });
});
