import type { ConfigProblem } from "../engine/config-problems";
import { parseDocument, type TextRange } from "./json-document";
import { locateProblems } from "./problem-ranges";
import { findShorthandUniqueIds, SHORTHAND_CODE, SHORTHAND_MESSAGE } from "./shorthand-unique-ids";

export type EditorMarkerSeverity = "error" | "warning" | "info" | "hint";

/** A marker in editor text, by offsets; the editor converts them to lines and columns. */
export interface EditorMarker extends TextRange {
  severity: EditorMarkerSeverity;
  message: string;
  /** A stable code (`INVALID_CONSTANT`, ...); quick fixes are found by it. */
  code?: string;
}

/**
 * The markers of a configuration's text: every validation problem at its exact range, plus a hint
 * on each shorthand unique id (there is no error for it, but the hint carries the quick fix).
 */
export function configMarkers(text: string, problems: readonly ConfigProblem[]): EditorMarker[] {
  const { tree } = parseDocument(text);
  const markers: EditorMarker[] = locateProblems(text, problems, tree).map((p) => ({
    startOffset: p.startOffset,
    endOffset: p.endOffset,
    severity: p.problem.severity,
    message: p.problem.message,
    code: p.problem.code,
  }));
  for (const s of findShorthandUniqueIds(text, tree)) {
    markers.push({
      startOffset: s.startOffset,
      endOffset: s.endOffset,
      severity: "hint",
      message: SHORTHAND_MESSAGE,
      code: SHORTHAND_CODE,
    });
  }
  return markers;
}
