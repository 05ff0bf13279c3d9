import { describe, expect, it } from "vitest";
import {
  compileConfig,
  entityLookupKeys,
  planImport,
  planWrites,
  prepareImport,
  readingLookupKeys,
} from "../../../lib/engine";

const config = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "v" },
        { attribute: "source", constant: "ERP" },
        { attribute: "unit", constant: "kWh" },
      ],
    },
    {
      jsonataExpression: "deletions",
      mode: "delete",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
      fields: [{ attribute: "external_id", field: "id" }],
    },
  ],
};

const state = {
  meters: [
    { id: "m1", attributes: { meter_number: "M1" } },
    { id: "m2", attributes: { meter_number: "M2" } },
  ],
  readings: [
    {
      id: "r1",
      meter_id: "m1",
      counter_id: null,
      direction: null,
      external_id: "A",
      timestamp: "2024-01-01T00:00:00.000Z",
      value: "1",
      source: "ERP",
      reason: null,
      attributes: { note: "kept" },
    },
    {
      id: "r2",
      meter_id: "m2",
      counter_id: null,
      direction: null,
      external_id: "B",
      timestamp: "2024-01-02T00:00:00.000Z",
      value: "2",
      source: "ERP",
      reason: null,
      attributes: {},
    },
  ],
};

const payload = {
  readings: [
    { meterId: "M1", id: "A", at: "2024-01-01", v: 10 },
    { meterId: "M1", id: "N", at: "2024-02-01", v: 5 },
    { meterId: "M1", id: "N", at: "2024-02-01", v: 6 },
    { meterId: "M2", id: "X", at: "2024-03-01", v: 7 },
  ],
  deletions: [
    { meterId: "M2", id: "B" },
    { meterId: "M2", id: "X" },
  ],
};

async function compiledConfig() {
  const compiled = compileConfig(config);
  if (!compiled.ok) throw new Error("invalid test config");
  return compiled.compiled;
}

describe("planWrites", () => {
  it("collapses a plan into final rows: updates merged, creates updated in place, created-then-deleted never written", async () => {
    const plan = await planImport(await compiledConfig(), payload, state);
    const writes = await planWrites(plan);
    expect(writes.readingUpdates).toEqual([
      {
        ...state.readings[0],
        value: "10",
        attributes: { note: "kept", unit: "kWh" },
        berlin_day: "2024-01-01",
      },
    ]);
    expect(writes.readingInserts).toEqual([
      {
        id: "new:0:1",
        meter_id: "m1",
        counter_id: null,
        direction: null,
        external_id: "N",
        timestamp: "2024-02-01T00:00:00.000Z",
        value: "6",
        source: "ERP",
        reason: null,
        attributes: { unit: "kWh" },
        berlin_day: "2024-02-01",
      },
    ]);
    expect(writes.readingDeletes).toEqual(["r2"]);
    expect(writes.audit.map((r) => r.id)).toEqual(["r1", "r2"]);
  });

  it("names exactly the entities and stored readings a payload can touch", async () => {
    const prepared = await prepareImport(await compiledConfig(), payload);
    const entityKeys = await entityLookupKeys(prepared);
    expect([...(entityKeys.get("meter")?.get("meter_number") ?? [])].sort()).toEqual(["M1", "M2"]);
    const keys = await readingLookupKeys(prepared, { meters: state.meters });
    // A reading sent twice repeats its key (the loader drops rows found twice).
    const unique = [...new Map(keys.keys.map((k) => [JSON.stringify(k), k])).values()];
    expect(unique).toEqual([
      { meter_id: "m1", external_id: "A", berlin_day: "2024-01-01" },
      { meter_id: "m1", external_id: "N", berlin_day: "2024-02-01" },
      { meter_id: "m2", external_id: "X", berlin_day: "2024-03-01" },
      { meter_id: "m2", external_id: "B", berlin_day: null },
      { meter_id: "m2", external_id: "X", berlin_day: null },
    ]);
    expect(keys.daysForAll).toBe(true);
    expect(keys.wholeMeters).toEqual([]);
  });
});
