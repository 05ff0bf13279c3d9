"use client";

import { useEffect, useState, useTransition } from "react";
import { count } from "@/components/preview/format";
import { SummaryChips } from "@/components/preview/summary-chips";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { formatDateTime } from "@/components/ui/format";
import { StatusMessage } from "@/components/ui/status-message";
import type { PlanSummary } from "@/lib/engine/types";
import type { PlannedApply, PublishedVersionRef } from "@/lib/server/studio/studio-preview-service";
import type { UseCaseRef } from "@/lib/server/studio/studio-use-case-service";
import { applyAction, planApplyAction } from "./actions";

interface Applied {
  importId: string;
  version: PublishedVersionRef;
  summary: PlanSummary;
  durationMs: number;
}

/**
 * Apply: the sample runs as a real import with the latest published version (never the draft).
 * A dry run first says what it will do, deletions above all; only then is anything written.
 */
export function ApplyDialog({
  studioRef,
  sampleName,
  payloadText,
  payloadFormat,
  draftPublished,
  onClose,
  onApplied,
}: {
  studioRef: UseCaseRef;
  sampleName: string;
  payloadText: string;
  /** An XML sample is converted on the server, as the events route converts it. */
  payloadFormat: "json" | "xml";
  draftPublished: boolean;
  onClose: () => void;
  onApplied: (applied: Applied) => void;
}) {
  const [planned, setPlanned] = useState<PlannedApply | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A refused apply (another version, or the stored data changed) asks for a fresh dry run.
  const [stale, setStale] = useState(false);
  const [round, setRound] = useState(0);
  const [applying, startApply] = useTransition();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks for a fresh dry run.
  useEffect(() => {
    let live = true;
    planApplyAction({ ...studioRef, payloadText, format: payloadFormat }).then(
      (result) => {
        if (!live) return;
        if (result.ok) setPlanned(result.data);
        else setError(result.message);
      },
      () => live && setError("The dry run failed; try again"),
    );
    return () => {
      live = false;
    };
  }, [studioRef, payloadText, payloadFormat, round]);

  function checkAgain() {
    setPlanned(null);
    setError(null);
    setStale(false);
    setRound((n) => n + 1);
  }

  function apply() {
    if (!planned) return;
    setError(null);
    startApply(async () => {
      try {
        // The plan as confirmed: the server refuses the import if it would now do anything else.
        const result = await applyAction({
          ...studioRef,
          payloadText,
          format: payloadFormat,
          versionId: planned.version.id,
          confirmed: { fingerprint: planned.fingerprint, summary: planned.summary },
        });
        if (result.ok) {
          setApplied(result.data);
          onApplied(result.data);
        } else {
          setError(result.message);
          setStale(result.code === "CONFLICT");
        }
      } catch {
        setError("The import failed on the server; nothing was written");
      }
    });
  }

  const deletes = planned?.summary.delete ?? 0;
  const entityDeletes = planned?.entityDeletions;
  const version = applied?.version ?? planned?.version;

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={applied ? "Sample applied" : "Apply sample"}
      description={
        version ? (
          <>
            {applied ? "Ran" : "Runs"} “{sampleName}” as a real import with{" "}
            <strong>v{version.version}</strong>, the latest published version (
            {formatDateTime(version.publishedAt)}
            {version.message ? `, “${version.message}”` : ""}).
            {draftPublished ? "" : " Your draft has unpublished changes; they are not used."}
          </>
        ) : (
          <>Runs “{sampleName}” as a real import with the latest published version.</>
        )
      }
    >
      {applied ? (
        <div className="flex flex-col gap-3" data-testid="apply-result">
          <StatusMessage tone="success">
            Import <code className="font-mono text-xs">{applied.importId}</code> written in{" "}
            {applied.durationMs} ms. The preview now runs against the new stored state.
          </StatusMessage>
          <SummaryChips summary={applied.summary} pruned={planned?.pruned ?? 0} />
          <DialogActions>
            <Button variant="primary" onClick={onClose} data-autofocus>
              Done
            </Button>
          </DialogActions>
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          {!planned && !error ? (
            <p role="status" className="text-sm text-muted">
              Working out what the import will do…
            </p>
          ) : null}
          {planned ? (
            <>
              <p className="text-sm">This import will:</p>
              <SummaryChips summary={planned.summary} pruned={planned.pruned} />
              {deletes > 0 ? (
                <div
                  role="alert"
                  data-testid="apply-deletions"
                  className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
                >
                  <strong className="font-semibold">
                    {count(deletes, "stored reading")} will be deleted
                  </strong>
                  {planned.pruned > 0 ? ` (${planned.pruned} by pruning)` : ""}. This cannot be
                  undone from the studio.
                </div>
              ) : (
                <p className="text-sm text-muted">No stored reading is deleted.</p>
              )}
              {entityDeletes && entityDeletes.total > 0 ? (
                <div
                  role="alert"
                  data-testid="apply-entity-deletions"
                  className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
                >
                  <strong className="font-semibold">
                    {count(entityDeletes.total, "stored entity", "stored entities")} will be deleted
                  </strong>
                  {entityDeletes.pruned > 0 ? ` (${entityDeletes.pruned} by pruning)` : ""}
                  {entityDeletes.purged > 0
                    ? `, ${entityDeletes.purged.toLocaleString("en-GB")} of them purged for good (a purged meter or counter takes its readings with it)`
                    : ""}
                  . A soft delete can be restored for 30 days; undoing the import puts purged ones
                  back too.
                </div>
              ) : null}
            </>
          ) : null}
          {error ? <StatusMessage tone="error">{error}</StatusMessage> : null}
          <DialogActions>
            <Button onClick={onClose}>Cancel</Button>
            {stale ? (
              <Button variant="primary" onClick={checkAgain}>
                Check again
              </Button>
            ) : null}
            <Button
              variant={deletes > 0 || (entityDeletes?.total ?? 0) > 0 ? "danger" : "primary"}
              disabled={!planned || applying || stale}
              onClick={apply}
            >
              {applying
                ? "Applying…"
                : deletes > 0
                  ? `Delete ${deletes.toLocaleString("en-GB")} and apply`
                  : "Apply sample"}
            </Button>
          </DialogActions>
        </div>
      )}
    </Dialog>
  );
}
