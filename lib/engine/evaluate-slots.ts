import { type CompiledExpression, evaluationMessage } from "./bounded-jsonata";
import type { Slicer } from "./cooperative";
import type { EvaluationBudget } from "./evaluation-budget";
import { FALLBACK } from "./fast-expression";
import { EvaluationFailure, toPlainValue } from "./value-source";

/** What JSONata computed for one element, by slot; undefined where fast getters answered everything. */
export type Computed = readonly unknown[] | undefined;

/** One element as the synchronous decision pass sees it. */
export interface Slots {
  element: unknown;
  root: unknown;
  computed: Computed;
}

/**
 * The value of an expression for an element: its fast JS getter when that can answer (pure, so
 * asking again is safe and cheaper than storing 100k results), else what JSONata computed.
 */
export function slotValue(expression: CompiledExpression, slot: number, slots: Slots): unknown {
  if (expression.fast) {
    const value = expression.fast(slots.element, slots.root);
    if (value !== FALLBACK) return value;
  }
  return slots.computed?.[slot];
}

async function evaluateOne(
  expression: CompiledExpression,
  element: unknown,
  root: unknown,
  budget: EvaluationBudget,
): Promise<unknown> {
  try {
    return toPlainValue(await expression.evaluate(element, root, budget));
  } catch (error) {
    return new EvaluationFailure(evaluationMessage(error));
  }
}

/**
 * Runs, in element order, every evaluation that only JSONata can answer (bounded; failures are
 * kept as EvaluationFailure for the reading to report), yielding between slices.
 */
export async function evaluateFallbacks(
  expressions: readonly CompiledExpression[],
  elements: readonly unknown[],
  root: unknown,
  slicer: Slicer,
  budget: EvaluationBudget,
): Promise<Computed[]> {
  const out: Computed[] = new Array(elements.length);
  if (expressions.length === 0) return out;
  for (let j = 0; j < elements.length; j++) {
    const element = elements[j];
    let computed: unknown[] | undefined;
    for (let s = 0; s < expressions.length; s++) {
      const expression = expressions[s] as CompiledExpression;
      if (expression.fast && expression.fast(element, root) !== FALLBACK) continue;
      computed ??= new Array(expressions.length);
      computed[s] = await evaluateOne(expression, element, root, budget);
    }
    out[j] = computed;
    if (slicer.due()) await slicer.pause();
  }
  return out;
}
