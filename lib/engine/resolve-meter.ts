import type { CompiledReadingItem } from "./compile-config";
import { deepEqual } from "./deep-equal";
import type { EntityIndex } from "./entity-index";
import type { Slots } from "./evaluate-slots";
import { readSource, resolveUniqueIds } from "./map-fields";
import { ownValue } from "./own-property";
import { problem, type ReadingProblem } from "./reading-codes";
import { unstorableUniqueId } from "./text-problems";
import type { ResolvedRef } from "./types";

export type MeterResolution =
  | { ok: true; meter: ResolvedRef; counter: ResolvedRef | null }
  | { ok: false; problem: ReadingProblem; meter: ResolvedRef | null };

/** One reference object per entity and unique ids: thousands of readings of a meter share it. */
export type RefCache = Map<string, ResolvedRef>;

function shared(refs: RefCache, id: string, uniqueIds: Record<string, unknown>): ResolvedRef {
  const cached = refs.get(id);
  if (cached && deepEqual(cached.unique_ids, uniqueIds)) return cached;
  const ref = { id, unique_ids: uniqueIds };
  refs.set(id, ref);
  return ref;
}

/**
 * The common case without allocating: one unique id, one plain value, exactly one meter, and a
 * reference already made for it. Anything else takes the general path, which explains failures.
 */
function cachedMeter(
  item: CompiledReadingItem,
  slots: Slots,
  meters: EntityIndex,
  refs: RefCache,
): ResolvedRef | null {
  if (item.meter.length !== 1) return null;
  const { attribute, source } = item.meter[0] as CompiledReadingItem["meter"][number];
  const value = readSource(source, slots);
  if (typeof value !== "string" && typeof value !== "number") return null;
  const id = meters.single(attribute, value);
  const ref = id === null ? undefined : refs.get(id);
  return ref && ownValue(ref.unique_ids, attribute) === value ? ref : null;
}

/** Resolves the meter, then the counter (SPEC 3 steps 1-2). */
export function resolveMeterAndCounter(
  item: CompiledReadingItem,
  slots: Slots,
  meters: EntityIndex,
  counters: EntityIndex,
  refs: RefCache,
): MeterResolution {
  if (!item.counter) {
    const meter = cachedMeter(item, slots, meters, refs);
    if (meter) return { ok: true, meter, counter: null };
  }
  const meterIds = resolveUniqueIds(item.meter, slots);
  if (!meterIds.ok) {
    const p = meterIds.error
      ? problem("MAPPING_ERROR", { field: meterIds.error.attribute }, meterIds.error.message)
      : problem("METER_ID_MISSING", { missing: meterIds.missing });
    return { ok: false, problem: p, meter: null };
  }
  const meterText = unstorableUniqueId("meter", meterIds.values);
  if (meterText) return { ok: false, problem: meterText, meter: null };
  const found = meters.find(meterIds.values);
  if (found.length === 0)
    return { ok: false, problem: problem("METER_NOT_FOUND", meterIds.values), meter: null };
  if (found.length > 1) {
    return {
      ok: false,
      problem: problem("AMBIGUOUS_METER", { ...meterIds.values, meter_ids: found }),
      meter: null,
    };
  }
  const meter = shared(refs, found[0] as string, meterIds.values);
  if (!item.counter) return { ok: true, meter, counter: null };

  const counterIds = resolveUniqueIds(item.counter, slots);
  if (!counterIds.ok) {
    const p = counterIds.error
      ? problem("MAPPING_ERROR", { field: counterIds.error.attribute }, counterIds.error.message)
      : problem("COUNTER_ID_MISSING", { missing: counterIds.missing });
    return { ok: false, problem: p, meter };
  }
  const counterText = unstorableUniqueId("meter_counter", counterIds.values);
  if (counterText) return { ok: false, problem: counterText, meter };
  const candidates = counters.find(counterIds.values);
  if (candidates.length === 0)
    return { ok: false, problem: problem("COUNTER_NOT_FOUND", counterIds.values), meter };
  // Counter ids such as "HT" repeat across meters: the meter's own counters win, then unattached ones.
  const ownerOf = (id: string) => counters.byId.get(id)?.meter_id ?? null;
  const attached = candidates.filter((id) => ownerOf(id) === meter.id);
  const own = attached.length > 0 ? attached : candidates.filter((id) => ownerOf(id) === null);
  if (own.length === 0) {
    const other = ownerOf(candidates[0] as string);
    return {
      ok: false,
      problem: problem("COUNTER_METER_MISMATCH", {
        ...counterIds.values,
        meter_id: meter.id,
        counter_meter_id: other,
      }),
      meter,
    };
  }
  if (own.length > 1) {
    return {
      ok: false,
      problem: problem("AMBIGUOUS_COUNTER", { ...counterIds.values, counter_ids: own }),
      meter,
    };
  }
  return { ok: true, meter, counter: shared(refs, own[0] as string, counterIds.values) };
}
