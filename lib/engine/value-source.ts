import { type CompiledExpression, compileExpression, ITEM_BOUNDS } from "./bounded-jsonata";
import { parsePlainPath } from "./field-path";
import { setOwnValue } from "./own-property";

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

/** JSON-safe copy of a JSONata result: sequences become arrays, null-prototype objects plain ones. */
export function toPlainValue(value: unknown): unknown {
  // JSONata computes 1/0 and 0/0 without complaint; JSON has no such numbers, so name them.
  if (typeof value === "number") return Number.isFinite(value) ? value + 0 : String(value);
  if (value === null || typeof value !== "object")
    return typeof value === "function" ? undefined : value;
  if (Array.isArray(value)) return value.map(toPlainValue);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = toPlainValue((value as Record<string, unknown>)[key]);
    if (v !== undefined) setOwnValue(out, key, v);
  }
  return out;
}

/** JSONata's notion of truthiness, for `enabled` conditions. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isTruthy);
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}
