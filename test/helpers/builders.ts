import type {
  ExistingState,
  MappingConfig,
  StateCounter,
  StateMeter,
  StateReading,
} from "../../lib/engine";

/** One `meter_readings` item of a configuration. */
export type ReadingItemConfig = NonNullable<MappingConfig["meter_readings"]>[number];

/**
 * A valid `upsert` reading item: readings extracted with `readings`, the meter found by
 * `meter_number` = the reading's `meterId`, and the four required attributes mapped from
 * `id`, `timestamp`, `value` and a constant `ERP` source. Overrides replace whole keys.
 */
export function makeReadingItem(overrides: Partial<ReadingItemConfig> = {}): ReadingItemConfig {
  return {
    jsonataExpression: "readings",
    meter: { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
    fields: [
      { attribute: "external_id", field: "id" },
      { attribute: "timestamp", field: "timestamp" },
      { attribute: "value", field: "value" },
      { attribute: "source", constant: "ERP" },
    ],
    ...overrides,
  };
}

/** A valid configuration with one reading item (see makeReadingItem). */
export function makeConfig(overrides: Partial<ReadingItemConfig> = {}): MappingConfig {
  return { meter_readings: [makeReadingItem(overrides)] };
}

/** The state id of the meter whose `meter_number` is `meterNumber`. */
export function meterIdOf(meterNumber: string): string {
  return `meter-${meterNumber}`;
}

/** A stored reading, by the meter number of its meter; the other columns have plain defaults. */
export interface StoredReadingInput {
  meter: string;
  id?: string;
  external_id?: string | null;
  timestamp: string;
  value: string | number;
  counter_id?: string | null;
  direction?: string | null;
  source?: string | null;
  reason?: string | null;
  attributes?: Record<string, unknown>;
}

export interface StateInput {
  /** Meter numbers; each becomes the meter `meterIdOf(number)` with `meter_number` = number. */
  meters?: readonly string[];
  counters?: StateCounter[];
  readings?: readonly StoredReadingInput[];
}

/** Existing state in the plain JSON shape of SPEC 4. */
export function makeState({
  meters = [],
  counters,
  readings = [],
}: StateInput = {}): ExistingState {
  const stateMeters: StateMeter[] = meters.map((n) => ({
    id: meterIdOf(n),
    attributes: { meter_number: n },
  }));
  const stateReadings: StateReading[] = readings.map((r, i) => ({
    id: r.id ?? `stored-${i}`,
    meter_id: meterIdOf(r.meter),
    counter_id: r.counter_id ?? null,
    direction: r.direction ?? null,
    external_id: r.external_id === undefined ? `S${i}` : r.external_id,
    timestamp: r.timestamp,
    value: r.value,
    source: r.source === undefined ? "ERP" : r.source,
    reason: r.reason ?? null,
    attributes: r.attributes ?? {},
  }));
  const state: ExistingState = { meters: stateMeters, readings: stateReadings };
  if (counters) state.counters = counters;
  return state;
}

/** A payload reading as makeReadings writes it (the keys makeReadingItem maps). */
export interface PayloadReading {
  id: string;
  meterId: string;
  timestamp: string;
  value: string;
}

export interface ReadingsOptions {
  /** Number of meters the readings are spread over, round robin (`M0`, `M1`, ...). Default 1. */
  meters?: number;
  /** The Berlin day of the first round; round k (readings k*m .. k*m+m-1) is k days later. */
  firstDay?: string;
  /** Prefix of the external ids (`R0`, `R1`, ...). */
  idPrefix?: string;
}

/** The UTC date `days` after `day` (`YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The meter number of reading `i` when readings are spread over `meters` meters. */
export function meterNumberOf(i: number, meters: number): string {
  return `M${i % meters}`;
}

/**
 * `n` payload readings over `meters` meters, deterministically: reading `i` belongs to meter
 * `M(i % meters)`, has external id `R<i>`, value `1000 + i`, and is stamped 10:00 UTC on day
 * `firstDay + floor(i / meters)`, so no two readings of one meter share a Berlin day.
 */
export function makeReadings(n: number, opts: ReadingsOptions = {}): PayloadReading[] {
  const { meters = 1, firstDay = "2024-03-01", idPrefix = "R" } = opts;
  return Array.from({ length: n }, (_, i) => ({
    id: `${idPrefix}${i}`,
    meterId: meterNumberOf(i, meters),
    timestamp: `${addDays(firstDay, Math.floor(i / meters))}T10:00:00Z`,
    value: String(1000 + i),
  }));
}
