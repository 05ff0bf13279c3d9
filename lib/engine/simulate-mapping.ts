import type { CompiledConfig } from "./compile-config";
import { EntityIndex } from "./entity-index";
import type { Slots } from "./evaluate-slots";
import type { EvaluationBudget } from "./evaluation-budget";
import { isItemObject } from "./extract-items";
import { mapFields, resolveUniqueIds } from "./map-fields";
import { decideEntities } from "./plan-entities";
import { prepareImport } from "./prepare-import";
import { problem, type ReadingProblem } from "./reading-codes";
import { shownValue } from "./value-depth";

export interface SimulationWarning {
  code: string;
  message: string;
  path: string;
  index?: number;
  details?: Record<string, unknown>;
}

export interface MappingSimulation {
  entity_updates: {
    entity_slug: string;
    unique_identifiers: Record<string, unknown>;
    attributes: Record<string, unknown>;
  }[];
  meter_readings_updates: {
    meter: { $entity_unique_ids: Record<string, unknown> };
    meter_counter?: { $entity_unique_ids: Record<string, unknown> };
    attributes: Record<string, unknown>;
  }[];
  warnings: SimulationWarning[];
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
  options: { budget?: EvaluationBudget } = {},
): Promise<MappingSimulation> {
  const prepared = await prepareImport(compiled, payload, options);
  const result: MappingSimulation = {
    entity_updates: [],
    meter_readings_updates: [],
    warnings: [...prepared.warnings],
  };
  const indexes = { meters: new EntityIndex(), counters: new EntityIndex(), others: new Map() };
  for (const e of decideEntities(prepared.entities, payload, indexes)) {
    if (e.action === "error") {
      const p = { code: e.code, message: e.message, details: e.details } as ReadingProblem;
      result.warnings.push(warn(`/entities/${e.item}`, p, e.index));
    } else {
      result.entity_updates.push({
        entity_slug: e.entity_schema,
        unique_identifiers: e.unique_ids,
        attributes: e.attributes,
      });
    }
  }
  for (const { item, extraction, computed } of prepared.readings) {
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
    });
  }
  return result;
}
