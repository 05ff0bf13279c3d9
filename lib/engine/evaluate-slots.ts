import { type CompiledExpression, evaluationMessage } from "./bounded-jsonata";
import type { Slicer } from "./cooperative";
import { FALLBACK } from "./fast-expression";
import { EvaluationFailure, toPlainValue } from "./value-source";

/** Results of an item's expressions for one element, by slot. */
export type Slots = readonly unknown[];

const NO_SLOTS: Slots = [];

async function evaluateOne(
  expression: CompiledExpression,
  element: unknown,
  root: unknown,
): Promise<unknown> {
  try {
    return toPlainValue(await expression.evaluate(element, root));
  } catch (error) {
    return new EvaluationFailure(evaluationMessage(error));
  }
}

/**
 * Evaluates every expression for every element, in order, before any decision is made: fast JS
 * getters where the shape allows, bounded JSONata otherwise, yielding between slices.
 */
export async function evaluateSlots(
  expressions: readonly CompiledExpression[],
  elements: readonly unknown[],
  root: unknown,
  slicer: Slicer,
): Promise<Slots[]> {
  if (expressions.length === 0) return elements.map(() => NO_SLOTS);
  const out: Slots[] = new Array(elements.length);
  for (let j = 0; j < elements.length; j++) {
    const element = elements[j];
    const slots: unknown[] = new Array(expressions.length);
    for (let s = 0; s < expressions.length; s++) {
      const expression = expressions[s] as CompiledExpression;
      const fast = expression.fast ? expression.fast(element, root) : FALLBACK;
      slots[s] = fast === FALLBACK ? await evaluateOne(expression, element, root) : fast;
    }
    out[j] = slots;
    if (slicer.due()) await slicer.pause();
  }
  return out;
}
