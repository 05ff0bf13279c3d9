import type { Node } from "jsonc-parser";
import type { ConfigProblem } from "../engine/config-problems";
import { keyOf, locate, parseDocument, parsePointer, type TextRange } from "./json-document";
import { sourceOffsetInLiteral } from "./string-literal";

/** A validation problem with where it sits in the editor's text. */
export interface LocatedProblem extends TextRange {
  problem: ConfigProblem;
}

function whole(node: Node): TextRange {
  return { startOffset: node.offset, endOffset: node.offset + node.length };
}

/**
 * Where a marker for an object or array goes. A one-line container is marked whole; a multi-line
 * one only at its head (`"fields": [` or its opening bracket), so a squiggle under forty lines
 * never hides the markers and hovers inside it.
 */
function head(text: string, node: Node): TextRange {
  const isContainer = node.type === "object" || node.type === "array";
  if (!isContainer || !text.slice(node.offset, node.offset + node.length).includes("\n")) {
    return whole(node);
  }
  const property = node.parent?.type === "property" ? node.parent : undefined;
  const key = property ? keyOf(property) : undefined;
  return { startOffset: key ? key.offset : node.offset, endOffset: node.offset + 1 };
}

function insideString(text: string, node: Node, range: { start: number; end: number }): TextRange {
  const startOffset = sourceOffsetInLiteral(text, node.offset, node.length, range.start);
  const endOffset = sourceOffsetInLiteral(text, node.offset, node.length, range.end);
  // An empty expression (or an error at its very end) has no character to mark: take the
  // literal's closing quote, or the whole literal when it is empty.
  if (endOffset > startOffset) return { startOffset, endOffset };
  if (node.length <= 2) return whole(node);
  const end = node.offset + node.length;
  return startOffset >= end - 1
    ? { startOffset: end - 2, endOffset: end - 1 }
    : { startOffset, endOffset: startOffset + 1 };
}

function fallback(text: string): TextRange {
  return { startOffset: 0, endOffset: Math.min(text.length, 1) };
}

/**
 * The text range of one problem: the key token for an unknown key, the exact characters inside the
 * string for a JSONata syntax error, else the value (the key while its value is still missing, the
 * nearest existing ancestor where the path does not exist, e.g. a missing required key).
 */
export function problemRange(
  text: string,
  root: Node | undefined,
  problem: ConfigProblem,
): TextRange {
  if (!root) return fallback(text);
  const segments = parsePointer(problem.path);
  const { node, property, nearest } = locate(root, segments);
  if (problem.code === "UNKNOWN_KEY") {
    const key = property ? keyOf(property) : undefined;
    if (key) return whole(key);
  }
  if (node) {
    if (problem.code === "JSONATA_SYNTAX" && problem.range && node.type === "string") {
      return insideString(text, node, problem.range);
    }
    return head(text, node);
  }
  // The key is there but its value is not (yet): mark the key.
  const key = property ? keyOf(property) : undefined;
  if (key) return whole(key);
  return head(text, nearest);
}

/** Locates every problem of a validation in the text it was computed from. */
export function locateProblems(
  text: string,
  problems: readonly ConfigProblem[],
  root: Node | undefined = parseDocument(text).tree,
): LocatedProblem[] {
  const tree = root;
  return problems.map((problem) => ({ problem, ...problemRange(text, tree, problem) }));
}
