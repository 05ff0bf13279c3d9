import type { Node } from "jsonc-parser";
import { nodeAt, parseDocument, type Segment, type TextRange } from "./json-document";

/** A plain-string unique id (`"meter_number"`) of a reading item's meter or meter_counter. */
export interface ShorthandUniqueId extends TextRange {
  path: Segment[];
  value: string;
}

export const SHORTHAND_CODE = "SHORTHAND_UNIQUE_ID";
export const SHORTHAND_MESSAGE = "Shorthand unique id; convert to object form";

/** Every shorthand unique id of `meter_readings[*].meter|meter_counter.unique_ids`. */
export function findShorthandUniqueIds(text: string, root?: Node): ShorthandUniqueId[] {
  const tree = root ?? parseDocument(text).tree;
  const items = nodeAt(tree, ["meter_readings"]);
  if (items?.type !== "array") return [];
  const found: ShorthandUniqueId[] = [];
  for (const [i, item] of (items.children ?? []).entries()) {
    for (const lookup of ["meter", "meter_counter"] as const) {
      const ids = nodeAt(item, [lookup, "unique_ids"]);
      if (ids?.type !== "array") continue;
      for (const [k, id] of (ids.children ?? []).entries()) {
        if (id.type !== "string" || id.value === "") continue;
        found.push({
          path: ["meter_readings", i, lookup, "unique_ids", k],
          value: String(id.value),
          startOffset: id.offset,
          endOffset: id.offset + id.length,
        });
      }
    }
  }
  return found;
}
