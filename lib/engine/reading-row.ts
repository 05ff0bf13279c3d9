import { TYPED_READING_ATTRIBUTES } from "./constants";
import { setOwnValue } from "./own-property";
import type { Decision, StoredReading } from "./types";

const TYPED = new Set<string>(TYPED_READING_ATTRIBUTES);

/** Writes a planned reading's custom attributes (everything but the typed columns) into `into`. */
function withCustom(
  into: Record<string, unknown>,
  reading: Record<string, unknown>,
): Record<string, unknown> {
  for (const key in reading) if (!TYPED.has(key)) setOwnValue(into, key, reading[key]);
  return into;
}

/**
 * The row a create or update decision leaves behind: mapped attributes written over the previous
 * row (none for a create), unmapped ones kept. The engine's working state and the shell that
 * applies a plan both build rows with this one function, so they cannot drift apart.
 */
export function rowAfter(
  decision: Decision,
  previous: StoredReading | null,
  id: string,
): StoredReading {
  const reading = (decision.reading ?? {}) as Record<string, unknown>;
  const timed = Object.hasOwn(reading, "timestamp");
  return {
    id,
    meter_id: previous?.meter_id ?? (decision.meter?.id as string),
    // A resolved counter is always written; without a counter mapping the row keeps its own.
    counter_id: decision.counter ? decision.counter.id : (previous?.counter_id ?? null),
    direction: pick(reading, previous, "direction"),
    external_id: pick(reading, previous, "external_id"),
    timestamp: pick(reading, previous, "timestamp") as string,
    value: pick(reading, previous, "value") as string,
    source: pick(reading, previous, "source"),
    reason: pick(reading, previous, "reason"),
    attributes: withCustom(previous ? { ...previous.attributes } : {}, reading),
    // Known already (parsed with the timestamp, or loaded with the row): not worked out again.
    berlin_day: timed ? decision.time?.berlin_day : previous?.berlin_day,
  };
}

/** A mapped typed attribute, else the previous row's value. (Top-level: no closure per call.) */
function pick(
  reading: Record<string, unknown>,
  previous: StoredReading | null,
  key: (typeof TYPED_READING_ATTRIBUTES)[number],
): string | null {
  if (Object.hasOwn(reading, key)) return (reading[key] ?? null) as string | null;
  return (previous?.[key] ?? null) as string | null;
}
