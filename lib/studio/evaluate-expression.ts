import {
  checkJsonataSyntax,
  compileExpression,
  evaluationMessage,
  ITEM_BOUNDS,
} from "../engine/bounded-jsonata";
import { toPlainValue } from "../engine/value-source";
import type { ExpressionTarget } from "./expression-target";

export type ExpressionResult =
  | {
      ok: true;
      /** JSON-safe result; undefined when the expression gives nothing. */
      value: unknown;
      /** What it ran on: "the sample payload" or "item 1 of 2 extracted by readings". */
      input: string;
    }
  | { ok: false; message: string; input: string };

const ROOT = "the sample payload";

async function run(source: string, item: unknown, root: unknown): Promise<unknown> {
  return toPlainValue(await compileExpression(source, ITEM_BOUNDS).evaluate(item, root));
}

/**
 * Evaluates a configuration's expression on a sample the way an import would: an extraction (or an
 * entity's condition) on the root payload; a field, unique id or condition on the first item its
 * entry extracts, with `$$` the root payload. Bounded like every evaluation (ITEM_BOUNDS).
 */
export async function evaluateExpression(
  target: Pick<ExpressionTarget, "expression" | "scope" | "extraction">,
  sample: unknown,
): Promise<ExpressionResult> {
  const syntax = checkJsonataSyntax(target.expression);
  let input = ROOT;
  let item: unknown = sample;
  if (target.scope === "item" && target.extraction !== undefined) {
    let extracted: unknown;
    try {
      extracted = await run(target.extraction, sample, sample);
    } catch (error) {
      return { ok: false, message: `Extraction failed: ${evaluationMessage(error)}`, input };
    }
    const items =
      extracted === undefined || extracted === null
        ? []
        : Array.isArray(extracted)
          ? extracted
          : [extracted];
    if (items.length === 0) {
      return { ok: false, message: "The extraction gives no items for this sample", input };
    }
    item = items[0];
    input = `item 1 of ${items.length} extracted by ${target.extraction}`;
  } else if (target.scope === "item") {
    input = "the sample payload (no extraction: the payload is the item)";
  }
  if (syntax) {
    return {
      ok: false,
      message: `Syntax error at character ${syntax.start + 1}: ${syntax.message}`,
      input,
    };
  }
  try {
    return { ok: true, value: await run(target.expression, item, sample), input };
  } catch (error) {
    return { ok: false, message: evaluationMessage(error), input };
  }
}

/** A result as the panel shows it: pretty JSON, cut after `limit` characters. */
export function formatResult(value: unknown, limit = 20_000): string {
  if (value === undefined) return "undefined (no value)";
  const text = JSON.stringify(value, null, 2);
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… ${text.length - limit} more characters`;
}
