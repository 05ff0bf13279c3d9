import { type Node, type ParseError, parseTree } from "jsonc-parser";
import { depthExceededAt } from "../json/json-depth";

/** A segment of a location inside a JSON document: object key or array index. */
export type Segment = string | number;

/** A text range as 0-based UTF-16 offsets (Monaco's model offsets), end exclusive. */
export interface TextRange {
  startOffset: number;
  endOffset: number;
}

/** One replacement in a text, the shape jsonc-parser's `modify`/`applyEdits` use. */
export interface TextEdit {
  offset: number;
  length: number;
  content: string;
}

/**
 * Parses the editor's text as strict JSON into a tree with offsets (undefined for empty text).
 * jsonc-parser recurses once per level, so text nested deeper than MAX_JSON_DEPTH is not parsed:
 * no tree, and `tooDeepAt` is where it goes a level too deep.
 */
export function parseDocument(text: string): {
  tree: Node | undefined;
  errors: ParseError[];
  tooDeepAt?: number;
} {
  const tooDeepAt = depthExceededAt(text);
  if (tooDeepAt >= 0) return { tree: undefined, errors: [], tooDeepAt };
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  return { tree, errors };
}

/** RFC 6901 pointer to segments: `/meter_readings/0/fields` -> `["meter_readings", "0", "fields"]`. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(pointer.startsWith("/") ? 1 : 0)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The key node of a property node. */
export function keyOf(property: Node): Node | undefined {
  return property.children?.[0];
}

/** The value node of a property node (undefined while the user is still typing it). */
export function propertyValue(property: Node): Node | undefined {
  return property.children?.[1];
}

/** The property of an object node with this key; the last one wins, as in `JSON.parse`. */
export function propertyOf(object: Node, key: string): Node | undefined {
  if (object.type !== "object") return undefined;
  return object.children?.findLast((p) => keyOf(p)?.value === key);
}

export interface Located {
  /** The node at the whole path, when it exists. */
  node: Node | undefined;
  /** The property whose key is the last segment, when that key exists (even without a value). */
  property: Node | undefined;
  /** The deepest node that exists along the path (the root when nothing matches). */
  nearest: Node;
}

/** Walks a path through a tree, remembering how far it got. */
export function locate(root: Node, segments: readonly Segment[]): Located {
  let current = root;
  let property: Node | undefined;
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (current.type === "object") {
      const p = propertyOf(current, String(segment));
      const value = p ? propertyValue(p) : undefined;
      if (!p || !value) {
        return { node: undefined, property: last ? p : undefined, nearest: current };
      }
      property = p;
      current = value;
    } else if (current.type === "array") {
      const index = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? +segment : -1;
      const child = index >= 0 ? current.children?.[index] : undefined;
      if (!child) return { node: undefined, property: undefined, nearest: current };
      property = undefined;
      current = child;
    } else {
      return { node: undefined, property: undefined, nearest: current };
    }
  }
  return { node: current, property, nearest: current };
}

/** The node at a path, or undefined. */
export function nodeAt(root: Node | undefined, segments: readonly Segment[]): Node | undefined {
  return root ? locate(root, segments).node : undefined;
}

/** The leading whitespace of the line that holds `offset`. */
export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const match = /^[ \t]*/.exec(text.slice(lineStart, offset));
  return match ? match[0] : "";
}

/** The document's indentation unit: a tab, or the smallest indentation in spaces (default 2). */
export function indentUnit(text: string): string {
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith("\t")) return "\t";
    const spaces = /^ */.exec(line)?.[0].length ?? 0;
    if (spaces > 0 && spaces < smallest) smallest = spaces;
  }
  return " ".repeat(Number.isFinite(smallest) ? smallest : 2);
}

/** The document's line ending. */
export function lineEnding(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** Applies edits (non-overlapping) to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

/** The one replacement that turns `before` into `after` (common prefix and suffix kept). */
export function diffEdit(before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before[start] === after[start]) start++;
  let end = 0;
  while (end < max - start && before[before.length - 1 - end] === after[after.length - 1 - end])
    end++;
  return {
    offset: start,
    length: before.length - end - start,
    content: after.slice(start, after.length - end),
  };
}
