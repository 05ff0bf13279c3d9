import type { CompiledEntityItem, CompiledRelatedId } from "./compile-entities";
import type { IndexedEntity } from "./entity-index";
import { type EntityIndexes, findEntities, indexFor } from "./entity-indexes";
import type { Slots } from "./evaluate-slots";
import { readSource } from "./map-fields";
import { ownValue, setOwnValue } from "./own-property";
import type { PreparedEntityItem } from "./prepare-import";
import { problem } from "./reading-codes";
import type { EntityDecision, PlanWarning } from "./types";
import { EvaluationFailure } from "./value-source";

/** A prune scope with its values resolved on the root payload (SPEC-ENTITIES 4.3). */
export interface ResolvedScope {
  scope_mode: "relations" | "query";
  schema?: string;
  unique_ids?: Record<string, unknown>;
  query?: Record<string, unknown>;
  /** Names of the ids whose value is missing (then nothing can be in scope). */
  missing: string[];
}

/** Evaluates a prune scope's ids on the root payload, never on a fan-out element. */
export function resolveScope(p: PreparedEntityItem, root: unknown): ResolvedScope | null {
  const prune = p.item.prune;
  if (!prune) return null;
  const slots: Slots = { element: root, root, computed: p.rootComputed };
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const id of prune.scope.ids as CompiledRelatedId[]) {
    const v = readSource(id.source, slots);
    if (
      v instanceof EvaluationFailure ||
      v === undefined ||
      v === null ||
      v === "" ||
      typeof v === "object"
    )
      missing.push(id.attribute);
    else setOwnValue(values, id.attribute, v);
  }
  const scope: ResolvedScope =
    prune.scope.mode === "relations"
      ? { scope_mode: "relations", schema: prune.scope.schema ?? "", unique_ids: values, missing }
      : { scope_mode: "query", query: values, missing };
  return scope;
}

function relationTargets(attributes: Record<string, unknown>): string[] {
  const ids: string[] = [];
  for (const value of Object.values(attributes)) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    const list = (value as Record<string, unknown>).$relation;
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      const id = (r as { entity_id?: unknown })?.entity_id;
      if (typeof id === "string") ids.push(id);
    }
  }
  return ids;
}

/** Entities of `schema` related to `scope` in either direction. */
function relatedTo(indexes: EntityIndexes, schema: string, scope: IndexedEntity): string[] {
  const index = indexFor(indexes, schema);
  const out = new Set<string>();
  for (const id of relationTargets(scope.attributes)) if (index.byId.has(id)) out.add(id);
  for (const e of index.byId.values())
    if (relationTargets(e.attributes).includes(scope.id)) out.add(e.id);
  return [...out];
}

function shownIds(e: CompiledEntityItem, entity: IndexedEntity): Record<string, unknown> {
  const ids: Record<string, unknown> = {};
  for (const u of e.uniqueIds) {
    const v = u === "_id" ? entity.id : ownValue(entity.attributes, u);
    if (v !== undefined) setOwnValue(ids, u, v);
  }
  return ids;
}

/**
 * After a prune mapping's upserts: every entity of its schema in the scope that it did not upsert
 * (nor name in an update that erred) is deleted or purged, each a `delete` decision with code
 * PRUNED. A scope entity not found prunes nothing (warning NO_SCOPE); several, AMBIGUOUS_SCOPE.
 */
export function pruneEntityScope(
  p: PreparedEntityItem,
  root: unknown,
  indexes: EntityIndexes,
  done: { keep: ReadonlySet<string>; upserts: number },
  warnings: PlanWarning[],
): EntityDecision[] {
  const e = p.item;
  const scope = resolveScope(p, root);
  if (!e.prune || !scope) return [];
  const path = `/entities/${e.index}/scope`;
  const base = { item: e.index, index: null, entity_schema: e.entitySchema };
  if (scope.missing.length > 0) {
    warnings.push({
      code: "NO_SCOPE",
      message: `The prune scope has no value for ${scope.missing.join(", ")} on the payload: nothing pruned`,
      path,
    });
    return [];
  }
  let inScope: string[];
  if (scope.scope_mode === "relations") {
    const found = findEntities(indexes, scope.schema as string, scope.unique_ids ?? {});
    if (found.length === 0) {
      warnings.push({
        code: "NO_SCOPE",
        message: `No ${scope.schema} matches the prune scope's unique ids: nothing pruned`,
        path,
      });
      return [];
    }
    if (found.length > 1)
      return [
        {
          ...base,
          action: "error",
          ...problem("AMBIGUOUS_SCOPE", { ...scope.unique_ids, ids: found }),
          unique_ids: {},
          attributes: {},
        },
      ];
    const owner = indexFor(indexes, scope.schema as string).byId.get(
      found[0] as string,
    ) as IndexedEntity;
    inScope = relatedTo(indexes, e.entitySchema, owner);
  } else {
    inScope = findEntities(indexes, e.entitySchema, scope.query ?? {});
  }
  const doomed = inScope.filter((id) => !done.keep.has(id));
  if (done.upserts === 0)
    warnings.push({
      code: "PRUNE_ALL",
      message: `This mapping upserted no ${e.entitySchema}: the whole scope is pruned (${doomed.length} ${doomed.length === 1 ? "entity" : "entities"})`,
      path,
    });
  const index = indexFor(indexes, e.entitySchema);
  const deletion = e.prune.deletion;
  return doomed.map((id) => {
    const entity = index.byId.get(id) as IndexedEntity;
    index.remove(id);
    return {
      ...base,
      action: "delete" as const,
      mode: deletion,
      id,
      ...problem(
        "PRUNED",
        undefined,
        `Not upserted by this mapping within its scope: ${deletion === "purge" ? "purged" : "deleted"}`,
      ),
      unique_ids: shownIds(e, entity),
      attributes: { ...entity.attributes },
    };
  });
}
