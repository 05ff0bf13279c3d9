import type { CompiledEntityItem } from "./compile-config";
import { deepEqual } from "./deep-equal";
import { EntityIndex, type IndexedEntity } from "./entity-index";
import type { Slots } from "./evaluate-slots";
import { isItemObject } from "./extract-items";
import { mapFields } from "./map-fields";
import { getOrInsert } from "./map-utils";
import { ownValue, setOwnValue } from "./own-property";
import type { PreparedEntityItem } from "./prepare-import";
import { problem } from "./reading-codes";
import { unstorableAttribute } from "./text-problems";
import type { EntityDecision } from "./types";
import { shownValue } from "./value-depth";

export interface EntityIndexes {
  meters: EntityIndex;
  counters: EntityIndex;
  others: Map<string, EntityIndex>;
}

function indexFor(indexes: EntityIndexes, schema: string): EntityIndex {
  if (schema === "meter") return indexes.meters;
  if (schema === "meter_counter") return indexes.counters;
  return getOrInsert(indexes.others, schema, () => new EntityIndex());
}

function errorDecision(base: EntityDecision, p: ReturnType<typeof problem>): EntityDecision {
  return { ...base, action: "error", ...p };
}

function planOne(
  e: CompiledEntityItem,
  index: number | null,
  slots: Slots,
  indexes: EntityIndexes,
): EntityDecision {
  const mapped = mapFields(e.fields, slots);
  const attributes = { ...mapped.values };
  const uniqueIds: Record<string, unknown> = {};
  for (const u of e.uniqueIds) {
    const value = ownValue(attributes, u);
    if (value != null && value !== "") setOwnValue(uniqueIds, u, value);
  }
  const base: EntityDecision = {
    item: e.index,
    index,
    entity_schema: e.entitySchema,
    action: "create",
    unique_ids: uniqueIds,
    attributes,
  };
  if (mapped.error)
    return errorDecision(
      base,
      problem("MAPPING_ERROR", { field: mapped.error.attribute }, mapped.error.message),
    );
  const text = unstorableAttribute(attributes);
  if (text) return errorDecision(base, text);
  const missing = e.uniqueIds.filter((u) => !Object.hasOwn(uniqueIds, u));
  if (missing.length > 0) return errorDecision(base, problem("ENTITY_ID_MISSING", { missing }));

  // A counter's `meter` attribute holds the unique ids of the meter it belongs to.
  let meterId: string | null | undefined;
  if (e.entitySchema === "meter_counter" && Object.hasOwn(attributes, "meter")) {
    const ref = attributes.meter;
    delete attributes.meter;
    if (ref !== null && typeof ref === "object" && !Array.isArray(ref)) {
      const found = indexes.meters.find(ref as Record<string, unknown>);
      if (found.length === 0)
        return errorDecision(base, problem("METER_NOT_FOUND", ref as Record<string, unknown>));
      if (found.length > 1)
        return errorDecision(
          base,
          problem("AMBIGUOUS_METER", { ...(ref as object), meter_ids: found }),
        );
      meterId = found[0];
      base.meter_id = meterId;
    }
  }

  const target = indexFor(indexes, e.entitySchema);
  // A counter mapped with its meter is looked up among that meter's counters: ids like "HT" repeat.
  const found =
    meterId === undefined
      ? target.find(uniqueIds)
      : target.find(uniqueIds).filter((id) => {
          const owner = target.byId.get(id)?.meter_id ?? null;
          return owner === meterId || owner === null;
        });
  if (found.length > 1)
    return errorDecision(base, problem("AMBIGUOUS_ENTITY", { ...uniqueIds, ids: found }));
  if (found.length === 0) {
    const id = `new:entity:${e.index}:${index ?? 0}`;
    const entity: IndexedEntity = { id, attributes };
    if (meterId !== undefined) entity.meter_id = meterId;
    target.put(entity);
    return { ...base, action: "create", id };
  }
  const existing = target.byId.get(found[0] as string) as IndexedEntity;
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
  const action = Object.keys(changes).length === 0 ? "unchanged" : "update";
  return action === "update"
    ? { ...base, action, id: existing.id, changes }
    : { ...base, action, id: existing.id };
}

/** Entities first (SPEC 6), so meters and counters created by the same payload exist for readings. */
export function decideEntities(
  items: readonly PreparedEntityItem[],
  root: unknown,
  indexes: EntityIndexes,
): EntityDecision[] {
  const decisions: EntityDecision[] = [];
  for (const { item: e, enabled, extraction, computed } of items) {
    if (enabled === false) continue;
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
        ...problem("MAPPING_ERROR", { field: "enabled" }, enabled.error),
      });
      continue;
    }
    if (!extraction.ok) {
      decisions.push({
        ...base,
        action: "error",
        ...problem("EXTRACTION_ERROR", undefined, extraction.message),
      });
      continue;
    }
    const fanOut = e.extraction !== null;
    extraction.items.forEach((element, k) => {
      const index = fanOut ? k : null;
      if (isItemObject(element))
        decisions.push(planOne(e, index, { element, root, computed: computed[k] }, indexes));
      else
        decisions.push({
          ...base,
          index,
          action: "error",
          ...problem("INVALID_ITEM", { received: shownValue(element ?? null) }),
        });
    });
  }
  return decisions;
}
