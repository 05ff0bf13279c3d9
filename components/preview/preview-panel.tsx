"use client";

import type { ReactNode } from "react";
import type { PreviewOutcome } from "@/lib/server/studio/studio-preview-service";
import type { LoadStoredReading } from "./decision-drawer";
import type { LoadStoredEntity } from "./entity-drawer";
import { Notice } from "./notice";
import { PlanView } from "./plan-view";
import { ValidationSummary } from "./validation-summary";

/**
 * The live preview of the draft against the selected sample: while a new plan is computed the
 * last one stays, dimmed, so the page never jumps.
 */
export function PreviewPanel({
  outcome,
  pending,
  error,
  empty,
  load,
  loadEntity,
  tableHeight = "26rem",
}: {
  outcome: PreviewOutcome | null;
  pending: boolean;
  error: string | null;
  /** Shown instead of a preview, e.g. when there is no sample. */
  empty?: ReactNode;
  load: LoadStoredReading;
  /** Loads a stored entity that a relation in the plan names (the studio). */
  loadEntity?: LoadStoredEntity;
  tableHeight?: string;
}) {
  const status = (
    <div className="flex min-h-5 items-center gap-2 text-xs text-muted">
      {error ? (
        <span role="alert" className="text-red-700">
          The preview failed: {error}
        </span>
      ) : pending ? (
        <span role="status" className="flex items-center gap-1.5">
          <span className="size-2 animate-pulse rounded-full bg-accent" aria-hidden="true" />
          Updating the preview…
        </span>
      ) : outcome?.kind === "plan" ? (
        <span>Dry run in {outcome.ms} ms · nothing written</span>
      ) : null}
    </div>
  );
  let body: ReactNode;
  if (empty) body = <Notice tone="info">{empty}</Notice>;
  else if (!outcome)
    body = <p className="py-10 text-center text-sm text-muted">Computing the preview…</p>;
  else if (outcome.kind === "json") {
    body = (
      <Notice tone="error">
        {outcome.target === "config" ? "The draft" : "The sample"} is not valid{" "}
        {outcome.format === "xml" ? "XML" : "JSON"}: {outcome.message}. The preview resumes once it
        parses.
      </Notice>
    );
  } else if (outcome.kind === "invalid")
    body = <ValidationSummary validation={outcome.validation} />;
  else
    body = (
      <PlanView
        plan={outcome}
        load={load}
        loadEntity={loadEntity}
        tableHeight={tableHeight}
        status={status}
      />
    );
  const planShown = !empty && outcome?.kind === "plan";

  return (
    <div className="relative flex flex-col gap-2" aria-busy={pending}>
      {planShown ? null : <div className="flex justify-end">{status}</div>}
      <div
        data-testid="preview-body"
        className={`transition-opacity ${pending && outcome ? "opacity-50" : "opacity-100"}`}
      >
        {body}
      </div>
    </div>
  );
}
