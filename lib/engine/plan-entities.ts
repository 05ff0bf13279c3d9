import type { CompiledEntityItem } from "./compile-entities";
import { Slicer } from "./cooperative";
import { deepEqual } from "./deep-equal";
import type { IndexedEntity } from "./entity-index";
import { type EntityIndexes, findEntities, indexFor } from "./entity-indexes";
import { type EntityArrays, entityArraysOf, sameEntityArrays } from "./entity-state";
import { arrayOperation } from "./entity-values";
import type { Slots } from "./evaluate-slots";
import { isItemObject } from "./extract-items";
import { finalEntityMappings } from "./final-entity-mappings";
import { addLateEntities, type LateEntities, waitsForLate } from "./late-entities";
import { locate, plainValues, uniqueIdentifiers } from "./locate-entity";
import { mapEntityFields } from "./map-entity-fields";
import { ownValue, setOwnValue } from "./own-property";
import type { PreparedEntityItem } from "./prepare-import";
import { pruneEntityScope } from "./prune-entities";
import { problem, type ReadingProblem } from "./reading-codes";
import type { EnvResult } from "./resolve-env-refs";
import { resolveRelations, storedValue } from "./resolve-relations";
import { unstorableAttribute } from "./text-problems";
import type { EntityDecision, ExistingState, PlanWarning } from "./types";
import { shownValue } from "./value-depth";

export type { EntityIndexes };

const NONE: EntityDecision[] = [];
const NO_RELATIONS: ReadonlyMap<string, unknown> = new Map();

function errorDecision(base: EntityDecision, p: ReadingProblem): EntityDecision {
  return { ...base, action: "error", ...p };
}

interface Input {
  e: CompiledEntityItem;
  index: number | null;
  slots: Slots;
  env: readonly (EnvResult | undefined)[];
}

