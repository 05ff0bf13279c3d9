import type {
  CompiledEntityField,
  CompiledRelatedId,
  CompiledRelationItem,
} from "./compile-entities";
import type { ArrayOperation, RepeatableType } from "./entity-constants";
import type { Slots } from "./evaluate-slots";
import { FALLBACK } from "./fast-expression";
import { parsePlainPath } from "./field-path";
import type { MappedEntity, RelatedEntity } from "./map-entity-fields";
import { readSource } from "./map-fields";
import { setOwnValue } from "./own-property";
import { EvaluationFailure } from "./value-source";

/** A scalar id value, or undefined when it is missing (undefined, null, "" or not a scalar). */
function idValue(value: unknown): unknown {
  if (value === undefined || value === null || value === "" || typeof value === "object")
    return undefined;
  return value;
}

function resolveIds(ids: readonly CompiledRelatedId[], slots: Slots) {
  const values: Record<string, unknown> = {};
  const types: Record<string, RepeatableType> = {};
  for (const id of ids) {
    const value = readSource(id.source, slots);
    if (value instanceof EvaluationFailure) return { failure: value.message };
    const v = idValue(value);
    if (v === undefined) return { missing: id.attribute };
    setOwnValue(values, id.attribute, v);
    if (id.type) setOwnValue(types, id.attribute, id.type);
  }
  return { values, types };
}

/** An item a relation's jsonataExpression returned: ids by `constant` or a plain `field` path. */
function dynamicItem(raw: unknown, slots: Slots, refs: boolean): CompiledRelationItem | null {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  if (typeof o.entity_schema !== "string" || !Array.isArray(o.unique_ids)) return null;
  const constantOf = (u: Record<string, unknown>) => {
    if (Object.hasOwn(u, "constant")) return u.constant;
    const path = typeof u.field === "string" ? parsePlainPath(u.field) : null;
    const v = path ? path.fast(slots.element, slots.root) : undefined;
    return v === FALLBACK ? undefined : v;
  };
  const ids: CompiledRelatedId[] = [];
  for (const u of o.unique_ids) {
    if (
      u === null ||
      typeof u !== "object" ||
      typeof (u as { attribute?: unknown }).attribute !== "string"
    )
      return null;
    const id = u as Record<string, unknown>;
    ids.push({
      attribute: id.attribute as string,
      source: { kind: "constant", value: constantOf(id) },
      type: id._type === "email" || id._type === "phone" ? id._type : null,
    });
  }
  const value = o.value as Record<string, unknown> | undefined;
  const ref =
    refs && value && typeof value === "object" && typeof value.attribute === "string"
      ? {
          path: typeof o.path === "string" ? o.path : value.attribute,
          attribute: value.attribute,
          operation: (["_set", "_append", "_append_all"].includes(value.operation as string)
            ? value.operation
            : "_set") as ArrayOperation,
          source: { kind: "constant" as const, value: constantOf(value) },
        }
      : null;
  const tags = Array.isArray(o._tags) ? o._tags.filter((t) => typeof t === "string") : null;
  return { entitySchema: o.entity_schema, ids, tags, ref };
}

type RelationField = Extract<CompiledEntityField, { kind: "relations" | "relation_refs" }>;

/** The related entities one input names for a relations or relation_refs field (SPEC-ENTITIES 3). */
export function mapRelations(
  field: RelationField,
  slots: Slots,
  out: MappedEntity,
): RelatedEntity[] | null {
  let items = field.items;
  if (field.expression) {
    const result = readSource(field.expression, slots);
    if (result instanceof EvaluationFailure) {
      out.error ??= { code: "MAPPING_ERROR", field: field.attribute, message: result.message };
      return null;
    }
    const list =
      result === undefined || result === null ? [] : Array.isArray(result) ? result : [result];
    items = [];
    for (const raw of list) {
      const item = dynamicItem(raw, slots, field.kind === "relation_refs");
      if (item) items.push(item);
      else
        out.warnings.push({
          code: "RELATION_ID_MISSING",
          field: field.attribute,
          position: field.position,
          message: `An item returned for "${field.attribute}" has no entity_schema or unique_ids: dropped`,
        });
    }
  }
  const related: RelatedEntity[] = [];
  for (const item of items ?? []) {
    const ids = resolveIds(item.ids, slots);
    if ("failure" in ids) {
      out.error ??= {
        code: "MAPPING_ERROR",
        field: field.attribute,
        message: ids.failure as string,
      };
      return null;
    }
    if ("missing" in ids) {
      out.warnings.push({
        code: "RELATION_ID_MISSING",
        field: field.attribute,
        position: field.position,
        message: `A related ${item.entitySchema} of "${field.attribute}" has no value for unique id "${ids.missing}": dropped`,
      });
      continue;
    }
    const entity: RelatedEntity = {
      schema: item.entitySchema,
      ids: ids.values,
      types: ids.types,
      tags: item.tags,
    };
    if (item.ref) {
      const value = readSource(item.ref.source, slots);
      if (value instanceof EvaluationFailure) {
        out.error ??= { code: "MAPPING_ERROR", field: field.attribute, message: value.message };
        return null;
      }
      entity.ref = {
        path: item.ref.path,
        attribute: item.ref.attribute,
        operation: item.ref.operation,
        value,
      };
    }
    related.push(entity);
  }
  return related;
}
