import type { PreparedImport } from "./prepare-import";
import { resolveScope } from "./prune-entities";

/**
 * A prune scope the shell must load whole before planning: every stored entity of
 * `entity_schema` that a prune can reach (SPEC-ENTITIES 4.3). `relations`: those related in
 * either direction to the scope entity (found by `schema` and `unique_ids`); `query`: those whose
 * attributes equal every pair.
 */
export interface ScopeLookup {
  entity_schema: string;
  scope_mode: "relations" | "query";
  schema?: string;
  values: Record<string, unknown>;
}

/** The prune scopes of a prepared payload, resolved on the root payload (none when a value is missing). */
export function pruneScopeLookups(prepared: PreparedImport): ScopeLookup[] {
  const lookups: ScopeLookup[] = [];
  for (const p of prepared.entities) {
    if (p.enabled !== true || !p.extraction.ok || !p.item.prune) continue;
    const scope = resolveScope(p, prepared.payload);
    if (!scope || scope.missing.length > 0) continue;
    lookups.push(
      scope.scope_mode === "relations"
        ? {
            entity_schema: p.item.entitySchema,
            scope_mode: "relations",
            schema: scope.schema,
            values: scope.unique_ids ?? {},
          }
        : { entity_schema: p.item.entitySchema, scope_mode: "query", values: scope.query ?? {} },
    );
  }
  return lookups;
}
