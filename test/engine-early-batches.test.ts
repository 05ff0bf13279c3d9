import { describe, expect, it } from "vitest";
import {
  compileConfig,
  type ExistingState,
  entityLookupKeys,
  type PlanWrites,
  planPreparedWithWrites,
  prepareImport,
} from "../lib/engine";

// Meters, then their counters: both final (nothing later writes either schema).
const config = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
    {
      entity_schema: "meter_counter",
      unique_ids: ["counter_number"],
      jsonataExpression: "counters",
      fields: [
        { attribute: "counter_number", field: "number" },
        { attribute: "meter", jsonataExpression: '{ "meter_number": meter }' },
      ],
    },
  ],
};

function payloadOf(meters: unknown[]) {
  return {
    meters: meters.map((number) => ({ number })),
    counters: meters.map((meter) => ({ number: `${meter}/1`, meter })),
  };
}

// M1 is stored: the first meter is an update, the rest are new.
const state: ExistingState = {
  meters: [{ id: "m1", attributes: { meter_number: "M1" } }],
  counters: [],
  entities: [],
};

type Batch = Pick<PlanWrites, "entityCreates" | "entityUpdates">;

/** The plan's early batches, with every input mapped first (`premap`) as an import does. */
async function plan(payload: unknown, premap: boolean) {
  const compiled = compileConfig(config);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.validation.errors));
  const prepared = await prepareImport(compiled.compiled, payload);
  if (premap) await entityLookupKeys(prepared);
  const batches: Batch[] = [];
  const planned = await planPreparedWithWrites(prepared, state, {
    onEntitiesFinal: (writes) => batches.push(JSON.parse(JSON.stringify(writes))),
  });
  return { ...JSON.parse(JSON.stringify(planned)), batches } as {
    plan: unknown;
    writes: PlanWrites;
    batches: Batch[];
  };
}

const schemas = (batches: Batch[]) =>
  batches.map((b) => [b.entityCreates[0]?.entity_schema, b.entityCreates.length]);
const creates = (batches: Batch[]) => batches.flatMap((b) => b.entityCreates);

describe("a final mapping's early batches", () => {
  it("go out every 2500 decisions when no input can touch what another made", async () => {
    const numbers = Array.from({ length: 6000 }, (_, i) => `M${i + 1}`);
    const apart = await plan(payloadOf(numbers), true);
    // M1 is an update: 2499 creates in the first batch.
    expect(schemas(apart.batches)).toEqual([
      ["meter", 2499],
      ["meter", 2500],
      ["meter", 1000],
      ["meter_counter", 2500],
      ["meter_counter", 2500],
      ["meter_counter", 1000],
    ]);
    // The same plan, writes and creates as when each mapping goes out whole (not premapped).
    const whole = await plan(payloadOf(numbers), false);
    expect(schemas(whole.batches)).toEqual([
      ["meter", 5999],
      ["meter_counter", 6000],
    ]);
    expect(apart.plan).toEqual(whole.plan);
    expect(apart.writes).toEqual(whole.writes);
    expect(creates(apart.batches)).toEqual(creates(whole.batches));
  });

  it("go out whole when two inputs name one entity (as text), or there are few", async () => {
    const numbers: unknown[] = Array.from({ length: 3000 }, (_, i) => `M${i + 1}`);
    // 77 and "77" are one meter: the second input updates what the first created.
    numbers.push(77, "M77");
    numbers[2999] = "77";
    const dup = await plan(payloadOf(numbers), true);
    expect(schemas(dup.batches).map(([schema]) => schema)).toEqual(["meter", "meter_counter"]);
    const few = await plan(payloadOf(["M1", "M2", "M3"]), true);
    expect(schemas(few.batches)).toEqual([
      ["meter", 2],
      ["meter_counter", 3],
    ]);
  });
});
