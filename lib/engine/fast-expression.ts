import { decimalArithmetic, isArithmeticOperator } from "./decimal-arithmetic";
/**
 * JS getters for the simplest JSONata shapes (paths, literals, arithmetic), so the common mapping
 * `currentReading - previousReading` costs a function call instead of an async JSONata evaluation
 * (80x slower). A getter returns FALLBACK whenever the data is not plain (arrays, non-numbers,
 * non-finite results): the real JSONata expression then decides, so results and error messages are
 * always exactly JSONata's.
 */
export const FALLBACK: unique symbol = Symbol("fallback");
export type FastGetter = (item: unknown, root: unknown) => unknown;

interface Node {
  type?: string;
  value?: unknown;
  steps?: Node[];
  /** A binary operator's left side, or an object constructor's [key, value] pairs. */
  lhs?: Node | [Node, Node][];
  rhs?: Node;
  expression?: Node;
  expressions?: Node[];
}

function onlyKeys(node: object, allowed: readonly string[]): boolean {
  return Object.keys(node).every((k) => allowed.includes(k));
}

function readKey(value: unknown, key: string): unknown {
  if (value === undefined) return undefined;
  if (value === null || Array.isArray(value)) return FALLBACK;
  if (typeof value !== "object") return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** A path of plain names, optionally starting at `$` (the item) or `$$` (the root). */
export function compilePathSteps(fromRoot: boolean, keys: readonly string[]): FastGetter {
  return (item, root) => {
    let current: unknown = fromRoot ? root : item;
    if (Array.isArray(current)) return FALLBACK;
    for (const key of keys) {
      current = readKey(current, key);
      if (current === FALLBACK) return FALLBACK;
    }
    return Array.isArray(current) ? FALLBACK : current;
  };
}

function compilePath(node: Node): FastGetter | null {
  if (!onlyKeys(node, ["type", "steps"]) || !Array.isArray(node.steps) || node.steps.length === 0)
    return null;
  let fromRoot = false;
  const keys: string[] = [];
  for (const [i, step] of node.steps.entries()) {
    if (!onlyKeys(step, ["type", "value", "position"])) return null;
    if (i === 0 && step.type === "variable" && (step.value === "" || step.value === "$")) {
      fromRoot = step.value === "$";
      continue;
    }
    if (step.type !== "name" || typeof step.value !== "string") return null;
    keys.push(step.value);
  }
  return compilePathSteps(fromRoot, keys);
}

function isPlainNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

function compileNode(node: Node | undefined): FastGetter | null {
  if (!node || typeof node !== "object") return null;
  switch (node.type) {
    case "path":
      return compilePath(node);
    case "number":
    case "string": {
      if (!onlyKeys(node, ["type", "value", "position"])) return null;
      const value = node.value;
      return () => value;
    }
    case "variable": {
      if (!onlyKeys(node, ["type", "value", "position"])) return null;
      if (node.value === "") return (item) => (Array.isArray(item) ? FALLBACK : item);
      if (node.value === "$") return (_item, root) => (Array.isArray(root) ? FALLBACK : root);
      return null;
    }
    case "block": {
      if (!onlyKeys(node, ["type", "expressions", "position"]) || node.expressions?.length !== 1)
        return null;
      return compileNode(node.expressions[0]);
    }
    case "unary": {
      if (node.value === "{") return compileObject(node);
      if (node.value !== "-" || !onlyKeys(node, ["type", "value", "position", "expression"]))
        return null;
      const inner = compileNode(node.expression);
      if (!inner) return null;
      return (item, root) => {
        const v = inner(item, root);
        if (v === undefined) return undefined;
        return isPlainNumber(v) ? -v : FALLBACK;
      };
    }
    case "binary": {
      const op = node.value;
      if (!isArithmeticOperator(op) || !onlyKeys(node, ["type", "value", "position", "lhs", "rhs"]))
        return null;
      const lhs = compileNode(node.lhs as Node);
      const rhs = compileNode(node.rhs);
      if (!lhs || !rhs) return null;
      return (item, root) => {
        const a = lhs(item, root);
        const b = rhs(item, root);
        if (a === FALLBACK || b === FALLBACK) return FALLBACK;
        if ((a !== undefined && !isPlainNumber(a)) || (b !== undefined && !isPlainNumber(b)))
          return FALLBACK;
        if (a === undefined || b === undefined) return undefined;
        // As the compiled expression computes it (bounded-jsonata.ts rewrites its operators).
        const result = decimalArithmetic(op, a, b);
        return Number.isFinite(result) ? result : FALLBACK;
      };
    }
    default:
      return null;
  }
}

/**
 * An object constructor with literal string keys, `{ "meter_number": meter }` (a counter's meter):
 * on one item (not an array, which JSONata would group) each value is evaluated on it, and keys
 * whose value is undefined are left out, as JSONata does. Keys that repeat (JSONata's D1009) or
 * would set a prototype are left to JSONata.
 */
function compileObject(node: Node): FastGetter | null {
  if (!onlyKeys(node, ["type", "value", "position", "lhs"]) || !Array.isArray(node.lhs))
    return null;
  const pairs: [string, FastGetter][] = [];
  for (const pair of node.lhs as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return null;
    const [key, value] = pair as [Node, Node];
    if (key?.type !== "string" || typeof key.value !== "string") return null;
    if (!onlyKeys(key, ["type", "value", "position"])) return null;
    const name = key.value;
    if (name === "__proto__" || pairs.some(([k]) => k === name)) return null;
    const getter = compileNode(value);
    if (!getter) return null;
    pairs.push([name, getter]);
  }
  return (item, root) => {
    if (Array.isArray(item)) return FALLBACK;
    const out: Record<string, unknown> = {};
    for (const [name, getter] of pairs) {
      const v = getter(item, root);
      if (v === FALLBACK) return FALLBACK;
      if (v !== undefined) out[name] = v;
    }
    return out;
  };
}

/** A fast getter for a parsed JSONata AST, or null when the shape is not one we can mirror exactly. */
export function compileFastExpression(ast: unknown): FastGetter | null {
  return compileNode(ast as Node);
}
