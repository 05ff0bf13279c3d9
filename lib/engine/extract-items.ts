import { type CompiledExpression, evaluationMessage } from "./bounded-jsonata";
import type { EvaluationBudget } from "./evaluation-budget";

export type Extraction = { ok: true; items: unknown[] } | { ok: false; message: string };

/**
 * Runs an item's extraction on the root payload. JSONata returns a lone match unwrapped, so a single
 * object is one item exactly as a one-element array is; undefined or null is zero items.
 */
export async function extractItems(
  extraction: CompiledExpression | null,
  payload: unknown,
  budget?: EvaluationBudget,
): Promise<Extraction> {
  // Without an expression the payload itself is one reading, whatever its shape.
  if (!extraction) return { ok: true, items: [payload] };
  let result: unknown;
  try {
    result = await extraction.evaluate(payload, payload, budget);
  } catch (error) {
    return { ok: false, message: evaluationMessage(error) };
  }
  if (result === undefined || result === null) return { ok: true, items: [] };
  return { ok: true, items: Array.isArray(result) ? result : [result] };
}

export function isItemObject(item: unknown): item is Record<string, unknown> {
  return item !== null && typeof item === "object" && !Array.isArray(item);
}
