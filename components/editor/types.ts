import type * as Monaco from "monaco-editor";
import type { Ref } from "react";
import type { ConfigProblem } from "@/lib/engine/config-problems";
import type { EditorMarker } from "@/lib/studio/editor-markers";
import type { TextEdit } from "@/lib/studio/json-document";
import type { ConfigTextValidation } from "@/lib/studio/validate-config-text";

export type { ConfigTextValidation, EditorMarker, TextEdit };

/** What a parent can do with a mounted editor (all offsets are into the editor's current text). */
export interface JsonEditorHandle {
  /** Applies edits as one undoable step (quick fixes, write-backs); onChange follows. */
  applyEdits(edits: readonly TextEdit[]): void;
  /** Scrolls a range into the middle of the view; selects it and focuses unless told otherwise. */
  revealRange(
    startOffset: number,
    endOffset: number,
    options?: { select?: boolean; focus?: boolean },
  ): void;
  focus(): void;
  /** The model's current text (may be ahead of the last `value` prop while the user types). */
  getValue(): string;
  hasTextFocus(): boolean;
  /** The Monaco editor itself, for anything else; null before mount and after unmount. */
  getEditor(): Monaco.editor.IStandaloneCodeEditor | null;
}

export interface JsonEditorProps {
  value: string;
  /** Every change of the text: edits, and a new `value` prop once it is in the model. */
  onChange(value: string): void;
  /** Unique per editor, e.g. `inmemory://config/<useCaseId>.json`; the schema binds to it. */
  modelUri: string;
  /** JSON Schema for hovers and completion, bound to this model only. */
  schema?: object;
  /** Our markers (owner "mms"), by offsets into `value`. JSON syntax errors are Monaco's own. */
  markers?: readonly EditorMarker[];
  /** CSS height of the editor; default 420 (px). */
  height?: number | string;
  className?: string;
  readOnly?: boolean;
  /** Cursor moves, as an offset into the text. */
  onCursorOffset?(offset: number): void;
  ariaLabel: string;
  ref?: Ref<JsonEditorHandle>;
}

export interface ConfigEditorHandle extends JsonEditorHandle {
  /** Reveals, selects and focuses the text of a validation problem (e.g. from a problem list). */
  revealProblem(problem: ConfigProblem): void;
}

export interface ConfigEditorProps {
  value: string;
  onChange(value: string): void;
  /** Unique per editor, e.g. `inmemory://config/<useCaseId>.json`. */
  modelUri: string;
  /** The selected sample payload, parsed; the JSONata panel evaluates expressions on it. */
  sample?: unknown;
  /** Each validation of the text (debounced ~150 ms after a change, and once on mount). */
  onValidation?(result: ConfigTextValidation): void;
  /** CSS height of the editor (and the side panel); default 520 (px). */
  height?: number | string;
  className?: string;
  readOnly?: boolean;
  ariaLabel?: string;
  /** Whether the JSONata panel starts open (the user toggles it); default true. */
  defaultExpressionPanel?: boolean;
  ref?: Ref<ConfigEditorHandle>;
}

export interface JsonDiffEditorProps {
  original: string;
  modified: string;
  /** CSS height; default 420 (px). */
  height?: number | string;
  className?: string;
  /** Side by side (default) or inline. */
  sideBySide?: boolean;
  /** Language of both sides; default "json". */
  language?: string;
  ariaLabel?: string;
}
