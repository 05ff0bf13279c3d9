/**
 * Monaco editors of the studio. Every component is client-only (next/dynamic, ssr: false) and
 * serves Monaco and its workers from our own origin (/_next/static); nothing loads from a CDN.
 * Import from "@/components/editor" in server or client components alike.
 *
 * <ConfigEditor value onChange modelUri sample? onValidation? height? className? readOnly?
 *               ariaLabel? defaultExpressionPanel? ref? />
 *   A mapping configuration: the configuration's JSON Schema bound to this model (hovers and
 *   completion), validateConfig on every change (debounced 150 ms) with markers at the exact
 *   ranges, quick fixes (Ctrl+. or the lightbulb: shorthand unique id -> object form, "Change to
 *   <allowed value>", "Add missing field mappings", rename/remove an unknown key) and the JSONata
 *   panel: with the cursor in a jsonataExpression, a string `enabled` or a JSONata `field`, the
 *   expression is editable beside the editor (written back escaped) and evaluated on `sample`.
 *   - modelUri: unique per editor, e.g. `inmemory://config/${useCaseId}.json`.
 *   - sample: the selected sample payload, already parsed (undefined: none).
 *   - onValidation(result: ConfigTextValidation): { text, config, parseError, validation } after
 *     each validation; validation is the engine's ValidationResult, null while the JSON does
 *     not parse (Monaco marks the syntax error itself).
 *   - ref: ConfigEditorHandle = JsonEditorHandle + revealProblem(problem) for a problem list.
 *
 * <JsonEditor value onChange modelUri ariaLabel schema? markers? height? className? readOnly?
 *             onCursorOffset? ref? />
 *   Any JSON. `schema` is bound to this model only (merged with other editors' schemas); schemas
 *   give hovers and completion, not diagnostics. `markers` (EditorMarker: startOffset, endOffset,
 *   severity error|warning|info|hint, message, code?) are set under owner "mms".
 *   ref: JsonEditorHandle { applyEdits(edits: {offset, length, content}[]), revealRange(start,
 *   end, { select?, focus? }), focus(), getValue(), hasTextFocus(), getEditor() }.
 *
 * <XmlEditor ...the JsonEditor props but schema />
 *   An XML sample payload: XML highlighting and our markers (e.g. where the XML stops converting).
 *
 * <JsonDiffEditor original modified height? className? sideBySide? language? ariaLabel? />
 *   Read-only Monaco diff, e.g. between two configuration versions.
 *
 * Heights are CSS lengths or pixels; the editors never size themselves from their content.
 * Pure helpers (problem ranges, quick-fix edits, expression evaluation) live in lib/studio.
 */
export type { ExpressionPanelProps } from "./expression-panel";
export { ConfigEditor, ExpressionPanel, JsonDiffEditor, JsonEditor, XmlEditor } from "./lazy";
export type {
  ConfigEditorHandle,
  ConfigEditorProps,
  ConfigTextValidation,
  EditorMarker,
  JsonDiffEditorProps,
  JsonEditorHandle,
  JsonEditorProps,
  TextEdit,
} from "./types";
