import type { CompiledEntityItem } from "./compile-entities";
import { type EntityIndexes, findById, findEntities, indexFor } from "./entity-indexes";
import type { MappedEntity } from "./map-entity-fields";
import { setOwnValue } from "./own-property";
import { problem, type ReadingProblem } from "./reading-codes";

/** The unique id values of an update: a missing, null, empty or non-scalar one is missing. */
export function uniqueIdentifiers(e: CompiledEntityItem, mapped: MappedEntity) {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const u of e.uniqueIds) {
    const v = mapped.values.get(u);
    const value = v?.kind === "value" ? v.value : undefined;
    if (value === undefined || value === null || value === "" || typeof value === "object")
      missing.push(u);
    else setOwnValue(values, u, value);
  }
  return { values, missing };
}

/** Plain values as mapped (relations left out): what an error or a removal shows. */
export function plainValues(mapped: MappedEntity): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of mapped.values) if (v.kind === "value") setOwnValue(out, k, v.value);
  return out;
}

/** The stored entity an update targets: by `_id`, or by its unique ids (counters within their meter). */
export function locate(
  e: CompiledEntityItem,
  uniqueIds: Record<string, unknown>,
  indexes: EntityIndexes,
  meterId: string | null | undefined,
): { ok: true; id: string | null } | { ok: false; problem: ReadingProblem } {
  if (e.uniqueIds.length === 1 && e.uniqueIds[0] === "_id") {
    const id = String(uniqueIds._id);
    const hit = findById(indexes, id);
    if (!hit) return { ok: false, problem: problem("ENTITY_NOT_FOUND", { _id: id }) };
    if (hit.schema !== e.entitySchema)
      return {
        ok: false,
        problem: problem("ENTITY_SCHEMA_MISMATCH", { _id: id, entity_schema: hit.schema }),
      };
    return { ok: true, id };
  }
  // A counter mapped with its meter is looked up among that meter's counters: ids like "HT" repeat.
  const found =
    meterId === undefined
      ? findEntities(indexes, e.entitySchema, uniqueIds)
      : indexFor(indexes, e.entitySchema).findOfMeter(uniqueIds, meterId);
  if (found.length > 1)
    return { ok: false, problem: problem("AMBIGUOUS_ENTITY", { ...uniqueIds, ids: found }) };
  return { ok: true, id: found[0] ?? null };
}
