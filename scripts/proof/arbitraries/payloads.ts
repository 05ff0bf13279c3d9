import fc from "fast-check";
import { objectOf } from "../json-text";
import { hostileJson } from "./hostile-values";
import { mutated } from "./mutate";

type Json = Record<string, unknown>;

/** Meter numbers the fuzz payloads use (the engine's fuzz state holds M1-M3). */
export const FUZZ_METERS = ["M1", "M2", "M3", "FZ-1", "FZ-2", "FZ-3"] as const;

const day = fc.integer({ min: 0, max: 400 }).map((d) => new Date(Date.UTC(2024, 0, 1) + d * 864e5));

const timestamp = fc.oneof(
  fc
    .tuple(day, fc.integer({ min: 0, max: 86_399 }))
    .map(([d, s]) => new Date(d.getTime() + s * 1000).toISOString()),
  day.map((d) => d.toISOString().slice(0, 10)),
  // Berlin wall times without an offset, on both DST changes of 2024 too.
  fc.constantFrom("2024-03-31T02:30:00", "2024-10-27T02:30:00", "2024-06-01T12:00:00+02:00"),
);

const value = fc.oneof(
  fc.integer({ min: 0, max: 99_999 }),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.constantFrom("12.50", "0", "-1", "1e3", "12,5", "abc"),
);

/** One reading as the fuzz configurations expect it, sometimes with a counter or a reason. */
export const payloadReading: fc.Arbitrary<Json> = fc.record(
  {
    meterId: fc.constantFrom(...FUZZ_METERS),
    id: fc.nat(30).map((n) => `R-${n}`),
    timestamp,
    value,
    unit: fc.constant("kWh"),
    counter: fc.constantFrom("HT", "NT"),
    reason: fc.constantFrom("regular", "meter_change", "bogus"),
    direction: fc.constantFrom("feed-in", "feed-out"),
    source: fc.constantFrom("ERP", "ECP", "SAP"),
  },
  { requiredKeys: ["meterId", "id", "timestamp", "value", "unit"] },
);

export const validPayload: fc.Arbitrary<Json> = fc.record({
  batchId: fc.constantFrom("B-1", "B-2"),
  readingDate: timestamp,
  readings: fc.array(payloadReading, { maxLength: 8 }),
});

/** Payloads as clients send them: valid, mutated, or any JSON object or array at all. */
export function payloadArb(hugeWeight = 1): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: validPayload, weight: 3 },
    { arbitrary: mutated(validPayload, hugeWeight), weight: 5 },
    {
      // The API takes objects and arrays only: a scalar goes inside one.
      arbitrary: hostileJson.map((v) =>
        v !== null && typeof v === "object" ? v : objectOf([["readings", v]]),
      ),
      weight: 1,
    },
  );
}

/** A few readings on `meters`, for hostile-expression cases (each runs once per reading). */
export function smallPayload(meters: readonly string[] = FUZZ_METERS.slice(0, 3)): Json {
  return {
    batchId: "B-1",
    readingDate: "2024-01-15T08:00:00Z",
    readings: meters.map((meterId, i) => ({
      meterId,
      id: `R-${i}`,
      timestamp: `2024-01-1${i}T08:00:00Z`,
      value: 100 + i,
      unit: "kWh",
    })),
  };
}
