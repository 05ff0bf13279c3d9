import { type FormattingOptions, getNodePath, modify, type Node } from "jsonc-parser";
import type { ConfigProblem } from "../engine/config-problems";
import { mergeConditionFix, relationOperationFixes } from "./entity-quick-fixes";
import {
  applyTextEdits,
  diffEdit,
  indentUnit,
  keyOf,
  lineEnding,
  lineIndent,
  locate,
  parseDocument,
  parsePointer,
  propertyOf,
  type Segment,
  type TextEdit,
} from "./json-document";
import { SHORTHAND_CODE } from "./shorthand-unique-ids";
import { stringLiteral } from "./string-literal";

/** One quick fix: a title for the lightbulb menu and the edits, as offsets into the text. */
export interface QuickFix {
  title: string;
  /** The marker code the fix resolves (a problem code, or SHORTHAND_UNIQUE_ID). */
  code: string;
  edits: TextEdit[];
  isPreferred?: boolean;
  /** What to select once the edits are made (offsets into the text after them): a placeholder. */
  select?: { offset: number; length: number };
}

function formatting(text: string): FormattingOptions {
  const unit = indentUnit(text);
  return {
    insertSpaces: unit !== "\t",
    tabSize: unit === "\t" ? 2 : unit.length,
    eol: lineEnding(text),
  };
}

function nodeAtPointer(text: string, pointer: string | readonly Segment[]): Node | undefined {
  const { tree } = parseDocument(text);
  if (!tree) return undefined;
  const segments = typeof pointer === "string" ? parsePointer(pointer) : pointer;
  return locate(tree, segments).node;
}

/** `"meter_number"` -> `{ "attribute": "meter_number", "field": "meter_number" }` (SPEC 1.1). */
export function convertShorthandUniqueId(
  text: string,
  path: string | readonly Segment[],
): QuickFix | null {
  const node = nodeAtPointer(text, path);
  if (node?.type !== "string") return null;
  const name = stringLiteral(String(node.value));
  return {
    title: "Convert to object form",
    code: SHORTHAND_CODE,
    edits: [
      {
        offset: node.offset,
        length: node.length,
        content: `{ "attribute": ${name}, "field": ${name} }`,
      },
    ],
    isPreferred: true,
  };
}

const VALUE_CODES = new Set([
  "INVALID_CONSTANT",
  "INVALID_VALUE",
  "PURGE_NOT_SUPPORTED",
  "UNSUPPORTED_ENTITY_MODE",
]);

/** One "Change to" fix per allowed value; the one the wrong value starts with is preferred. */
export function changeValueFixes(text: string, problem: ConfigProblem): QuickFix[] {
  if (!VALUE_CODES.has(problem.code) || !problem.expected?.length) return [];
  const node = nodeAtPointer(text, problem.path);
  if (!node || node.type === "object" || node.type === "array") return [];
  const current = typeof node.value === "string" ? node.value.toLowerCase() : "";
  return problem.expected
    .filter((value) => value !== node.value)
    .map((value) => {
      const content = value === null ? "null" : stringLiteral(value);
      const fix: QuickFix = {
        title: `Change to ${content}`,
        code: problem.code,
        edits: [{ offset: node.offset, length: node.length, content }],
      };
      if (value && current.startsWith(value.toLowerCase())) fix.isPreferred = true;
      return fix;
    });
}

/**
 * What a new field mapping holds until someone maps it: valid JSONata (an empty `field` is a
 * syntax error the moment it is inserted) that cannot pass for a real mapping, since every
 * reading it meets fails with this message in the preview.
 */
export function fieldPlaceholder(attribute: string): string {
  return `$error('TODO: map ${attribute.replace(/['\\]/g, "")}')`;
}

function fieldSkeleton(attribute: string): string {
  return `{ "attribute": ${stringLiteral(attribute)}, "field": ${stringLiteral(fieldPlaceholder(attribute))} }`;
}

/** The first placeholder in the text after the edit, inside its quotes, to be typed over. */
function selectFirstPlaceholder(after: string, from: number, attribute: string) {
  const inner = stringLiteral(fieldPlaceholder(attribute)).slice(1, -1);
  const offset = after.indexOf(inner, from);
  return offset < 0 ? undefined : { offset, length: inner.length };
}

