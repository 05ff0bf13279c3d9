import { EntityIndex, type IndexedEntity } from "./entity-index";
import { getOrInsert } from "./map-utils";
import type { ExistingState } from "./types";

/** The entities a plan looks up, per schema; planning adds to them, never to the caller's data. */
export interface EntityIndexes {
  meters: EntityIndex;
  counters: EntityIndex;
  others: Map<string, EntityIndex>;
}

export function indexFor(indexes: EntityIndexes, schema: string): EntityIndex {
  if (schema === "meter") return indexes.meters;
  if (schema === "meter_counter") return indexes.counters;
  return getOrInsert(indexes.others, schema, () => new EntityIndex());
}

/** The entity with this id, whatever its schema (`unique_ids: ["_id"]`), or null. */
export function findById(
  indexes: EntityIndexes,
  id: string,
): { schema: string; entity: IndexedEntity } | null {
  const meter = indexes.meters.byId.get(id);
  if (meter) return { schema: "meter", entity: meter };
  const counter = indexes.counters.byId.get(id);
  if (counter) return { schema: "meter_counter", entity: counter };
  for (const [schema, index] of indexes.others) {
    const entity = index.byId.get(id);
    if (entity) return { schema, entity };
  }
  return null;
}

/** Ids of the entities of a schema whose attributes equal the values; `_id` finds by id. */
export function findEntities(
  indexes: EntityIndexes,
  schema: string,
  values: Record<string, unknown>,
): string[] {
  const index = indexFor(indexes, schema);
  if (!Object.hasOwn(values, "_id")) return index.find(values);
  const { _id: id, ...rest } = values;
  const entity = index.byId.get(String(id));
  if (!entity) return [];
  return Object.keys(rest).length === 0 || index.find(rest).includes(entity.id) ? [entity.id] : [];
}

/** The rows that are not soft-deleted: those are out of every lookup. */
export const alive = <T extends { deleted_at?: string | null }>(rows: readonly T[] = []) =>
  rows.filter((r) => r && (r.deleted_at === undefined || r.deleted_at === null));

/** The entity indexes of an existing state; soft-deleted entities are out of every lookup. */
export function indexState(state: ExistingState): EntityIndexes {
  const others = new Map<string, EntityIndex>();
  for (const e of alive(state.entities)) {
    getOrInsert(others, e.entity_schema, () => new EntityIndex()).put({
      id: e.id,
      attributes: e.attributes ?? {},
    });
  }
  return {
    meters: new EntityIndex(alive(state.meters)),
    counters: new EntityIndex(alive(state.counters)),
    others,
  };
}
