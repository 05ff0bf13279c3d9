/**
 * Structural equality of JSON values (object key order does not matter). Iterative, with an
 * explicit stack: values from payloads and expressions are compared whatever their depth.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!bothObjects(a, b)) return false;
  const stack: [unknown, unknown][] = [[a, b]];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const [x, y] = pair;
    if (x === y) continue;
    if (!bothObjects(x, y) || Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const yy = y as unknown[];
      if (x.length !== yy.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], yy[i]]);
      continue;
    }
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y as object).length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y as object, k)) return false;
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}

function bothObjects(a: unknown, b: unknown): a is object {
  return a !== null && b !== null && typeof a === "object" && typeof b === "object";
}
