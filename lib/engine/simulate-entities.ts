import type { CompiledEntityItem } from "./compile-entities";
import type { Slicer } from "./cooperative";
import type { Slots } from "./evaluate-slots";
import { isItemObject } from "./extract-items";
import { uniqueIdentifiers } from "./locate-entity";
import { mapEntityFields, simulatedAttributes } from "./map-entity-fields";
import type { PreparedEntityItem } from "./prepare-import";
import { resolveScope } from "./prune-entities";
import { READING_CODES } from "./reading-codes";
import { unstorableAttribute } from "./text-problems";
import type { PlanWarning } from "./types";

/** A warning about an entity mapping, as the mapping simulation gives it (SPEC-ENTITIES 6). */
export interface EntityWarning {
  entity_schema: string;
  field: string;
  message: string;
  code: string;
}

export interface EntityUpdate {
  entity_slug: string;
  mode: "upsert" | "delete" | "purge";
  unique_identifiers: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

export interface PruneScopeUpdate {
  entity_slug: string;
  scope: {
    scope_mode: "relations" | "query";
    schema?: string;
    unique_ids?: Record<string, unknown>;
    query?: Record<string, unknown>;
  };
  keep_unique_ids: Record<string, unknown>[];
  deletion_mode: "delete" | "purge";
}

export interface SimulatedEntities {
  entity_updates: EntityUpdate[];
  prune_scope_updates: PruneScopeUpdate[];
  warnings: EntityWarning[];
}

/** One list of warnings without repeats: a fan-out of 10k inputs warns about a field once. */
class Warnings {
  readonly list: EntityWarning[] = [];
  private readonly seen = new Set<string>();
  add(w: EntityWarning) {
    const key = `${w.entity_schema}\u0000${w.field}\u0000${w.code}\u0000${w.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(w);
  }
}

/**
 * A configuration warning about an entity mapping (`/entities/2/fields/1/...`) in the
 * simulation's form: the field is the field mapping's attribute, else the key warned about.
 */
export function entityWarningOf(
  w: PlanWarning,
  items: readonly CompiledEntityItem[],
  config: { entities?: { fields?: { attribute?: string }[] }[] },
): EntityWarning | null {
  const match = /^\/entities\/(\d+)(?:\/([^/]+)(?:\/(\d+))?)?/.exec(w.path);
  if (!match) return null;
  const i = Number(match[1]);
  const item = items[i];
  const raw = config.entities?.[i];
  const field =
    match[2] === "fields" && match[3] !== undefined
      ? (raw?.fields?.[Number(match[3])]?.attribute ?? "")
      : (match[2] ?? "");
  return { entity_schema: item?.entitySchema ?? "", field, message: w.message, code: w.code };
}

function simulateInput(
  p: PreparedEntityItem,
  slots: Slots,
  out: SimulatedEntities,
  warnings: Warnings,
  keep: Record<string, unknown>[],
) {
  const e = p.item;
  const mapped = mapEntityFields(e, slots, p.env);
  const schema = e.entitySchema;
  for (const w of mapped.warnings)
    warnings.add({ entity_schema: schema, field: w.field, message: w.message, code: w.code });
  if (mapped.error) {
    const { code, field, message } = mapped.error;
    warnings.add({ entity_schema: schema, field, message, code });
    return;
  }
  const { values: ids, missing } = uniqueIdentifiers(e, mapped);
  if (missing.length > 0) {
    warnings.add({
      entity_schema: schema,
      field: missing.join(", "),
      message: `${READING_CODES.MISSING_IDENTIFIER}: ${missing.join(", ")}`,
      code: "MISSING_IDENTIFIER",
    });
    return;
  }
  const attributes = e.mode === "upsert" ? simulatedAttributes(mapped.values) : { ...ids };
  const text = unstorableAttribute(attributes);
  if (text) {
    const field = typeof text.details?.field === "string" ? text.details.field : "";
    warnings.add({ entity_schema: schema, field, message: text.message, code: text.code });
    return;
  }
  out.entity_updates.push({
    entity_slug: schema,
    mode: e.mode,
    unique_identifiers: ids,
    attributes,
  });
  keep.push(ids);
}

/** The entity half of the mapping simulation: updates as mapped, relations unresolved, prune scopes. */
export async function simulateEntities(
  items: readonly PreparedEntityItem[],
  root: unknown,
  slicer: Slicer,
): Promise<SimulatedEntities> {
  const out: SimulatedEntities = { entity_updates: [], prune_scope_updates: [], warnings: [] };
  const warnings = new Warnings();
  for (const p of items) {
    const e = p.item;
    if (p.enabled === false) continue;
    const schema = e.entitySchema;
    if (p.enabled !== true) {
      warnings.add({
        entity_schema: schema,
        field: p.enabled.field ?? "enabled",
        message: p.enabled.error,
        code: "MAPPING_ERROR",
      });
      continue;
    }
    if (!p.extraction.ok) {
      warnings.add({
        entity_schema: schema,
        field: "jsonataExpression",
        message: p.extraction.message,
        code: "EXTRACTION_ERROR",
      });
      continue;
    }
    const keep: Record<string, unknown>[] = [];
    for (let k = 0; k < p.extraction.items.length; k++) {
      if (slicer.due()) await slicer.pause();
      const element = p.extraction.items[k];
      if (isItemObject(element))
        simulateInput(p, { element, root, computed: p.computed[k] }, out, warnings, keep);
      else
        warnings.add({
          entity_schema: schema,
          field: "jsonataExpression",
          message: READING_CODES.INVALID_ITEM,
          code: "INVALID_ITEM",
        });
    }
    const scope = resolveScope(p, root);
    if (!e.prune || !scope) continue;
    if (scope.missing.length > 0) {
      warnings.add({
        entity_schema: schema,
        field: "scope",
        message: `The prune scope has no value for ${scope.missing.join(", ")} on the payload: nothing pruned`,
        code: "NO_SCOPE",
      });
      continue;
    }
    const { missing: _missing, ...resolved } = scope;
    out.prune_scope_updates.push({
      entity_slug: schema,
      scope: resolved,
      keep_unique_ids: keep,
      deletion_mode: e.prune.deletion,
    });
  }
  out.warnings = warnings.list;
  return out;
}
