import { type CompiledExpression, compileExpression, ITEM_BOUNDS } from "./bounded-jsonata";
import { parsePlainPath } from "./field-path";
import { setOwnValue } from "./own-property";
import { MAX_VALUE_DEPTH, TOO_DEEP_MESSAGE } from "./value-depth";

/**
 * Where a value comes from, compiled once: a constant, or an expression (plain paths included)
 * whose results are computed for a batch of items before the synchronous decision pass reads them
 * from its slot.
 */
export type ExpressionSource = { kind: "expression"; slot: number; expression: CompiledExpression };
export type ValueSource = { kind: "constant"; value: unknown } | ExpressionSource;

export interface ValueKeys {
  field?: string;
  constant?: unknown;
  jsonataExpression?: string;
}

/** A failed evaluation (`$error`, bounds, type errors), kept in its slot until a reading reads it. */
export class EvaluationFailure {
  constructor(readonly message: string) {}
}

/** Collects an item's expressions, each compiled once, and hands out their slots. */
export class ExpressionTable {
  readonly expressions: CompiledExpression[] = [];

  add(expression: CompiledExpression): ExpressionSource {
    this.expressions.push(expression);
    return { kind: "expression", slot: this.expressions.length - 1, expression };
  }

  /** `constant` beats `jsonataExpression` beats `field` (SPEC 1.1). */
  source(keys: ValueKeys): ValueSource {
    if (Object.hasOwn(keys, "constant")) return { kind: "constant", value: keys.constant };
    if (typeof keys.jsonataExpression === "string") {
      return this.add(compileExpression(keys.jsonataExpression, ITEM_BOUNDS));
    }
    if (typeof keys.field === "string") {
      const plain = parsePlainPath(keys.field);
      if (!plain) return this.add(compileExpression(keys.field, ITEM_BOUNDS));
      return this.add({ ...compileExpression(plain.jsonata, ITEM_BOUNDS), fast: plain.fast });
    }
    return { kind: "constant", value: undefined };
  }
}

/**
 * JSON-safe copy of a JSONata result: sequences become arrays, null-prototype objects plain ones.
 * A result nested deeper than MAX_VALUE_DEPTH fails (the evaluation's failure, with that message):
 * the recursion here stops there, and so nothing later walks such a value.
 */
export function toPlainValue(value: unknown, depth = 0): unknown {
  // JSONata computes 1/0 and 0/0 without complaint; JSON has no such numbers, so name them.
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : String(value);
  if (value === null || typeof value !== "object")
    return typeof value === "function" ? undefined : value;
  if (depth >= MAX_VALUE_DEPTH) throw new Error(TOO_DEEP_MESSAGE);
  if (Array.isArray(value)) return value.map((v) => toPlainValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = toPlainValue((value as Record<string, unknown>)[key], depth + 1);
    if (v !== undefined) setOwnValue(out, key, v);
  }
  return out;
}

function isTruthyScalar(value: unknown): boolean {
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

/** JSONata's notion of truthiness, for `enabled` conditions: an array is true if any member is. */
export function isTruthy(value: unknown): boolean {
  if (!Array.isArray(value)) return isTruthyScalar(value);
  // Iterative: an expression can nest arrays deeper than the call stack goes.
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const member of v) stack.push(member);
    else if (isTruthyScalar(v)) return true;
  }
  return false;
}