/** Appends items (JSON texts) to an array node, in the array's own layout. */
function appendToArray(text: string, array: Node, items: readonly string[]): TextEdit | null {
  if (text[array.offset + array.length - 1] !== "]") return null;
  const eol = lineEnding(text);
  const children = array.children ?? [];
  const last = children.at(-1);
  const first = children[0];
  if (!last || !first) {
    const indent = lineIndent(text, array.offset);
    const inner = indent + indentUnit(text);
    return {
      offset: array.offset + 1,
      length: array.length - 2,
      content: `${eol}${items.map((i) => inner + i).join(`,${eol}`)}${eol}${indent}`,
    };
  }
  const end = last.offset + last.length;
  if (!text.slice(array.offset + 1, first.offset).includes("\n")) {
    return { offset: end, length: 0, content: items.map((i) => `, ${i}`).join("") };
  }
  const indent = lineIndent(text, last.offset);
  return { offset: end, length: 0, content: items.map((i) => `,${eol}${indent}${i}`).join("") };
}

/**
 * Inserts `{ "attribute": A, "field": "$error('TODO: map A')" }` for every missing attribute into
 * the item's fields, and selects the first placeholder.
 */
export function addMissingFieldsFix(text: string, problem: ConfigProblem): QuickFix | null {
  const missing = problem.missing;
  if (problem.code !== "MISSING_REQUIRED_FIELDS" || !missing?.[0]) return null;
  const node = nodeAtPointer(text, problem.path);
  if (!node) return null;
  const items = missing.map(fieldSkeleton);
  const title = `Add missing field mappings (${missing.join(", ")})`;
  if (node.type === "array") {
    const edit = appendToArray(text, node, items);
    if (!edit) return null;
    const select = selectFirstPlaceholder(applyTextEdits(text, [edit]), edit.offset, missing[0]);
    return { title, code: problem.code, edits: [edit], isPreferred: true, select };
  }
  if (node.type !== "object" || propertyOf(node, "fields")) return null;
  // No fields key yet: add `"fields": []` where jsonc-parser puts a new key, then fill it.
  const withKey = applyTextEdits(
    text,
    modify(text, [...getNodePath(node), "fields"], [], { formattingOptions: formatting(text) }),
  );
  const array = nodeAtPointer(withKey, [...getNodePath(node), "fields"]);
  const fill = array ? appendToArray(withKey, array, items) : null;
  if (!fill) return null;
  const after = applyTextEdits(withKey, [fill]);
  const edit = diffEdit(text, after);
  const select = selectFirstPlaceholder(after, edit.offset, missing[0]);
  return { title, code: problem.code, edits: [edit], isPreferred: true, select };
}

const SUGGESTION = /did you mean "([^"]+)"\?/;

/** Renames an unknown key to the key its message suggests (`did you mean "mode"?`). */
export function renameUnknownKeyFix(text: string, problem: ConfigProblem): QuickFix | null {
  const suggested = problem.code === "UNKNOWN_KEY" ? SUGGESTION.exec(problem.message)?.[1] : null;
  if (!suggested) return null;
  const { tree } = parseDocument(text);
  if (!tree) return null;
  const { property } = locate(tree, parsePointer(problem.path));
  const key = property ? keyOf(property) : undefined;
  const owner = property?.parent;
  if (!key || !owner || propertyOf(owner, suggested)) return null;
  return {
    title: `Rename to "${suggested}"`,
    code: problem.code,
    edits: [{ offset: key.offset, length: key.length, content: stringLiteral(suggested) }],
    isPreferred: true,
  };
}

/** Removes an unknown key with its value (and the comma that went with it). */
export function removeUnknownKeyFix(text: string, problem: ConfigProblem): QuickFix | null {
  if (problem.code !== "UNKNOWN_KEY") return null;
  const node = nodeAtPointer(text, problem.path);
  if (!node) return null;
  const path = getNodePath(node);
  const edits = modify(text, path, undefined, { formattingOptions: formatting(text) });
  if (edits.length === 0) return null;
  return { title: `Remove "${String(path.at(-1))}"`, code: problem.code, edits };
}

/** Every quick fix for one problem, best first. */
export function quickFixesFor(text: string, problem: ConfigProblem): QuickFix[] {
  const fixes: (QuickFix | null)[] = [
    ...changeValueFixes(text, problem),
    addMissingFieldsFix(text, problem),
    renameUnknownKeyFix(text, problem),
    removeUnknownKeyFix(text, problem),
    mergeConditionFix(text, problem),
    ...relationOperationFixes(text, problem),
  ];
  return fixes.filter((f): f is QuickFix => f !== null);
}