/** One input of an entity item: its decisions (stubs and touched related entities first). */
function planOne(
  { e, index, slots, env }: Input,
  indexes: EntityIndexes,
  warnings: PlanWarning[],
  keep: Set<string> | null,
): EntityDecision[] {
  const mapped = mapEntityFields(e, slots, env);
  for (const w of mapped.warnings)
    warnings.push({
      code: w.code,
      message: w.message,
      path: `/entities/${e.index}/fields/${w.position}`,
    });
  const { values: uniqueIds, missing } = uniqueIdentifiers(e, mapped);
  const shown = plainValues(mapped);
  const base: EntityDecision = {
    item: e.index,
    index,
    entity_schema: e.entitySchema,
    action: "create",
    unique_ids: uniqueIds,
    attributes: shown,
  };
  if (mapped.error) {
    // An update that errs still names its stored twin: a prune must not delete it.
    if (missing.length === 0)
      for (const id of findEntities(indexes, e.entitySchema, uniqueIds)) keep?.add(id);
    const { code, field, message } = mapped.error;
    return [errorDecision(base, problem(code, { field }, message))];
  }
  if (missing.length > 0) return [errorDecision(base, problem("MISSING_IDENTIFIER", { missing }))];
  const text = unstorableAttribute(shown);
  if (text) return [errorDecision(base, text)];

  if (e.mode !== "upsert") {
    // delete and purge need only the unique ids; the other attributes are ignored.
    const idsOnly: EntityDecision = { ...base, attributes: { ...uniqueIds } };
    const found = locate(e, uniqueIds, indexes, undefined);
    if (!found.ok) {
      if (found.problem.code === "ENTITY_NOT_FOUND")
        return [
          {
            ...idsOnly,
            action: "skip",
            ...problem("NOT_FOUND", found.problem.details, "No entity to delete"),
          },
        ];
      return [errorDecision(idsOnly, found.problem)];
    }
    if (found.id === null)
      return [
        {
          ...idsOnly,
          action: "skip",
          ...problem("NOT_FOUND", { ...uniqueIds }, "No entity to delete"),
        },
      ];
    indexFor(indexes, e.entitySchema).remove(found.id);
    return [{ ...idsOnly, action: "delete", mode: e.mode, id: found.id }];
  }

  // A counter's `meter` attribute holds the unique ids of the meter it belongs to.
  let meterId: string | null | undefined;
  let values = mapped.values;
  const meterRef = e.entitySchema === "meter_counter" ? values.get("meter") : undefined;
  if (meterRef?.kind === "value") {
    values = new Map(values);
    values.delete("meter");
    // Shown without the meter's ids (a copy: deleting the key made every counter's object slow).
    const { meter: _, ...rest } = shown;
    base.attributes = rest;
    const ref = meterRef.value;
    if (isItemObject(ref)) {
      const found = indexes.meters.find(ref);
      if (found.length === 0) return [errorDecision(base, problem("METER_NOT_FOUND", ref))];
      if (found.length > 1)
        return [errorDecision(base, problem("AMBIGUOUS_METER", { ...ref, meter_ids: found }))];
      meterId = found[0];
      base.meter_id = meterId;
    }
  }
  const located = locate(e, uniqueIds, indexes, meterId);
  if (!located.ok) return [errorDecision(base, located.problem)];
  const target = indexFor(indexes, e.entitySchema);
  const existing = located.id === null ? null : (target.byId.get(located.id) as IndexedEntity);
  const id = existing?.id ?? `new:entity:${e.index}:${index ?? 0}`;
  let before: EntityDecision[] = NONE;
  let stored: ReadonlyMap<string, unknown> = NO_RELATIONS;
  if (e.relates) {
    const relations = resolveRelations(values, existing, indexes, {
      item: e.index,
      index,
      owner: id,
    });
    if (!relations.ok) return [errorDecision(base, relations.problem)];
    ({ before, stored } = relations.resolved);
  }

  const attributes: Record<string, unknown> = {};
  for (const [k, v] of values) {
    if (v.kind !== "value") setOwnValue(attributes, k, stored.get(k));
    else {
      const was = existing ? ownValue(existing.attributes, k) : undefined;
      setOwnValue(attributes, k, storedValue(v, was, arrayOperation(v.value)));
    }
  }
  if (e.uniqueIds[0] === "_id") delete attributes._id;
  if (!existing) {
    const entity: IndexedEntity = { id, attributes };
    if (meterId !== undefined) entity.meter_id = meterId;
    target.put(entity);
    keep?.add(id);
    const created = ownDecision(base, "create", attributes, id);
    return before.length === 0 ? [created] : [...before, created];
  }
  keep?.add(existing.id);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(attributes)) {
    const from = ownValue(existing.attributes, k);
    if (!deepEqual(from, v)) setOwnValue(changes, k, { from: from ?? null, to: v });
  }
  if (meterId !== undefined && (existing.meter_id ?? null) !== meterId) {
    changes.meter_id = { from: existing.meter_id ?? null, to: meterId };
  }
  const next: IndexedEntity = {
    ...existing,
    attributes: { ...existing.attributes, ...attributes },
  };
  if (meterId !== undefined) next.meter_id = meterId;
  target.put(next);
  const own =
    Object.keys(changes).length === 0
      ? ownDecision(base, "unchanged", attributes, existing.id)
      : ownDecision(base, "update", attributes, existing.id, changes);
  return before.length === 0 ? [own] : [...before, own];
}

/**
 * A create, update or unchanged decision from the mapping's `base`: the keys in the order a
 * spread of `base` gave them, as literals (a spread of 40k bases was a tenth of the plan's time).
 */
function ownDecision(
  base: EntityDecision,
  action: "create" | "update" | "unchanged",
  attributes: Record<string, unknown>,
  id: string,
  changes?: EntityDecision["changes"],
): EntityDecision {
  const { item, index, entity_schema, unique_ids, meter_id } = base;
  const d: EntityDecision =
    meter_id === undefined
      ? { item, index, entity_schema, action, unique_ids, attributes, id }
      : { item, index, entity_schema, action, unique_ids, attributes, meter_id, id };
  if (changes) d.changes = changes;
  return d;
}

/**
 * Entities first (SPEC-ENTITIES 6): mappings in configuration order, inputs in array order, each
 * update seeing the earlier ones; then a prune mapping removes the rest of its scope.
 */
export async function decideEntities(
  items: readonly PreparedEntityItem[],
  root: unknown,
  indexes: EntityIndexes,
  warnings: PlanWarning[] = [],
  slicer: Slicer = new Slicer(20),
  onFinal?: (decisions: readonly EntityDecision[]) => void,
  /** Receives where each mapping's decisions start, by position. */
  starts: number[] = [],
  /** Stored entities still arriving: put into `indexes` before the first mapping that can see them. */
  late?: LateEntities,
): Promise<EntityDecision[]> {
  const decisions: EntityDecision[] = [];
  const final = onFinal ? finalEntityMappings(items.map((p) => p.item)) : [];
  let waiting = late;
  for (const [position, p] of items.entries()) {
    if (waiting && waitsForLate(p.item, waiting)) {
      await addLateEntities(indexes, waiting);
      waiting = undefined;
    }
    const start = decisions.length;
    starts[position] = start;
    await decideMapping(p, root, indexes, warnings, slicer, decisions);
    if (final[position]) onFinal?.(decisions.slice(start));
  }
  // The indexes hold every stored entity once the decisions are made, as they would have.
  if (waiting) await addLateEntities(indexes, waiting);
  return decisions;
}

