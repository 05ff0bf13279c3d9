import { toPointer } from "./json-pointer";
import { problem, type ReadingProblem } from "./reading-codes";
import { escapedText, findUnstorableText, isStorableText } from "./storable-text";

/**
 * INVALID_TEXT for the first attribute (outside `skip`) whose value holds text the database
 * cannot store, naming the attribute, where inside its value, and the text escaped; else null.
 * One regex test per plain string: the common case costs next to nothing.
 */
export function unstorableAttribute(
  values: Record<string, unknown>,
  skip: ReadonlySet<string> | null = null,
): ReadingProblem | null {
  for (const field in values) {
    if (skip?.has(field)) continue;
    const value = values[field];
    if (typeof value === "string") {
      if (!isStorableText(value))
        return problem("INVALID_TEXT", { field, received: escapedText(value) });
    } else if (value !== null && typeof value === "object") {
      const found = findUnstorableText(value);
      if (found) {
        // The pointer is shown like the text: escaped.
        const path = toPointer(found.segments.map((s) => escapedText(String(s))));
        return problem("INVALID_TEXT", { field, path, received: escapedText(found.text) });
      }
    }
  }
  return null;
}

/** INVALID_TEXT for a meter or counter unique id value the database cannot store; else null. */
export function unstorableUniqueId(
  entity: "meter" | "meter_counter",
  values: Record<string, unknown>,
): ReadingProblem | null {
  for (const field in values) {
    const value = values[field];
    if (typeof value === "string" && !isStorableText(value))
      return problem("INVALID_TEXT", { entity, field, received: escapedText(value) });
  }
  return null;
}
