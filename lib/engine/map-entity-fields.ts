import type {
  CompiledEntityField,
  CompiledEntityItem,
  CompiledRelatedId,
  CompiledRelationItem,
} from "./compile-entities";
import type { ArrayOperation, RepeatableType } from "./entity-constants";
import type { Slots } from "./evaluate-slots";
import { FALLBACK } from "./fast-expression";
import { parsePlainPath } from "./field-path";
import { readSource } from "./map-fields";
import { setOwnValue } from "./own-property";
import type { EnvResult } from "./resolve-env-refs";
import { nestedDeeperThan, TOO_DEEP_MESSAGE } from "./value-depth";
import { EvaluationFailure, isTruthy } from "./value-source";

/** A related entity as one input names it: schema and resolved unique id values. */
export interface RelatedEntity {
  schema: string;
  ids: Record<string, unknown>;
  /** `_type` of those ids that are repeatable attributes. */
  types: Record<string, RepeatableType>;
  tags: string[] | null;
  /** relation_refs: where the value goes on the related entity. */
  ref?: { path: string; attribute: string; operation: ArrayOperation; value: unknown };
}

export type MappedEntityValue =
  | { kind: "value"; value: unknown; type: RepeatableType | null }
  | { kind: "relations" | "relation_refs"; operation: ArrayOperation; items: RelatedEntity[] };

export interface EntityFieldWarning {
  code: string;
  message: string;
  /** The attribute (field mapping) it is about. */
  field: string;
  position: number;
}

export interface MappedEntity {
  /** Per attribute, in configuration order (a later mapping of the same attribute wins). */
  values: Map<string, MappedEntityValue>;
  warnings: EntityFieldWarning[];
  error: {
    code: "MAPPING_ERROR" | "ENV_VAR_REF_JSONATA_FAILED";
    field: string;
    message: string;
  } | null;
}

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

type ValueField = Extract<CompiledEntityField, { kind: "value" }>;
type RelationField = Extract<CompiledEntityField, { kind: "relations" | "relation_refs" }>;

function mapRelations(
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

function envValue(field: CompiledEntityField, result: EnvResult | undefined, out: MappedEntity) {
  if (!result) return undefined;
  if (result.kind === "value") return result.value;
  if (result.kind === "error") {
    out.error ??= {
      code: "ENV_VAR_REF_JSONATA_FAILED",
      field: field.attribute,
      message: result.message,
    };
    return undefined;
  }
  out.warnings.push({
    code: "ENV_VAR_REF_NOT_FOUND",
    field: field.attribute,
    position: field.position,
    message: `Integration variable "${result.key}" is ${result.secret ? "secret" : "not set"} and there is no default: "${field.attribute}" is left out`,
  });
  return undefined;
}

/**
 * Maps one input of an entity item (SPEC-ENTITIES 2, 3, 5): each enabled field mapping gives a
 * value, a relation list, or nothing. The first failure makes the update an error; the other
 * fields are still mapped, so the error can show what was mapped.
 */
export function mapEntityFields(
  item: CompiledEntityItem,
  slots: Slots,
  env: readonly (EnvResult | undefined)[],
): MappedEntity {
  const out: MappedEntity = { values: new Map(), warnings: [], error: null };
  for (const field of item.fields) {
    if (field.enabled !== null) {
      const enabled = readSource(field.enabled, slots);
      if (enabled instanceof EvaluationFailure) {
        out.error ??= { code: "MAPPING_ERROR", field: field.attribute, message: enabled.message };
        continue;
      }
      if (!isTruthy(enabled)) continue;
    }
    if (field.kind === "relations" || field.kind === "relation_refs") {
      const items = mapRelations(field, slots, out);
      // No item left: the attribute is absent.
      if (items && items.length > 0)
        out.values.set(field.attribute, { kind: field.kind, operation: field.operation, items });
      continue;
    }
    // No file proxy or portal here: validation has warned once; the attribute is left out.
    if (field.kind === "file_proxy_url" || field.kind === "portal_ref") continue;
    const value =
      field.kind === "env_var_ref"
        ? envValue(field, env[field.position], out)
        : readSource((field as ValueField).source, slots);
    if (value instanceof EvaluationFailure) {
      out.error ??= { code: "MAPPING_ERROR", field: field.attribute, message: value.message };
    } else if (value !== null && typeof value === "object" && nestedDeeperThan(value)) {
      out.error ??= { code: "MAPPING_ERROR", field: field.attribute, message: TOO_DEEP_MESSAGE };
    } else if (value !== undefined) {
      out.values.set(field.attribute, {
        kind: "value",
        value,
        type: field.kind === "value" ? (field as ValueField).type : null,
      });
    }
  }
  return out;
}

function relatedForm(r: RelatedEntity, refs: boolean): Record<string, unknown> {
  const form: Record<string, unknown> = { $entity_unique_ids: r.ids, _schema: r.schema };
  if (r.tags) form._tags = r.tags;
  if (refs && r.ref) {
    form.path = r.ref.path;
    form.value = r.ref.value;
  }
  return form;
}

/** The attributes as the mapping simulation shows them: values as mapped, relations unresolved. */
export function simulatedAttributes(values: ReadonlyMap<string, MappedEntityValue>) {
  const attributes: Record<string, unknown> = {};
  for (const [attribute, v] of values) {
    if (v.kind === "value") setOwnValue(attributes, attribute, v.value);
    else {
      const refs = v.kind === "relation_refs";
      const list = v.items.map((r) => relatedForm(r, refs));
      setOwnValue(attributes, attribute, {
        [refs ? "$relation_ref" : "$relation"]: { [v.operation]: list },
      });
    }
  }
  return attributes;
}
