import { findNodeAtOffset, getNodePath, getNodeValue, type Node } from "jsonc-parser";
import { parsePlainPath } from "../engine/field-path";
import {
  keyOf,
  nodeAt,
  parseDocument,
  propertyValue,
  type Segment,
  type TextEdit,
} from "./json-document";
import { stringLiteral } from "./string-literal";

export type ExpressionKey = "jsonataExpression" | "enabled" | "field";

/**
 * A JSONata expression of the configuration, with what it is evaluated on: the root payload (an
 * item's extraction, an entity's `enabled`), or the first item the owning entry extracts.
 */
export interface ExpressionTarget {
  path: Segment[];
  key: ExpressionKey;
  expression: string;
  scope: "root" | "item";
  /** For item scope: the owning entry's extraction (undefined: the payload itself is the item). */
  extraction?: string;
  /** What the expression is, for the panel's title: "meter_readings[0].fields[6] jsonataExpression". */
  label: string;
  /** The string literal in the text, quotes included. */
  offset: number;
  length: number;
}

const COLLECTIONS = new Set(["meter_readings", "entities"]);

/** Where in the configuration an expression may sit, and what it is evaluated on. */
function scopeOf(path: readonly Segment[], key: ExpressionKey): "root" | "item" | null {
  const [collection, index, ...rest] = path.slice(0, -1);
  if (typeof collection !== "string" || !COLLECTIONS.has(collection) || typeof index !== "number")
    return null;
  const within = rest.map(String).join("/");
  if (rest.length === 0) {
    if (key === "jsonataExpression") return "root";
    return key === "enabled" && collection === "entities" ? "root" : null;
  }
  if (/^fields\/\d+$/.test(within)) return "item";
  const isLookup =
    collection === "meter_readings" && /^meter(_counter)?\/unique_ids\/\d+$/.test(within);
  return isLookup && key !== "enabled" ? "item" : null;
}

function label(path: readonly Segment[]): string {
  return path
    .map((s, i) => (typeof s === "number" ? `[${s}]` : i === path.length - 1 ? ` ${s}` : `.${s}`))
    .join("")
    .replace(/^\./, "");
}

function targetOf(root: Node, node: Node | undefined): ExpressionTarget | null {
  const property = node?.parent;
  if (node?.type !== "string" || property?.type !== "property") return null;
  if (propertyValue(property) !== node) return null;
  const key = keyOf(property)?.value;
  if (key !== "jsonataExpression" && key !== "enabled" && key !== "field") return null;
  const expression = String(node.value);
  // A plain path such as `meterId` is no JSONata worth a panel.
  if (key === "field" && parsePlainPath(expression) !== null) return null;
  const path = getNodePath(node);
  const scope = scopeOf(path, key);
  if (!scope) return null;
  const target: ExpressionTarget = {
    path,
    key,
    expression,
    scope,
    label: label(path),
    offset: node.offset,
    length: node.length,
  };
  if (scope === "item") {
    const extraction = nodeAt(root, [...path.slice(0, 2), "jsonataExpression"]);
    if (extraction) {
      const value = getNodeValue(extraction);
      if (typeof value === "string") target.extraction = value;
    }
  }
  return target;
}

/** The expression whose string literal holds the cursor (between its quotes), if any. */
export function expressionTargetAt(text: string, offset: number): ExpressionTarget | null {
  const { tree } = parseDocument(text);
  if (!tree) return null;
  const node = findNodeAtOffset(tree, offset, true);
  if (!node || offset <= node.offset || offset >= node.offset + node.length) return null;
  return targetOf(tree, node);
}

/** The expression at a path (the panel keeps its target by path while the text changes). */
export function expressionTargetAtPath(
  text: string,
  path: readonly Segment[],
): ExpressionTarget | null {
  const { tree } = parseDocument(text);
  return tree ? targetOf(tree, nodeAt(tree, path)) : null;
}

/** The edit that writes an expression back into its string literal, escaped. */
export function replaceExpressionEdit(target: ExpressionTarget, expression: string): TextEdit {
  return { offset: target.offset, length: target.length, content: stringLiteral(expression) };
}
