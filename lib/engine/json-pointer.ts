/** RFC 6901 JSON pointer from path segments: `["meter_readings", 0, "fields"]` -> `/meter_readings/0/fields`. */
export function toPointer(segments: readonly PropertyKey[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/** The value at a path of segments inside a JSON value, or undefined. */
export function valueAtPath(root: unknown, segments: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, segment))
      return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
