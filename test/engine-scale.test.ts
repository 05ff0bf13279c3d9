import { beforeAll, describe, expect, it } from "vitest";
import { compileConfig, type Plan, planImport } from "../lib/engine";
import {
  addDays,
  makeConfig,
  makeReadings,
  makeState,
  meterNumberOf,
  type PayloadReading,
  type StoredReadingInput,
} from "./helpers/builders";

const READINGS = 10_000;
const METERS = 2_000;
/** Meters M0 .. M1799 exist; the readings of M1800 .. M1999 find no meter. */
const KNOWN_METERS = 1_800;

type Expected = { action: Plan["decisions"][number]["action"]; code?: string };

/**
 * What the generator implies for reading `i` of a known meter, by `i % 10`:
 * 0 a stored twin with the same external id, instant and value (unchanged), 1 a stored twin with
 * another value (update), 2 another stored reading of the meter on the same Berlin day (duplicate),
 * 3 a stored reading of the meter a month earlier (no effect: create), else nothing stored (create).
 */
function expectedFor(i: number): Expected {
  const meter = i % METERS;
  if (meter >= KNOWN_METERS) return { action: "error", code: "METER_NOT_FOUND" };
  switch (i % 10) {
    case 0:
      return { action: "unchanged" };
    case 1:
      return { action: "update" };
    case 2:
      return { action: "skip", code: "DUPLICATE" };
    default:
      return { action: "create" };
  }
}

function storedFor(reading: PayloadReading, i: number): StoredReadingInput | null {
  if (i % METERS >= KNOWN_METERS) return null;
  const day = reading.timestamp.slice(0, 10);
  const meter = reading.meterId;
  switch (i % 10) {
    case 0:
      return {
        meter,
        id: `twin-${i}`,
        external_id: reading.id,
        timestamp: `${day}T10:00:00.000Z`,
        value: reading.value,
      };
    case 1:
      return {
        meter,
        id: `twin-${i}`,
        external_id: reading.id,
        timestamp: reading.timestamp,
        value: "1",
      };
    case 2:
      return {
        meter,
        id: `same-day-${i}`,
        external_id: `S${i}`,
        timestamp: `${day}T06:00:00Z`,
        value: "5",
      };
    case 3:
      return {
        meter,
        id: `earlier-${i}`,
        external_id: `E${i}`,
        timestamp: `${addDays(day, -30)}T10:00:00Z`,
        value: "5",
      };
    default:
      return null;
  }
}

const readings = makeReadings(READINGS, { meters: METERS });
const payload = { readings };
const state = makeState({
  meters: Array.from({ length: KNOWN_METERS }, (_, k) => `M${k}`),
  readings: readings.flatMap((r, i) => storedFor(r, i) ?? []),
});
const expected = readings.map((_, i) => expectedFor(i));

function compiledConfig() {
  const result = compileConfig(makeConfig());
  if (!result.ok) throw new Error(JSON.stringify(result.validation.errors));
  return result.compiled;
}

