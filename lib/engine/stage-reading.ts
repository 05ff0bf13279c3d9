import type { CompiledReadingItem } from "./compile-config";
import { type EntityArrays, entityArraysOf, sameEntityArrays } from "./entity-state";
import type { Slots } from "./evaluate-slots";
import { isItemObject } from "./extract-items";
import { mapFields } from "./map-fields";
import { externalIdOf, type NormalizedReading, normalizeReading } from "./normalize-reading";
import type { EntityIndexes } from "./plan-entities";
import type { PreparedReadingItem } from "./prepare-import";
import { problem, type ReadingProblem } from "./reading-codes";
import { type RefCache, resolveMeterAndCounter } from "./resolve-meter";
import type { Decision, ExistingState, ResolvedRef } from "./types";
import { shownValue } from "./value-depth";

/**
 * A reading as far as it goes before stored readings matter: its meter and counter, its mapped
 * and validated values, or the error that ends it. Staging does not depend on stored readings, so
 * the database shell stages while the readings are still being looked up (see `readingLookupKeys`)
 * and the plan only decides.
 */
export interface StagedReading {
  /** The decision, when the reading fails before any stored reading matters. */
  error: Decision | null;
  meter: ResolvedRef | null;
  counter: ResolvedRef | null;
  externalId: string | null;
  /** The counter did not resolve: the prune scope is unknown, only the meter's twin is kept. */
  scopeUnknown: boolean;
  normalized: NormalizedReading | null;
}

/** A reading (or, with index null, a whole item) that ends in an error. */
export function errorDecision(
  item: number,
  index: number | null,
  p: ReadingProblem,
  extra: Partial<Decision> = {},
): Decision {
  return { item, index, action: "error", ...p, ...extra };
}

function failed(
  decision: Decision,
  meter: ResolvedRef | null = null,
  counter: ResolvedRef | null = null,
  externalId: string | null = null,
  scopeUnknown = false,
): StagedReading {
  return { error: decision, meter, counter, externalId, scopeUnknown, normalized: null };
}

/** One reading up to the point where stored readings matter (see StagedReading). */
export function stageReading(
  indexes: EntityIndexes,
  refs: RefCache,
  item: CompiledReadingItem,
  index: number,
  element: unknown,
  slots: Slots,
): StagedReading {
  if (!isItemObject(element))
    return failed(
      errorDecision(
        item.index,
        index,
        problem("INVALID_ITEM", { received: shownValue(element ?? null) }),
      ),
    );
  const resolution = resolveMeterAndCounter(item, slots, indexes.meters, indexes.counters, refs);
  if (!resolution.ok) {
    const externalId =
      item.mode === "upsert-prune-scope" && resolution.meter
        ? externalIdOf(mapFields(item.fields, slots).values.external_id)
        : null;
    const decision = errorDecision(item.index, index, resolution.problem, {
      meter: resolution.meter,
      counter: null,
    });
    return failed(decision, resolution.meter, null, externalId, true);
  }
  const { meter, counter } = resolution;
  const mapped = mapFields(item.fields, slots);
  if (mapped.error) {
    const p = problem("MAPPING_ERROR", { field: mapped.error.attribute }, mapped.error.message);
    const decision = errorDecision(item.index, index, p, { meter, counter });
    return failed(decision, meter, counter, externalIdOf(mapped.values.external_id));
  }
  const externalId = externalIdOf(mapped.values.external_id);
  const normalized = normalizeReading(mapped.values, item);
  if ("code" in normalized)
    return failed(
      errorDecision(item.index, index, normalized, { meter, counter }),
      meter,
      counter,
      externalId,
    );
  return { error: null, meter, counter, externalId, scopeUnknown: false, normalized };
}

/** Staged readings, with the entity state their meters and counters were resolved against. */
interface Staged extends EntityArrays {
  readings: (StagedReading | undefined)[];
}

const staged = new WeakMap<PreparedReadingItem, Staged>();

/** Keeps an item's staged readings for the plan that follows against the same entity state. */
export function keepStaged(
  item: PreparedReadingItem,
  state: ExistingState,
  readings: (StagedReading | undefined)[],
) {
  staged.set(item, { ...entityArraysOf(state), readings });
}

/** An item's staged readings (as takeStaged) without handing them out. */
export function peekStaged(
  item: PreparedReadingItem,
  state: ExistingState,
): readonly (StagedReading | undefined)[] | null {
  const kept = staged.get(item);
  return kept && sameEntityArrays(kept, state) ? kept.readings : null;
}

/**
 * An item's staged readings, if they were staged against this entity state (the same arrays:
 * anything else and the plan stages again itself). Each is handed out once: staging is done
 * for one plan.
 */
export function takeStaged(
  item: PreparedReadingItem,
  state: ExistingState,
): (StagedReading | undefined)[] | null {
  const readings = peekStaged(item, state);
  if (readings) staged.delete(item);
  return readings as (StagedReading | undefined)[] | null;
}
