import { getNodePath, modify, type Node } from "jsonc-parser";
import type { ConfigProblem } from "../engine/config-problems";
import {
  applyTextEdits,
  diffEdit,
  indentUnit,
  lineEnding,
  locate,
  parseDocument,
  parsePointer,
  propertyOf,
  propertyValue,
} from "./json-document";
import type { QuickFix } from "./quick-fixes";

function formatting(text: string) {
  const unit = indentUnit(text);
  return {
    insertSpaces: unit !== "\t",
    tabSize: unit === "\t" ? 2 : unit.length,
    eol: lineEnding(text),
  };
}

function nodeAt(text: string, pointer: string): Node | undefined {
  const { tree } = parseDocument(text);
  return tree ? locate(tree, parsePointer(pointer)).node : undefined;
}

/** Several changes made one after the other, as one edit (one undo step). */
function changes(text: string, steps: [(string | number)[], unknown][]): string {
  let after = text;
  for (const [path, value] of steps)
    after = applyTextEdits(
      after,
      modify(after, path, value, { formattingOptions: formatting(after) }),
    );
  return after;
}

/**
 * DEPRECATED_CONDITION: the legacy `condition` merged into `enabled` (SPEC-ENTITIES 1): the
 * mapping runs when both hold, so `enabled` becomes the condition, or `(enabled) and (condition)`.
 */
export function mergeConditionFix(text: string, problem: ConfigProblem): QuickFix | null {
  if (problem.code !== "DEPRECATED_CONDITION") return null;
  const condition = nodeAt(text, problem.path);
  if (condition?.type !== "string") return null;
  const path = getNodePath(condition);
  const itemPath = path.slice(0, -1);
  const item = condition.parent?.parent;
  if (item?.type !== "object") return null;
  const enabledProperty = propertyOf(item, "enabled");
  const enabled = enabledProperty ? propertyValue(enabledProperty) : undefined;
  const source = String(condition.value);
  let merged: unknown;
  if (!enabled || enabled.value === true) merged = source;
  else if (enabled.value === false) merged = false;
  else if (enabled.type === "string") merged = `(${String(enabled.value)}) and (${source})`;
  else return null;
  const after = changes(text, [
    [[...itemPath, "enabled"], merged],
    [path, undefined],
  ]);
  return {
    title: "Merge condition into enabled",
    code: problem.code,
    edits: [diffEdit(text, after)],
    isPreferred: true,
  };
}

/** RELATION_OPERATION_DEFAULTED: say the operation; `_set` (what is used now) is preferred. */
export function relationOperationFixes(text: string, problem: ConfigProblem): QuickFix[] {
  if (problem.code !== "RELATION_OPERATION_DEFAULTED") return [];
  const relations = nodeAt(text, problem.path);
  if (relations?.type !== "object" || propertyOf(relations, "operation")) return [];
  const path = getNodePath(relations);
  return ["_set", "_append", "_append_all"].map((operation) => {
    const after = changes(text, [[[...path, "operation"], operation]]);
    const fix: QuickFix = {
      title: `Add "operation": "${operation}"`,
      code: problem.code,
      edits: [diffEdit(text, after)],
    };
    if (operation === "_set") fix.isPreferred = true;
    return fix;
  });
}
