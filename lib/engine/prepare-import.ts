import { type CompiledExpression, evaluationMessage } from "./bounded-jsonata";
import type { CompiledConfig, CompiledEntityItem, CompiledReadingItem } from "./compile-config";
import { defaultSlice, Slicer } from "./cooperative";
import { type Computed, evaluateFallbacks } from "./evaluate-slots";
import { EvaluationBudget } from "./evaluation-budget";
import { type Extraction, extractItems } from "./extract-items";
import { type EnvResult, resolveEnvRefs } from "./resolve-env-refs";
import type { IntegrationVariables, PlanWarning } from "./types";
import { isTruthy } from "./value-source";

export interface PreparedReadingItem {
  item: CompiledReadingItem;
  extraction: Extraction;
  /** What JSONata computed per extracted element (fast getters answer the rest on demand). */
  computed: Computed[];
  /** For a prune item with zero readings: the unique ids evaluated on the root payload alone. */
  root: { computed: Computed } | null;
}

export interface PreparedEntityItem {
  item: CompiledEntityItem;
  /** The item's `enabled` (and legacy `condition`): true, false, or which failed and how. */
  enabled: boolean | { error: string; field?: "enabled" | "condition" };
  extraction: Extraction;
  computed: Computed[];
  /** Each env_var_ref field's result, by position in `item.fields`; the same for every input. */
  env: (EnvResult | undefined)[];
  /** The prune scope's ids, evaluated on the root payload. */
  rootComputed: Computed;
}

/**
 * Everything the payload says, evaluated once and before any state is known: the extracted items
 * and every expression's result. The database shell reads the lookup keys from it, loads exactly
 * that state, then plans (`planPrepared`).
 */
export interface PreparedImport {
  payload: unknown;
  warnings: PlanWarning[];
  entities: PreparedEntityItem[];
  readings: PreparedReadingItem[];
  slicer: Slicer;
}

/** What one preparation shares: its slices, its request's JSONata budget, the variables. */
interface Pace {
  slicer: Slicer;
  budget: EvaluationBudget;
  variables: IntegrationVariables;
}

async function conditionHolds(
  expression: CompiledExpression | null,
  payload: unknown,
  budget: EvaluationBudget,
): Promise<boolean> {
  return expression === null || isTruthy(await expression.evaluate(payload, payload, budget));
}

async function prepareEntityItem(
  item: CompiledEntityItem,
  payload: unknown,
  { slicer, budget, variables }: Pace,
): Promise<PreparedEntityItem> {
  const none: Extraction = { ok: true, items: [] };
  const skipped = {
    item,
    extraction: none,
    computed: [],
    env: [],
    rootComputed: undefined,
  };
  if (item.enabled === false) return { ...skipped, enabled: false };
  // `enabled` and the legacy `condition`, both on the root payload, before anything else.
  for (const [field, expression] of [
    ["enabled", item.enabled],
    ["condition", item.condition],
  ] as const) {
    try {
      if (!(await conditionHolds(expression, payload, budget)))
        return { ...skipped, enabled: false };
    } catch (error) {
      return { ...skipped, enabled: { error: evaluationMessage(error), field } };
    }
  }
  const extraction = await extractItems(item.extraction, payload, budget);
  const computed = extraction.ok
    ? await evaluateFallbacks(item.expressions, extraction.items, payload, slicer, budget)
    : [];
  const env = await resolveEnvRefs(item, payload, variables, budget);
  const rootComputed = (
    await evaluateFallbacks(item.rootExpressions, [payload], payload, slicer, budget)
  )[0];
  return { item, enabled: true, extraction, computed, env, rootComputed };
}

async function prepareReadingItem(
  item: CompiledReadingItem,
  payload: unknown,
  { slicer, budget }: Pace,
): Promise<PreparedReadingItem> {
  const extraction = await extractItems(item.extraction, payload, budget);
  if (!extraction.ok) return { item, extraction, computed: [], root: null };
  const computed = await evaluateFallbacks(
    item.expressions,
    extraction.items,
    payload,
    slicer,
    budget,
  );
  const needsRoot = item.mode === "upsert-prune-scope" && extraction.items.length === 0;
  const root = needsRoot
    ? {
        computed: (
          await evaluateFallbacks(item.expressions, [undefined], payload, slicer, budget)
        )[0],
      }
    : null;
  return { item, extraction, computed, root };
}

export async function prepareImport(
  compiled: CompiledConfig,
  payload: unknown,
  options: { sliceMs?: number; budget?: EvaluationBudget; variables?: IntegrationVariables } = {},
): Promise<PreparedImport> {
  const slicer = new Slicer(options.sliceMs ?? defaultSlice());
  const pace: Pace = {
    slicer,
    budget: options.budget ?? new EvaluationBudget(),
    variables: options.variables ?? {},
  };
  const entities: PreparedEntityItem[] = [];
  for (const item of compiled.entities) entities.push(await prepareEntityItem(item, payload, pace));
  const readings: PreparedReadingItem[] = [];
  for (const item of compiled.readings)
    readings.push(await prepareReadingItem(item, payload, pace));
  const warnings = compiled.warnings.map((w) => ({
    code: w.code,
    message: w.message,
    path: w.path,
  }));
  return { payload, warnings, entities, readings, slicer };
}
