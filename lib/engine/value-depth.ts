import { MAX_JSON_DEPTH } from "../json/json-depth";

/**
 * How deep a value the engine computes or maps may nest: the same limit as for any JSON the
 * server reads. Payloads are held to it when parsed; this holds what expressions build (a
 * `$reduce` can nest an array 100k deep without recursing) before anything walks it recursively
 * (JSON.stringify, jsonb).
 */
export const MAX_VALUE_DEPTH = MAX_JSON_DEPTH;

export const TOO_DEEP_MESSAGE = `The value is nested deeper than ${MAX_VALUE_DEPTH} levels`;

/**
 * A value as an error shows it (`received`): itself, or a note in its place when it nests too deep
 * to be written out (an extraction can build such items).
 */
export function shownValue(value: unknown): unknown {
  return nestedDeeperThan(value) ? `(a value nested deeper than ${MAX_VALUE_DEPTH} levels)` : value;
}

/** Whether a value nests more than `max` arrays and objects deep. Iterative. */
export function nestedDeeperThan(value: unknown, max = MAX_VALUE_DEPTH): boolean {
  if (value === null || typeof value !== "object") return false;
  const stack: [object, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node))
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}
