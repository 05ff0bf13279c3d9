import type { CompiledConfig } from "./compile-config";
import type { Slots } from "./evaluate-slots";
import type { EvaluationBudget } from "./evaluation-budget";
import { isItemObject } from "./extract-items";
import { mapFields, resolveUniqueIds } from "./map-fields";
import { prepareImport } from "./prepare-import";
import { problem, type ReadingProblem } from "./reading-codes";
import {
  type EntityUpdate,
  type EntityWarning,
  entityWarningOf,
  type PruneScopeUpdate,
  simulateEntities,
} from "./simulate-entities";
import { ReadingPruneScopes, type ReadingPruneScopeUpdate } from "./simulate-reading-prune";
import type { IntegrationVariables } from "./types";
import { shownValue } from "./value-depth";

export interface SimulationWarning {
  code: string;
  message: string;
  path: string;
  index?: number;
  details?: Record<string, unknown>;
}

export interface MappingSimulation {
  entity_updates: EntityUpdate[];
  /** Present when an entity mapping prunes (SPEC-ENTITIES 6). */
  prune_scope_updates?: PruneScopeUpdate[];
  meter_readings_updates: {
    meter: { $entity_unique_ids: Record<string, unknown> };
    meter_counter?: { $entity_unique_ids: Record<string, unknown> };
    attributes: Record<string, unknown>;
  }[];
  /** Present when a reading mapping has mode upsert-prune-scope. */
  meter_readings_prune_scope_updates?: ReadingPruneScopeUpdate[];
  /** Reading warnings carry a path; entity warnings are `{ entity_schema, field, message, code }`. */
  warnings: (SimulationWarning | EntityWarning)[];
}

function warn(path: string, p: ReadingProblem, index?: number | null): SimulationWarning {
  const w: SimulationWarning = { code: p.code, message: p.message, path };
  if (index !== undefined && index !== null) w.index = index;
  if (p.details) w.details = p.details;
  return w;
}

/**
 * The mapping-simulation view (SPEC 5): what the configuration maps out of a payload, attribute
 * values as mapped, without looking at stored data. Same extraction and mapping code as the plan.
 */
export async function simulateMapping(
  compiled: CompiledConfig,
  payload: unknown,
  options: { budget?: EvaluationBudget; variables?: IntegrationVariables } = {},
): Promise<MappingSimulation> {
  const prepared = await prepareImport(compiled, payload, options);
  const entities = await simulateEntities(prepared.entities, payload, prepared.slicer);
  const result: MappingSimulation = {
    entity_updates: entities.entity_updates,
  } as MappingSimulation;
  // The prune lists are there when a mapping of their kind prunes (the keys in SPEC order).
  if (compiled.entities.some((e) => e.prune !== null))
    result.prune_scope_updates = entities.prune_scope_updates;
  result.meter_readings_updates = [];
  const pruning = compiled.readings.some((r) => r.mode === "upsert-prune-scope");
  if (pruning) result.meter_readings_prune_scope_updates = [];
  result.warnings = [];
  for (const w of prepared.warnings)
    result.warnings.push(entityWarningOf(w, compiled.entities, compiled.config) ?? w);
  result.warnings.push(...entities.warnings);
  const pruneScopes = new ReadingPruneScopes();
  for (const { item, extraction, computed, root } of prepared.readings) {
    const path = `/meter_readings/${item.index}`;
    if (!extraction.ok) {
      result.warnings.push(
        warn(
          `${path}/jsonataExpression`,
          problem("EXTRACTION_ERROR", undefined, extraction.message),
        ),
      );
      continue;
    }
    extraction.items.forEach((element, index) => {
      const slots: Slots = { element, root: payload, computed: computed[index] };
      if (!isItemObject(element)) {
        result.warnings.push(
          warn(path, problem("INVALID_ITEM", { received: shownValue(element ?? null) }), index),
        );
        return;
      }
      const mapped = mapFields(item.fields, slots);
      if (mapped.error) {
        result.warnings.push(
          warn(
            path,
            problem("MAPPING_ERROR", { field: mapped.error.attribute }, mapped.error.message),
            index,
          ),
        );
        return;
      }
      const meter = resolveUniqueIds(item.meter, slots);
      const counter = item.counter ? resolveUniqueIds(item.counter, slots) : null;
      if (!meter.ok)
        result.warnings.push(
          warn(`${path}/meter`, problem("METER_ID_MISSING", { missing: meter.missing }), index),
        );
      if (counter && !counter.ok) {
        result.warnings.push(
          warn(
            `${path}/meter_counter`,
            problem("COUNTER_ID_MISSING", { missing: counter.missing }),
            index,
          ),
        );
      }
      const update: MappingSimulation["meter_readings_updates"][number] = {
        meter: { $entity_unique_ids: meter.values },
        attributes: mapped.values,
      };
      if (counter) update.meter_counter = { $entity_unique_ids: counter.values };
      result.meter_readings_updates.push(update);
      if (item.mode === "upsert-prune-scope" && meter.ok && (!counter || counter.ok))
        pruneScopes.touch(item, meter.values, counter?.values ?? null, mapped.values.external_id);
    });
    if (root && item.mode === "upsert-prune-scope") {
      // Zero readings: the scope comes from unique ids that resolve on the root payload alone.
      const slots: Slots = { element: undefined, root: payload, computed: root.computed };
      const meter = resolveUniqueIds(item.meter, slots);
      const counter = item.counter ? resolveUniqueIds(item.counter, slots) : null;
      if (meter.ok && (!counter || counter.ok))
        pruneScopes.touch(item, meter.values, counter?.values ?? null, undefined);
      else result.warnings.push(warn(path, problem("NO_SCOPE")));
    }
  }
  if (pruning) result.meter_readings_prune_scope_updates = pruneScopes.updates();
  return result;
}
