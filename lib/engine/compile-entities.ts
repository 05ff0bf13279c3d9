import {
  type CompiledExpression,
  compileExpression,
  EXTRACTION_BOUNDS,
  ITEM_BOUNDS,
  type JsonataBounds,
} from "./bounded-jsonata";
import type { ArrayOperation, EntityMode, RepeatableType } from "./entity-constants";
import type {
  EntityFieldMapping,
  EntityMapping,
  RelatedId,
  RelationItem,
  RelationRefItem,
  Relations,
} from "./entity-schema";
import { ExpressionTable, type ValueSource } from "./value-source";

/** `return: "jsonata"` of an env_var_ref runs at most this long (SPEC-ENTITIES 5). */
export const ENV_VAR_BOUNDS: JsonataBounds = { ...ITEM_BOUNDS, timeoutMs: 100 };

export interface CompiledRelatedId {
  attribute: string;
  source: ValueSource;
  type: RepeatableType | null;
}

export interface CompiledRelationItem {
  entitySchema: string;
  ids: CompiledRelatedId[];
  tags: string[] | null;
  /** relation_refs only: the repeatable attribute pointed into, and the item put there. */
  ref: { path: string; attribute: string; operation: ArrayOperation; source: ValueSource } | null;
}

interface FieldBase {
  /** Position in the configuration's `fields`, for warnings' pointers. */
  position: number;
  attribute: string;
  enabled: ValueSource | null;
}

export type CompiledEntityField = FieldBase &
  (
    | { kind: "value"; source: ValueSource; type: RepeatableType | null }
    | {
        kind: "relations" | "relation_refs";
        operation: ArrayOperation;
        /** Configured items, or null when `expression` returns them. */
        items: CompiledRelationItem[] | null;
        expression: ValueSource | null;
      }
    | {
        kind: "env_var_ref";
        key: string;
        /** Absent: no default (the attribute is left out). */
        fallback: { value: unknown } | null;
        expression: CompiledExpression | null;
      }
    | { kind: "file_proxy_url" | "portal_ref" }
  );

export interface CompiledScope {
  mode: "relations" | "query";
  schema: string | null;
  /** Evaluated on the root payload (`computed` of the item's root table). */
  ids: CompiledRelatedId[];
}

export interface CompiledEntityItem {
  index: number;
  entitySchema: string;
  uniqueIds: string[];
  /** What each update does: prune modes upsert (their deletions come from `prune`). */
  mode: Exclude<EntityMode, "upsert-prune-scope-delete" | "upsert-prune-scope-purge">;
  prune: { deletion: "delete" | "purge"; scope: CompiledScope } | null;
  /** Every per-input expression (fields, relation ids), evaluated per element in a batch. */
  expressions: CompiledExpression[];
  /** Expressions evaluated once on the root payload (the prune scope). */
  rootExpressions: CompiledExpression[];
  fields: CompiledEntityField[];
  /** Whether a field holds relations or relation refs (resolved against the stored entities). */
  relates: boolean;
  extraction: CompiledExpression | null;
  enabled: null | false | CompiledExpression;
  /** The legacy `condition`: both it and `enabled` must hold. */
  condition: CompiledExpression | null;
}

function relatedIds(table: ExpressionTable, ids: readonly RelatedId[]): CompiledRelatedId[] {
  return ids.map((u) => ({
    attribute: u.attribute,
    source: table.source(u),
    type: u._type ?? null,
  }));
}

function relationItem(
  table: ExpressionTable,
  item: RelationItem | RelationRefItem,
): CompiledRelationItem {
  const ref =
    "value" in item && item.value
      ? {
          path: item.path,
          attribute: item.value.attribute,
          operation: item.value.operation ?? "_set",
          source: table.source(item.value),
        }
      : null;
  return {
    entitySchema: item.entity_schema,
    ids: relatedIds(table, item.unique_ids),
    tags: item._tags ?? null,
    ref,
  };
}

function relationList(
  table: ExpressionTable,
  relations: Relations,
): {
  operation: ArrayOperation;
  items: CompiledRelationItem[] | null;
  expression: ValueSource | null;
} {
  const expression =
    typeof relations.jsonataExpression === "string"
      ? table.add(compileExpression(relations.jsonataExpression, ITEM_BOUNDS))
      : null;
  return {
    operation: relations.operation ?? "_set",
    items: expression ? null : (relations.items ?? []).map((i) => relationItem(table, i)),
    expression,
  };
}

function compileField(
  table: ExpressionTable,
  f: EntityFieldMapping,
  position: number,
): CompiledEntityField {
  const enabled =
    typeof f.enabled === "string" ? table.add(compileExpression(f.enabled, ITEM_BOUNDS)) : null;
  const base = { position, attribute: f.attribute, enabled };
  if (f.relations) return { ...base, kind: "relations", ...relationList(table, f.relations) };
  if (f.relation_refs)
    return { ...base, kind: "relation_refs", ...relationList(table, f.relation_refs) };
  if (f.env_var_ref) {
    const ref = f.env_var_ref;
    const jsonata = ref.return === "jsonata" && typeof ref.jsonataExpression === "string";
    return {
      ...base,
      kind: "env_var_ref",
      key: ref.key,
      fallback: Object.hasOwn(ref, "default") ? { value: ref.default } : null,
      expression: jsonata
        ? compileExpression(ref.jsonataExpression as string, ENV_VAR_BOUNDS)
        : null,
    };
  }
  if (f.file_proxy_url) return { ...base, kind: "file_proxy_url" };
  if (f.portal_ref) return { ...base, kind: "portal_ref" };
  return { ...base, kind: "value", source: table.source(f), type: f._type ?? null };
}

function condition(source: boolean | string | undefined): null | false | CompiledExpression {
  if (source === undefined || source === true) return null;
  if (source === false) return false;
  return compileExpression(source, ITEM_BOUNDS);
}

/** Compiles one valid `entities` item: every expression once, per-input ones in one table. */
export function compileEntityItem(e: EntityMapping, index: number): CompiledEntityItem {
  const table = new ExpressionTable();
  const fields: CompiledEntityField[] = [];
  e.fields.forEach((f, position) => {
    if (f.enabled !== false) fields.push(compileField(table, f, position));
  });
  const rootTable = new ExpressionTable();
  const mode = e.mode ?? "upsert";
  const pruning = mode === "upsert-prune-scope-delete" || mode === "upsert-prune-scope-purge";
  const scope = e.scope;
  const prune =
    pruning && scope
      ? {
          deletion: mode === "upsert-prune-scope-purge" ? ("purge" as const) : ("delete" as const),
          scope: {
            mode: scope.scope_mode,
            schema: scope.schema ?? null,
            ids: relatedIds(
              rootTable,
              (scope.scope_mode === "query" ? scope.query : scope.unique_ids) ?? [],
            ),
          },
        }
      : null;
  const legacy = condition(e.condition);
  return {
    index,
    entitySchema: e.entity_schema,
    uniqueIds: e.unique_ids,
    mode: pruning ? "upsert" : (mode as CompiledEntityItem["mode"]),
    prune,
    fields,
    relates: fields.some((f) => f.kind === "relations" || f.kind === "relation_refs"),
    expressions: table.expressions,
    rootExpressions: rootTable.expressions,
    extraction:
      e.jsonataExpression === undefined
        ? null
        : compileExpression(e.jsonataExpression, EXTRACTION_BOUNDS),
    enabled: condition(e.enabled),
    condition: legacy === false ? null : legacy,
  };
}
