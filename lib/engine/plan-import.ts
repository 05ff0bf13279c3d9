import type { CompiledConfig, CompiledReadingItem } from "./compile-config";
import { Slicer } from "./cooperative";
import { decideDelete, decideUpsert } from "./decide-reading";
import { EntityIndex } from "./entity-index";
import { evaluateSlots, type Slots } from "./evaluate-slots";
import { extractItems, isItemObject } from "./extract-items";
import { mapFields } from "./map-fields";
import { getOrInsert } from "./map-utils";
import { externalIdOf, normalizeReading } from "./normalize-reading";
import { type EntityIndexes, planEntities } from "./plan-entities";
import { PruneTracker } from "./prune-scope";
import { problem, READING_CODES, type ReadingProblem } from "./reading-codes";
import { ReadingStore } from "./reading-store";
import { type RefCache, resolveMeterAndCounter } from "./resolve-meter";
import type { Decision, ExistingState, Plan, PlanOptions, PlanSummary, PlanWarning } from "./types";

/** Elements whose expressions are evaluated together before their decisions are made. */
const CHUNK = 512;

interface Run {
  indexes: EntityIndexes;
  refs: RefCache;
  store: ReadingStore;
  decisions: Decision[];
  warnings: PlanWarning[];
  slicer: Slicer;
}

function errorDecision(
  item: number,
  index: number | null,
  p: ReadingProblem,
  extra: Partial<Decision> = {},
): Decision {
  return { item, index, action: "error", ...p, ...extra };
}

/** One reading, synchronously: its expression results are already in `slots`. */
function planReading(
  run: Run,
  item: CompiledReadingItem,
  index: number,
  element: unknown,
  slots: Slots,
  prune: PruneTracker | null,
): Decision {
  if (!isItemObject(element))
    return errorDecision(item.index, index, problem("INVALID_ITEM", { received: element ?? null }));
  const resolution = resolveMeterAndCounter(
    item,
    slots,
    run.indexes.meters,
    run.indexes.counters,
    run.refs,
  );
  if (!resolution.ok) {
    // The counter failed, so the scope is unknown: still protect the reading's stored twin.
    if (prune && resolution.meter)
      prune.protectOnMeter(
        resolution.meter,
        externalIdOf(mapFields(item.fields, slots).values.external_id),
      );
    return errorDecision(item.index, index, resolution.problem, {
      meter: resolution.meter,
      counter: null,
    });
  }
  const { meter, counter } = resolution;
  const mapped = mapFields(item.fields, slots);
  if (mapped.error) {
    prune?.touch(meter, counter, externalIdOf(mapped.values.external_id), null);
    const p = problem("MAPPING_ERROR", { field: mapped.error.attribute }, mapped.error.message);
    return errorDecision(item.index, index, p, { meter, counter });
  }
  const externalId = externalIdOf(mapped.values.external_id);
  const normalized = normalizeReading(mapped.values, item);
  if ("code" in normalized) {
    prune?.touch(meter, counter, externalId, null);
    return errorDecision(item.index, index, normalized, { meter, counter });
  }
  const ctx = { item, index, meter, counter, normalized };
  const decision =
    item.mode === "delete" ? decideDelete(run.store, ctx) : decideUpsert(run.store, ctx);
  prune?.touch(meter, counter, externalId, decision);
  return decision;
}

/** With zero readings the scope comes from unique ids that resolve on the root payload alone. */
async function touchRootScope(
  run: Run,
  item: CompiledReadingItem,
  root: unknown,
  prune: PruneTracker,
) {
  const [slots] = await evaluateSlots(item.expressions, [undefined], root, run.slicer);
  const resolution = resolveMeterAndCounter(
    item,
    slots as Slots,
    run.indexes.meters,
    run.indexes.counters,
    run.refs,
  );
  if (resolution.ok) {
    prune.touchEmpty(resolution.meter, resolution.counter);
  } else {
    run.warnings.push({
      code: "NO_SCOPE",
      message: READING_CODES.NO_SCOPE,
      path: `/meter_readings/${item.index}`,
    });
  }
}

async function planReadingItem(run: Run, item: CompiledReadingItem, root: unknown) {
  const extraction = await extractItems(item.extraction, root);
  if (!extraction.ok) {
    // An item whose extraction fails decides nothing, and above all prunes nothing.
    const p = problem(
      "EXTRACTION_ERROR",
      { path: `/meter_readings/${item.index}/jsonataExpression` },
      extraction.message,
    );
    run.decisions.push(errorDecision(item.index, null, p));
    return;
  }
  const prune = item.mode === "upsert-prune-scope" ? new PruneTracker(item) : null;
  const { items } = extraction;
  for (let from = 0; from < items.length; from += CHUNK) {
    const chunk = items.slice(from, from + CHUNK);
    const slots = await evaluateSlots(item.expressions, chunk, root, run.slicer);
    for (let k = 0; k < chunk.length; k++) {
      run.decisions.push(planReading(run, item, from + k, chunk[k], slots[k] as Slots, prune));
      if (run.slicer.due()) await run.slicer.pause();
    }
  }
  if (!prune) return;
  if (items.length === 0) await touchRootScope(run, item, root, prune);
  run.decisions.push(...prune.prune(run.store));
}

function summarize(decisions: readonly Decision[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, unchanged: 0, skip: 0, delete: 0, error: 0 };
  for (const d of decisions) summary[d.action]++;
  return summary;
}

function indexOthers(state: ExistingState): Map<string, EntityIndex> {
  const others = new Map<string, EntityIndex>();
  for (const e of state.entities ?? []) {
    getOrInsert(others, e.entity_schema, () => new EntityIndex()).put({
      id: e.id,
      attributes: e.attributes ?? {},
    });
  }
  return others;
}

/**
 * The engine: (configuration, payload, existing state, options) -> plan. Pure and deterministic:
 * it reads no clock, no environment and no database, and planning twice gives equal plans.
 */
export async function planImport(
  compiled: CompiledConfig,
  payload: unknown,
  state: ExistingState = {},
  options: PlanOptions = {},
): Promise<Plan> {
  const slicer = new Slicer(options.sliceMs ?? 20);
  const run: Run = {
    indexes: {
      meters: new EntityIndex(state.meters ?? []),
      counters: new EntityIndex(state.counters ?? []),
      others: indexOthers(state),
    },
    refs: new Map(),
    store: await ReadingStore.load(state.readings ?? [], slicer),
    decisions: [],
    warnings: compiled.warnings.map((w) => ({ code: w.code, message: w.message, path: w.path })),
    slicer,
  };
  const entities = await planEntities(compiled.entities, payload, run.indexes, run.slicer);
  for (const item of compiled.readings) await planReadingItem(run, item, payload);
  return {
    summary: summarize(run.decisions),
    decisions: run.decisions,
    entities,
    warnings: run.warnings,
  };
}
