import { describe, expect, it } from "vitest";
import {
  compileConfig,
  type EntityDecision,
  type ExistingState,
  planPreparedWithWrites,
  prepareImport,
  readingLookupKeys,
} from "../lib/engine";
import { takeDecided } from "../lib/engine/plan-entities";

// Meters, their counters and readings on them, in one payload: the readings' lookups must decide
// the entities first (a reading may name a meter the payload creates).
const config = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [
        { attribute: "meter_number", field: "number" },
        { attribute: "type", field: "type" },
      ],
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
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "v" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

const payload = {
  meters: [
    { number: "M1", type: "power" },
    { number: "M2", type: "gas" },
  ],
  counters: [
    { number: "M1/1", meter: "M1" },
    { number: "M1/2", meter: "M1" },
    { number: "M2/1", meter: "M2" },
  ],
  readings: [
    { id: "a", meter: "M1", at: "2026-01-01T00:00:00Z", v: 1 },
    { id: "b", meter: "M2", at: "2026-01-01T00:00:00Z", v: 2 },
  ],
};

// M2 is stored (an update); M1 and every counter are new.
const state: ExistingState = {
  meters: [{ id: "m2", attributes: { meter_number: "M2", type: "water" } }],
  counters: [],
  entities: [],
};

async function prepared() {
  const compiled = compileConfig(config);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.validation.errors));
  return prepareImport(compiled.compiled, payload);
}

/** A plan with its early batches (PlanRunOptions.onEntitiesFinal), as the import runs it. */
async function planWithBatches(p: Awaited<ReturnType<typeof prepared>>, s: ExistingState) {
  const batches: unknown[] = [];
  const planned = await planPreparedWithWrites(p, s, {
    onEntitiesFinal: (writes) => batches.push(JSON.parse(JSON.stringify(writes))),
  });
  return { ...planned, batches };
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("entity decisions made by the readings' lookups", () => {
  it("are kept for the plan against the same entity state, once", async () => {
    const p = await prepared();
    await readingLookupKeys(p, state);
    const kept = takeDecided(p.entities, state);
    expect(kept?.decisions.map((d: EntityDecision) => [d.entity_schema, d.action])).toEqual([
      ["meter", "create"],
      ["meter", "update"],
      ["meter_counter", "create"],
      ["meter_counter", "create"],
      ["meter_counter", "create"],
    ]);
    expect(kept?.starts).toEqual([0, 2]);
    // Handed out once.
    expect(takeDecided(p.entities, state)).toBeNull();
  });

  it("are not taken by a plan against other entity state", async () => {
    const p = await prepared();
    await readingLookupKeys(p, state);
    const other: ExistingState = { ...state, meters: [...(state.meters ?? [])] };
    expect(takeDecided(p.entities, other)).toBeNull();
  });

  it("give the plan, the writes and the early batches of a plan that decides them itself", async () => {
    const reused = await prepared();
    await readingLookupKeys(reused, state);
    const again = await planWithBatches(reused, state);
    // Nothing was left for the plan to take: it took the lookups' decisions.
    expect(takeDecided(reused.entities, state)).toBeNull();

    const fresh = await planWithBatches(await prepared(), state);
    expect(json(again.plan)).toEqual(json(fresh.plan));
    expect(json(again.writes)).toEqual(json(fresh.writes));
    expect(again.batches).toEqual(fresh.batches);
    expect(again.batches.length).toBeGreaterThan(0);
    // The readings resolved their meters against the same decisions: M1's provisional id.
    const m1 = again.plan.entities.find(
      (d) => d.entity_schema === "meter" && d.action === "create",
    );
    expect(again.plan.decisions[0]?.meter?.id).toBe(m1?.id);
  });
});