/** Entity decisions made ahead of the plan that follows (keepDecided). */
export interface DecidedEntities {
  decisions: EntityDecision[];
  /** Where each mapping's decisions start, by position (decideEntities' `starts`). */
  starts: readonly number[];
  /** The indexes as the decisions left them. */
  indexes: EntityIndexes;
  warnings: PlanWarning[];
}

/** Decided entities, with the entity state they were decided against. */
type KeptDecisions = DecidedEntities & EntityArrays;

const decided = new WeakMap<readonly PreparedEntityItem[], KeptDecisions>();

/**
 * Keeps a payload's entity decisions for the plan that follows against the same entity state: the
 * readings' lookups decide the entities to resolve their meters, and the plan takes those
 * decisions instead of deciding every entity again.
 */
export function keepDecided(
  items: readonly PreparedEntityItem[],
  state: ExistingState,
  entities: DecidedEntities,
) {
  decided.set(items, { ...entities, ...entityArraysOf(state) });
}

/**
 * The kept decisions, if they were made against this entity state (the same arrays: anything else
 * and the plan decides again itself). Handed out once: the indexes they left are the plan's.
 */
export function takeDecided(
  items: readonly PreparedEntityItem[],
  state: ExistingState,
): DecidedEntities | null {
  const kept = decided.get(items);
  if (!kept || !sameEntityArrays(kept, state)) return null;
  decided.delete(items);
  return kept;
}

/**
 * Hands kept decisions to `onFinal` as decideEntities would have while deciding them: each final
 * mapping's decisions, in order.
 */
export function replayFinal(
  items: readonly PreparedEntityItem[],
  entities: DecidedEntities,
  onFinal: (decisions: readonly EntityDecision[]) => void,
) {
  const final = finalEntityMappings(items.map((p) => p.item));
  for (let position = 0; position < items.length; position++) {
    if (!final[position]) continue;
    const start = entities.starts[position] ?? entities.decisions.length;
    const end = entities.starts[position + 1] ?? entities.decisions.length;
    onFinal(entities.decisions.slice(start, end));
  }
}

/** One entity mapping's decisions, added to `decisions`. */
async function decideMapping(
  p: PreparedEntityItem,
  root: unknown,
  indexes: EntityIndexes,
  warnings: PlanWarning[],
  slicer: Slicer,
  decisions: EntityDecision[],
) {
  const { item: e, enabled, extraction, computed } = p;
  if (enabled === false) return;
  const base = {
    item: e.index,
    index: null,
    entity_schema: e.entitySchema,
    unique_ids: {},
    attributes: {},
  };
  if (enabled !== true) {
    decisions.push({
      ...base,
      action: "error",
      ...problem("MAPPING_ERROR", { field: enabled.field ?? "enabled" }, enabled.error),
    });
    return;
  }
  if (!extraction.ok) {
    // An item whose extraction fails decides nothing, and above all prunes nothing.
    decisions.push({
      ...base,
      action: "error",
      ...problem("EXTRACTION_ERROR", undefined, extraction.message),
    });
    return;
  }
  const fanOut = e.extraction !== null;
  // What a prune must not remove: only a prune mapping needs it (a Set of 40k fresh ids costs).
  const keep = e.prune ? new Set<string>() : null;
  let upserts = 0;
  for (let k = 0; k < extraction.items.length; k++) {
    // 40k entity updates take longer than a slice: give the event loop its turns.
    if (slicer.due()) await slicer.pause();
    const element = extraction.items[k];
    const index = fanOut ? k : null;
    if (isItemObject(element)) {
      const slots = { element, root, computed: computed[k] };
      const made = planOne({ e, index, slots, env: p.env }, indexes, warnings, keep);
      const own = made.at(-1);
      if (own && own.action !== "error" && own.action !== "skip") upserts++;
      decisions.push(...made);
    } else
      decisions.push({
        ...base,
        index,
        action: "error",
        ...problem("INVALID_ITEM", { received: shownValue(element ?? null) }),
      });
  }
  if (keep) decisions.push(...pruneEntityScope(p, root, indexes, { keep, upserts }, warnings));
}
