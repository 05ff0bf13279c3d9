import type { CompiledField, CompiledUniqueId } from "./compile-config";
import { type Slots, slotValue } from "./evaluate-slots";
import { setOwnValue } from "./own-property";
import { nestedDeeperThan, TOO_DEEP_MESSAGE } from "./value-depth";
import { EvaluationFailure, isTruthy, type ValueSource } from "./value-source";

/** A mapping that failed for one reading; becomes a MAPPING_ERROR naming the attribute. */
export interface MappingFailure {
  attribute: string;
  message: string;
}

export interface MappedFields {
  /** Attribute values as mapped, before validation (a `$string(...)` value stays a string). */
  values: Record<string, unknown>;
  /** The first failure; the other fields are still mapped so prune can protect the reading's twin. */
  error: MappingFailure | null;
}

export function readSource(source: ValueSource, slots: Slots): unknown {
  return source.kind === "constant"
    ? source.value
    : slotValue(source.expression, source.slot, slots);
}

/** Maps every enabled field of one element; an undefined result leaves the attribute out. */
export function mapFields(fields: readonly CompiledField[], slots: Slots): MappedFields {
  const values: Record<string, unknown> = {};
  let error: MappingFailure | null = null;
  for (const field of fields) {
    if (field.enabled !== null) {
      const enabled = readSource(field.enabled, slots);
      if (enabled instanceof EvaluationFailure) {
        error ??= { attribute: field.attribute, message: enabled.message };
        continue;
      }
      if (!isTruthy(enabled)) continue;
    }
    const value = readSource(field.source, slots);
    if (value instanceof EvaluationFailure) {
      error ??= { attribute: field.attribute, message: value.message };
    } else if (value !== null && typeof value === "object" && nestedDeeperThan(value)) {
      // Only an extraction's own objects get here this deep (payloads and results are held to
      // the limit where they are made): nothing may write or show such a value.
      error ??= { attribute: field.attribute, message: TOO_DEEP_MESSAGE };
    } else if (value !== undefined) {
      setOwnValue(values, field.attribute, value);
    }
  }
  return { values, error };
}

export type ResolvedIds =
  | { ok: true; values: Record<string, unknown> }
  | { ok: false; values: Record<string, unknown>; missing: string[]; error: MappingFailure | null };

/** Resolves unique id values; every one must be a present scalar (null, undefined and "" are missing). */
export function resolveUniqueIds(ids: readonly CompiledUniqueId[], slots: Slots): ResolvedIds {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const id of ids) {
    const value = readSource(id.source, slots);
    if (value instanceof EvaluationFailure) {
      return {
        ok: false,
        values,
        missing: [id.attribute],
        error: { attribute: id.attribute, message: value.message },
      };
    }
    if (value === undefined || value === null || value === "" || typeof value === "object")
      missing.push(id.attribute);
    else setOwnValue(values, id.attribute, value);
  }
  return missing.length > 0 ? { ok: false, values, missing, error: null } : { ok: true, values };
}
