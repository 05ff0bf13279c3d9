"use client";

import { useEffect, useMemo, useState } from "react";
import { checkJsonataSyntax } from "@/lib/engine/bounded-jsonata";
import type { EditorMarker } from "@/lib/studio/editor-markers";
import {
  type ExpressionResult,
  evaluateExpression,
  formatResult,
} from "@/lib/studio/evaluate-expression";
import type { ExpressionTarget } from "@/lib/studio/expression-target";
import { CodeEditor } from "./code-editor";
import { JSONATA_LANGUAGE_ID } from "./jsonata-language";

export interface ExpressionPanelProps {
  /** The expression under the main editor's cursor; null shows how to pick one. */
  target: ExpressionTarget | null;
  /** The selected sample payload, parsed (undefined: no sample). */
  sample: unknown;
  /** Writes the edited expression back into the configuration. */
  onChange(expression: string): void;
  /** Model URI of the panel's own editor. */
  modelUri: string;
  readOnly?: boolean;
  /** CSS height of the whole panel. */
  height?: number | string;
  onClose?(): void;
}

const EVALUATE_DELAY_MS = 150;

function scopeNote(target: ExpressionTarget): string {
  if (target.scope === "root") return "Evaluated on the root payload";
  return "Evaluated on the first extracted item, $$ = the root payload";
}

/** The JSONata expression under the cursor, editable, with its result on the sample. */
export function ExpressionPanel({
  target,
  sample,
  onChange,
  modelUri,
  readOnly,
  height = 520,
  onClose,
}: ExpressionPanelProps) {
  const [result, setResult] = useState<ExpressionResult | null>(null);
  const expression = target?.expression;
  const scope = target?.scope;
  const extraction = target?.extraction;

  useEffect(() => {
    if (expression === undefined || scope === undefined || sample === undefined) {
      setResult(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      evaluateExpression({ expression, scope, extraction }, sample).then((r) => {
        if (current) setResult(r);
      });
    }, EVALUATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [expression, scope, extraction, sample]);

  const markers = useMemo((): EditorMarker[] => {
    const problem = expression === undefined ? null : checkJsonataSyntax(expression);
    if (!problem) return [];
    return [
      {
        startOffset: problem.start,
        endOffset: problem.end,
        severity: "error",
        message: problem.message,
        code: "JSONATA_SYNTAX",
      },
    ];
  }, [expression]);

  return (
    <section
      aria-label="JSONata expression"
      className="flex min-w-0 flex-col overflow-hidden rounded-md border border-line bg-panel"
      style={{ height: typeof height === "number" ? `${height}px` : height }}
    >
      <header className="flex items-start justify-between gap-2 border-b border-line px-3 py-2">
        <div className="min-w-0">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">JSONata</h3>
          <p className="truncate font-mono text-xs text-ink" title={target?.label}>
            {target ? target.label : "No expression selected"}
          </p>
        </div>
        {onClose ? (
          <button
            type="button"
            onClick={onClose}
            aria-label="Close the JSONata panel"
            className="rounded px-1.5 text-sm text-muted hover:bg-surface hover:text-ink"
          >
            ×
          </button>
        ) : null}
      </header>
      {target ? (
        <>
          <CodeEditor
            value={target.expression}
            // Only what the user types goes back into the configuration; the panel following the
            // main editor (one render late while typing there) must never write back.
            onChange={(next, origin) => {
              if (origin === "edit") onChange(next);
            }}
            modelUri={modelUri}
            language={JSONATA_LANGUAGE_ID}
            markers={markers}
            height={140}
            readOnly={readOnly}
            ariaLabel={`JSONata expression ${target.label}`}
            className="border-b border-line"
            options={{
              lineNumbers: "off",
              wordWrap: "on",
              folding: false,
              glyphMargin: false,
              lineDecorationsWidth: 10,
              padding: { top: 6, bottom: 6 },
              renderLineHighlight: "none",
              scrollbar: { vertical: "auto", horizontal: "hidden" },
              overviewRulerLanes: 0,
            }}
          />
          <div className="flex min-h-0 flex-1 flex-col px-3 py-2">
            <p className="text-xs text-muted">
              {scopeNote(target)}
              {result ? <span className="block truncate">On {result.input}</span> : null}
            </p>
            <ResultView result={result} hasSample={sample !== undefined} />
          </div>
        </>
      ) : (
        <p className="px-3 py-3 text-sm text-muted">
          Put the cursor in a <code className="font-mono">jsonataExpression</code>, an{" "}
          <code className="font-mono">enabled</code> condition or a JSONata{" "}
          <code className="font-mono">field</code> to edit it here and see its result on the sample.
        </p>
      )}
    </section>
  );
}

function ResultView({
  result,
  hasSample,
}: {
  result: ExpressionResult | null;
  hasSample: boolean;
}) {
  if (!hasSample) {
    return <p className="mt-2 text-sm text-muted">Select a sample payload to see the result.</p>;
  }
  if (!result) return <p className="mt-2 text-sm text-muted">Evaluating…</p>;
  if (!result.ok) {
    return (
      <p
        role="alert"
        className="mt-2 font-mono text-xs text-red-700"
        data-testid="expression-error"
      >
        {result.message}
      </p>
    );
  }
  return (
    <pre
      data-testid="expression-result"
      className="mt-2 min-h-0 flex-1 overflow-auto rounded bg-surface p-2 font-mono text-xs text-ink"
    >
      {formatResult(result.value)}
    </pre>
  );
}
