"use client";

import {
  type CSSProperties,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from "react";
import type { ConfigProblem } from "@/lib/engine/config-problems";
import { configJsonSchema } from "@/lib/engine/config-schema";
import { configMarkers, type EditorMarker } from "@/lib/studio/editor-markers";
import { editorSchema } from "@/lib/studio/editor-schema";
import {
  expressionTargetAt,
  expressionTargetAtPath,
  replaceExpressionEdit,
} from "@/lib/studio/expression-target";
import type { Segment } from "@/lib/studio/json-document";
import { locateProblems } from "@/lib/studio/problem-ranges";
import { validateConfigText } from "@/lib/studio/validate-config-text";
import { ExpressionPanel } from "./expression-panel";
import { JsonEditor } from "./json-editor";
import { monaco } from "./monaco-setup";
import { registerConfigModel } from "./quick-fix-provider";
import type { ConfigEditorHandle, ConfigEditorProps, JsonEditorHandle } from "./types";

const VALIDATE_DELAY_MS = 150;

const samePath = (a: readonly Segment[] | null, b: readonly Segment[] | null) =>
  a === b || (a !== null && b !== null && a.length === b.length && a.every((s, i) => s === b[i]));

/**
 * The mapping-configuration editor: JSON with the configuration's schema (hovers, completion), the
 * engine's validation as markers at their exact ranges, quick fixes, and the JSONata panel.
 */
export function ConfigEditor({
  value,
  onChange,
  modelUri,
  sample,
  onValidation,
  height = 520,
  className,
  readOnly = false,
  ariaLabel = "Mapping configuration",
  defaultExpressionPanel = true,
  ref,
}: ConfigEditorProps) {
  const editor = useRef<JsonEditorHandle>(null);
  const schema = useMemo(() => editorSchema(configJsonSchema()), []);
  // The text as the editor has it (every change, outside ones included, comes through onChange):
  // ahead of `value` until the parent re-renders with it.
  const [text, setText] = useState(value);
  const [markers, setMarkers] = useState<readonly EditorMarker[]>([]);
  const problems = useRef<readonly ConfigProblem[]>([]);
  const reportValidation = useRef(onValidation);
  reportValidation.current = onValidation;
  const [panelOpen, setPanelOpen] = useState(defaultExpressionPanel);
  const [targetPath, setTargetPath] = useState<Segment[] | null>(null);

  useEffect(
    () => registerConfigModel(monaco.Uri.parse(modelUri).toString(), () => problems.current),
    [modelUri],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      const result = validateConfigText(text);
      // While the JSON does not parse, Monaco marks the syntax error and our markers stay
      // where they were (Monaco moves them with the edits).
      if (result.validation) {
        const all = [...result.validation.errors, ...result.validation.warnings];
        problems.current = all;
        setMarkers(configMarkers(text, all));
      }
      reportValidation.current?.(result);
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const handleChange = useCallback(
    (next: string) => {
      setText(next);
      onChange(next);
    },
    [onChange],
  );

  // Only the user's own cursor moves pick the panel's expression; edits written back from the
  // panel move the cursor too, but the main editor has no focus then.
  const handleCursor = useCallback((offset: number) => {
    const handle = editor.current;
    if (!handle?.hasTextFocus()) return;
    const path = expressionTargetAt(handle.getValue(), offset)?.path ?? null;
    setTargetPath((current) => (samePath(current, path) ? current : path));
  }, []);

  const target = useMemo(
    () => (targetPath ? expressionTargetAtPath(text, targetPath) : null),
    [text, targetPath],
  );

  const writeBack = useCallback(
    (expression: string) => {
      const handle = editor.current;
      if (!handle || !targetPath || readOnly) return;
      // Read the target from the model itself: the rendered `text` may be a keystroke behind.
      const current = expressionTargetAtPath(handle.getValue(), targetPath);
      if (!current || current.expression === expression) return;
      handle.applyEdits([replaceExpressionEdit(current, expression)]);
    },
    [targetPath, readOnly],
  );

  useImperativeHandle(
    ref,
    (): ConfigEditorHandle => ({
      applyEdits: (edits) => editor.current?.applyEdits(edits),
      revealRange: (start, end, options) => editor.current?.revealRange(start, end, options),
      focus: () => editor.current?.focus(),
      getValue: () => editor.current?.getValue() ?? text,
      hasTextFocus: () => editor.current?.hasTextFocus() ?? false,
      getEditor: () => editor.current?.getEditor() ?? null,
      revealProblem(problem) {
        const handle = editor.current;
        if (!handle) return;
        const [range] = locateProblems(handle.getValue(), [problem]);
        if (range) handle.revealRange(range.startOffset, range.endOffset);
      },
    }),
    [text],
  );

  const expressionUri = useMemo(
    () => `inmemory://expression/${encodeURIComponent(modelUri)}.jsonata`,
    [modelUri],
  );

  const cssHeight = typeof height === "number" ? `${height}px` : height;

  // Beside or below by the editor's own width (a container query), not the viewport's: the studio
  // page gives the editor half a screen.
  return (
    <div
      className={`@container ${className ?? ""}`}
      style={{ "--mms-editor-height": cssHeight } as CSSProperties}
      data-testid="config-editor"
    >
      <div className="mb-2 flex items-center justify-end">
        <button
          type="button"
          aria-pressed={panelOpen}
          onClick={() => setPanelOpen((open) => !open)}
          className="rounded-md border border-line bg-panel px-2.5 py-1 text-xs font-medium text-muted hover:text-ink aria-pressed:border-accent aria-pressed:text-accent"
        >
          JSONata panel
        </button>
      </div>
      <div className="flex flex-col gap-3 @4xl:flex-row">
        <div className="min-w-0 flex-1 overflow-hidden rounded-md border border-line bg-panel">
          <JsonEditor
            ref={editor}
            value={value}
            onChange={handleChange}
            modelUri={modelUri}
            schema={schema}
            markers={markers}
            height={height}
            readOnly={readOnly}
            onCursorOffset={handleCursor}
            ariaLabel={ariaLabel}
          />
        </div>
        {panelOpen ? (
          <div className="h-[22rem] w-full @4xl:h-(--mms-editor-height) @4xl:w-[38%] @4xl:min-w-80 @4xl:max-w-xl">
            <ExpressionPanel
              target={target}
              sample={sample}
              onChange={writeBack}
              modelUri={expressionUri}
              readOnly={readOnly}
              height="100%"
              onClose={() => setPanelOpen(false)}
            />
          </div>
        ) : null}
      </div>
    </div>
  );
}
