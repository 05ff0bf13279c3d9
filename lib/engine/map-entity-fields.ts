import type { CompiledEntityField, CompiledEntityItem } from "./compile-entities";
import type { ArrayOperation, RepeatableType } from "./entity-constants";
import type { Slots } from "./evaluate-slots";
import { readSource } from "./map-fields";
import { mapRelations } from "./map-relations";
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

type ValueField = Extract<CompiledEntityField, { kind: "value" }>;

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
