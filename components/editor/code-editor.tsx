"use client";

import type * as Monaco from "monaco-editor";
import { type Ref, useEffect, useImperativeHandle, useRef, useState } from "react";
import type { EditorMarker } from "@/lib/studio/editor-markers";
import { STUDIO_THEME } from "./jsonata-language";
import { monaco } from "./monaco-setup";
import { MARKER_OWNER } from "./quick-fix-provider";
import type { JsonEditorHandle } from "./types";

/** "edit": typed, pasted, undone or applied through the handle; "value": the `value` prop synced in. */
export type ChangeOrigin = "edit" | "value";

export interface CodeEditorProps {
  value: string;
  onChange?(value: string, origin: ChangeOrigin): void;
  modelUri: string;
  language: string;
  markers?: readonly EditorMarker[];
  height?: number | string;
  className?: string;
  readOnly?: boolean;
  onCursorOffset?(offset: number): void;
  ariaLabel: string;
  options?: Monaco.editor.IStandaloneEditorConstructionOptions;
  ref?: Ref<JsonEditorHandle>;
}

// A parent more than this many keystrokes behind is not a thing; large samples make each entry big.
const MAX_REPORTED = 20;

const SEVERITY: Record<EditorMarker["severity"], Monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
  hint: monaco.MarkerSeverity.Hint,
};

function toMarkerData(
  model: Monaco.editor.ITextModel,
  marker: EditorMarker,
): Monaco.editor.IMarkerData {
  const start = model.getPositionAt(marker.startOffset);
  const end = model.getPositionAt(Math.max(marker.endOffset, marker.startOffset));
  const data: Monaco.editor.IMarkerData = {
    severity: SEVERITY[marker.severity],
    message: marker.message,
    startLineNumber: start.lineNumber,
    startColumn: start.column,
    endLineNumber: end.lineNumber,
    endColumn: end.column,
  };
  if (marker.code) data.code = marker.code;
  return data;
}

/** The Monaco editor behind JsonEditor and the JSONata panel: one model per `modelUri`. */
export function CodeEditor({
  value,
  onChange,
  modelUri,
  language,
  markers,
  height = 420,
  className,
  readOnly = false,
  onCursorOffset,
  ariaLabel,
  options,
  ref,
}: CodeEditorProps) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Monaco.editor.IStandaloneCodeEditor | null>(null);
  // The mounted editor as state too, so effects that configure it rerun when it is recreated.
  const [mounted, setMounted] = useState<Monaco.editor.IStandaloneCodeEditor | null>(null);
  // Texts this editor reported through onChange that the parent may not have rendered yet. React
  // renders after native keyboard events asynchronously, so a `value` prop can arrive a keystroke
  // late; pushing it into the model would drop what was typed since.
  const reported = useRef<string[]>([]);
  const syncing = useRef(false);
  const latest = useRef({ onChange, onCursorOffset, value });
  latest.current = { onChange, onCursorOffset, value };
  const initialOptions = useRef({ readOnly, ariaLabel, options });

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const uri = monaco.Uri.parse(modelUri);
    const model =
      monaco.editor.getModel(uri) ?? monaco.editor.createModel(latest.current.value, language, uri);
    if (model.getLanguageId() !== language) monaco.editor.setModelLanguage(model, language);
    if (model.getValue() !== latest.current.value) model.setValue(latest.current.value);
    const { readOnly: ro, ariaLabel: label, options: extra } = initialOptions.current;
    const editor = monaco.editor.create(element, {
      model,
      theme: STUDIO_THEME,
      automaticLayout: true,
      readOnly: ro,
      ariaLabel: label,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      tabSize: 2,
      renderLineHighlight: "line",
      renderLineHighlightOnlyWhenFocus: true,
      overviewRulerBorder: false,
      hideCursorInOverviewRuler: true,
      fixedOverflowWidgets: true,
      lightbulb: { enabled: monaco.editor.ShowLightbulbIconMode.On },
      ...extra,
    });
    editorRef.current = editor;
    setMounted(editor);
    const subscriptions = [
      editor.onDidChangeModelContent(() => {
        const text = model.getValue();
        if (syncing.current) {
          latest.current.onChange?.(text, "value");
          return;
        }
        reported.current.push(text);
        if (reported.current.length > MAX_REPORTED) reported.current.shift();
        latest.current.onChange?.(text, "edit");
      }),
      editor.onDidChangeCursorPosition((e) => {
        latest.current.onCursorOffset?.(model.getOffsetAt(e.position));
      }),
    ];
    // Monaco scrolls virtually; the browser scrolling its overflow-hidden viewport natively (a
    // scroll-into-view of a half-visible token, as Playwright's click does) would shift the text
    // and scrollbars off their places until a reload.
    const viewport = element.querySelector<HTMLElement>(".editor-scrollable");
    const unscroll = () => {
      if (viewport && (viewport.scrollLeft !== 0 || viewport.scrollTop !== 0)) {
        viewport.scrollLeft = 0;
        viewport.scrollTop = 0;
      }
    };
    viewport?.addEventListener("scroll", unscroll);
    return () => {
      viewport?.removeEventListener("scroll", unscroll);
      for (const s of subscriptions) s.dispose();
      editorRef.current = null;
      setMounted(null);
      editor.dispose();
      model.dispose();
    };
  }, [modelUri, language]);

  // A `value` from outside (another version loaded, a reset) replaces the text as one undoable
  // edit, reported through onChange like any edit; a late echo of our own text is ignored.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    if (model.getValue() === value) {
      reported.current = [];
      return;
    }
    if (reported.current.includes(value)) return;
    syncing.current = true;
    try {
      editor.pushUndoStop();
      editor.executeEdits("value", [{ range: model.getFullModelRange(), text: value }]);
      editor.pushUndoStop();
    } finally {
      syncing.current = false;
    }
  }, [value]);

  useEffect(() => {
    const model = mounted?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      (markers ?? []).map((m) => toMarkerData(model, m)),
    );
  }, [markers, mounted]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly, ariaLabel });
  }, [readOnly, ariaLabel]);

  useImperativeHandle(
    ref,
    (): JsonEditorHandle => ({
      applyEdits(edits) {
        const editor = editorRef.current;
        const model = editor?.getModel();
        if (!editor || !model || edits.length === 0) return;
        editor.pushUndoStop();
        editor.executeEdits(
          "mms",
          edits.map((e) => ({
            range: monaco.Range.fromPositions(
              model.getPositionAt(e.offset),
              model.getPositionAt(e.offset + e.length),
            ),
            text: e.content,
          })),
        );
        editor.pushUndoStop();
      },
      revealRange(startOffset, endOffset, options = {}) {
        const editor = editorRef.current;
        const model = editor?.getModel();
        if (!editor || !model) return;
        const range = monaco.Range.fromPositions(
          model.getPositionAt(startOffset),
          model.getPositionAt(endOffset),
        );
        editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Smooth);
        if (options.select !== false) editor.setSelection(range);
        if (options.focus !== false) editor.focus();
      },
      focus() {
        editorRef.current?.focus();
      },
      getValue() {
        return editorRef.current?.getModel()?.getValue() ?? latest.current.value;
      },
      hasTextFocus() {
        return editorRef.current?.hasTextFocus() ?? false;
      },
      getEditor() {
        return editorRef.current;
      },
    }),
    [],
  );

  return (
    <div
      ref={container}
      className={className}
      style={{ height: typeof height === "number" ? `${height}px` : height }}
      data-testid="monaco-editor"
      data-model-uri={modelUri}
    />
  );
}