describe("a 10k-reading payload over 2k meters", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planImport(compiledConfig(), payload, state);
  });

  it("is generated as intended: 5 readings a meter, on 5 different days", () => {
    expect(readings).toHaveLength(READINGS);
    expect(readings[0]).toEqual({
      id: "R0",
      meterId: "M0",
      timestamp: "2024-03-01T10:00:00Z",
      value: "1000",
    });
    expect(readings[READINGS - 1]?.timestamp).toBe("2024-03-05T10:00:00Z");
    expect(meterNumberOf(READINGS - 1, METERS)).toBe("M1999");
    expect(state.readings).toHaveLength(3_600);
  });

  it("counts exactly the creates, updates, unchanged, duplicates and unknown meters the generator implies", () => {
    expect(plan.summary).toEqual({
      create: 6_300,
      update: 900,
      unchanged: 900,
      skip: 900,
      delete: 0,
      error: 1_000,
    });
    const byKind = new Map<string, number>();
    for (const e of expected) {
      const kind = `${e.action}:${e.code ?? ""}`;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(byKind)).toEqual({
      "create:": 6_300,
      "update:": 900,
      "unchanged:": 900,
      "skip:DUPLICATE": 900,
      "error:METER_NOT_FOUND": 1_000,
    });
  });

  it("decides every reading in payload order, each as the generator implies", () => {
    expect(plan.decisions).toHaveLength(READINGS);
    expect(plan.decisions.map((d) => d.index)).toEqual(readings.map((_, i) => i));
    expect(plan.decisions.every((d) => d.item === 0)).toBe(true);
    expect(plan.decisions.map((d) => ({ action: d.action, code: d.code }))).toEqual(
      expected.map((e) => ({ action: e.action, code: e.code })),
    );
  });

  it("names the right meter, stored twin or duplicated original in each kind of decision", () => {
    // One reading of each kind, from the middle of the payload.
    const at = (i: number) => plan.decisions[i];
    expect(at(5_000)).toMatchObject({
      action: "unchanged",
      meter: { id: "meter-M1000", unique_ids: { meter_number: "M1000" } },
      target: { reading_id: "twin-5000", matched_by: "external_id" },
    });
    expect(at(5_001)).toMatchObject({
      action: "update",
      target: { reading_id: "twin-5001", matched_by: "external_id" },
      changes: { value: { from: "1", to: "6001" } },
    });
    expect(at(5_002)).toMatchObject({
      action: "skip",
      code: "DUPLICATE",
      target: { reading_id: "same-day-5002", matched_by: "dedup" },
      details: { berlin_day: "2024-03-03" },
    });
    expect(at(5_003)).toMatchObject({
      action: "create",
      reading: { external_id: "R5003", value: "6003", timestamp: "2024-03-03T10:00:00.000Z" },
      reading_id: "new:0:5003",
    });
    expect(at(5_800)).toMatchObject({
      action: "error",
      code: "METER_NOT_FOUND",
      details: { meter_number: "M1800" },
    });
  });

  it("gives an equal plan when it yields to the event loop after every few readings", async () => {
    let ticks = 0;
    let planning = true;
    const tick = () => {
      ticks++;
      if (planning) setImmediate(tick);
    };
    setImmediate(tick);
    const sliced = await planImport(compiledConfig(), payload, state, { sliceMs: 0 });
    planning = false;
    expect(sliced).toEqual(plan);
    // sliceMs 0 must really hand the event loop turns while planning, not only at the end.
    expect(ticks).toBeGreaterThan(10);
  });
});

describe("a payload with one reading", () => {
  const reading = { id: "R1", meterId: "M1", timestamp: "2024-03-01T10:00:00Z", value: "12.5" };
  const oneState = makeState({
    meters: ["M1", "M2"],
    readings: [{ meter: "M1", external_id: "R1", timestamp: "2024-03-01T10:00:00Z", value: "12" }],
  });

  it("gets the same decision whether the extraction returns a lone object or a one-element array", async () => {
    const config = compiledConfig();
    const asObject = await planImport(config, { readings: reading }, oneState);
    const asArray = await planImport(config, { readings: [reading] }, oneState);
    expect(asObject).toEqual(asArray);
    expect(asArray.decisions).toMatchObject([
      { item: 0, index: 0, action: "update", target: { reading_id: "stored-0" } },
    ]);
  });

  it("gets the same decision when a filter matches one element of several", async () => {
    const filtered = compileConfig(makeConfig({ jsonataExpression: 'readings[meterId = "M1"]' }));
    if (!filtered.ok) throw new Error("invalid configuration");
    const other = { ...reading, id: "R2", meterId: "M2" };
    const lone = await planImport(filtered.compiled, { readings: [other, reading] }, oneState);
    const single = await planImport(compiledConfig(), { readings: [reading] }, oneState);
    expect(lone).toEqual(single);
  });
});
