import type { CompiledEntityItem } from "./compile-entities";
import { alive, type EntityIndexes, indexFor } from "./entity-indexes";
import { ANY, relatedSchemas } from "./final-entity-mappings";
import type { StateEntity } from "./types";

/**
 * Stored entities of some schemas that arrive while the plan is under way: the database shell
 * loads them while the first mappings, which cannot look at those schemas, are planned (a 10k-
 * contract lookup took the server about 90 ms, which the thread spent waiting). The plan puts them
 * into its indexes before the first mapping that can look at one of those schemas, so it decides
 * exactly as with every entity loaded up front.
 */
export interface LateEntities {
  schemas: ReadonlySet<string>;
  rows: Promise<readonly StateEntity[]>;
}

/**
 * The schemas planning an entity mapping can look up or change, or null when it can reach any:
 * its own, its relations' (and so their stubs'), meters and counters (a counter's meter), or any
 * schema at all for a prune (its scope), an `_id` lookup (by id, whatever the schema) and relations
 * an expression returns (their schema is known at run time).
 */
export function mappingSchemas(item: CompiledEntityItem): Set<string> | null {
  if (item.prune !== null || item.uniqueIds.includes("_id")) return null;
  const related = relatedSchemas(item, ["relations", "relation_refs"]);
  if (related.includes(ANY)) return null;
  for (const f of item.fields)
    if (f.kind === "relations" || f.kind === "relation_refs")
      for (const i of f.items ?? []) if (i.ids.some((u) => u.attribute === "_id")) return null;
  return new Set([item.entitySchema, "meter", "meter_counter", ...related]);
}

/** Whether planning the mapping must wait for the late entities. */
export function waitsForLate(item: CompiledEntityItem, late: LateEntities): boolean {
  const schemas = mappingSchemas(item);
  if (schemas === null) return true;
  for (const s of late.schemas) if (schemas.has(s)) return true;
  return false;
}

/** Puts the late entities into the plan's indexes (soft-deleted ones stay out, as in indexState). */
export async function addLateEntities(indexes: EntityIndexes, late: LateEntities): Promise<void> {
  for (const e of alive(await late.rows))
    indexFor(indexes, e.entity_schema).put({ id: e.id, attributes: e.attributes ?? {} });
}
