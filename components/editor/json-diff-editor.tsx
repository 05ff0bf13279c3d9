"use client";

import type * as Monaco from "monaco-editor";
import { useEffect, useRef } from "react";
import { STUDIO_THEME } from "./jsonata-language";
import { createDiffEditor, monaco } from "./monaco-setup";
import type { JsonDiffEditorProps } from "./types";

/** A read-only Monaco diff of two texts (configuration versions). */
export function JsonDiffEditor({
  original,
  modified,
  height = 420,
  className,
  sideBySide = true,
  language = "json",
  ariaLabel = "Differences between two versions",
}: JsonDiffEditorProps) {
  const container = useRef<HTMLDivElement>(null);
  const diff = useRef<{
    editor: Monaco.editor.IStandaloneDiffEditor;
    original: Monaco.editor.ITextModel;
    modified: Monaco.editor.ITextModel;
    /** Scroll to the first change once the diff of new texts is computed. */
    revealPending: boolean;
  } | null>(null);
  const latest = useRef({ original, modified, sideBySide, ariaLabel });
  latest.current = { original, modified, sideBySide, ariaLabel };

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const initial = latest.current;
    // Not monaco.editor.createDiffEditor: see createDiffEditor for the Monaco bug it avoids.
    const editor = createDiffEditor(element, {
      theme: STUDIO_THEME,
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: initial.sideBySide,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      ariaLabel: initial.ariaLabel,
      renderOverviewRuler: false,
      renderLineHighlightOnlyWhenFocus: true,
    });
    // No URIs: diff models are private and never meet the JSON schemas or quick fixes.
    const originalModel = monaco.editor.createModel(initial.original, language);
    const modifiedModel = monaco.editor.createModel(initial.modified, language);
    // Our own view model, disposed by us: one made by setModel({ original, modified }) is never
    // disposed with the editor, so its diff, still computing when the editor goes (a quick close,
    // React's development double mount), found the models gone and threw "no diff result
    // available" as an uncaught error.
    const viewModel = editor.createViewModel({ original: originalModel, modified: modifiedModel });
    editor.setModel(viewModel);
    const current = {
      editor,
      original: originalModel,
      modified: modifiedModel,
      revealPending: true,
    };
    diff.current = current;
    // A diff opens at its first change, not at line 1.
    const updated = editor.onDidUpdateDiff(() => {
      if (!current.revealPending || (editor.getLineChanges()?.length ?? 0) === 0) return;
      current.revealPending = false;
      editor.revealFirstDiff();
    });
    return () => {
      diff.current = null;
      updated.dispose();
      viewModel.dispose();
      editor.dispose();
      originalModel.dispose();
      modifiedModel.dispose();
    };
  }, [language]);

  useEffect(() => {
    const current = diff.current;
    if (!current) return;
    const changed =
      current.original.getValue() !== original || current.modified.getValue() !== modified;
    if (!changed) return;
    current.revealPending = true;
    if (current.original.getValue() !== original) current.original.setValue(original);
    if (current.modified.getValue() !== modified) current.modified.setValue(modified);
  }, [original, modified]);

  useEffect(() => {
    diff.current?.editor.updateOptions({ renderSideBySide: sideBySide });
  }, [sideBySide]);

  return (
    <div
      ref={container}
      className={className}
      style={{ height: typeof height === "number" ? `${height}px` : height }}
      data-testid="json-diff-editor"
    />
  );
}
