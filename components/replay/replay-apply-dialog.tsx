"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { count } from "@/components/preview/format";
import { SummaryChips } from "@/components/preview/summary-chips";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { StatusMessage } from "@/components/ui/status-message";
import type { ReplayConfirmation, ReplayPreview } from "@/lib/server/imports/replay-service";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";

/** The apply door (the page hands its server action down). */
export type ApplyReplay = (
  input: ReplayConfirmation & {
    id: string;
    versionId: string | null;
    draftUpdatedAt: string | null;
  },
) => Promise<StudioResult<{ importId: string }>>;

/**
 * The confirmation of a replay: what the import will write, deletions above all; the server
 * writes only this plan (its fingerprint goes along) with this configuration, else nothing.
 */
export function ReplayApplyDialog({
  id,
  preview,
  applyReplay,
  onClose,
}: {
  id: string;
  preview: ReplayPreview;
  applyReplay: ApplyReplay;
  onClose: () => void;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [applying, startApply] = useTransition();
  const { summary, pruned } = preview.plan;
  const deletes = summary.delete;

  function apply() {
    setError(null);
    startApply(async () => {
      try {
        const result = await applyReplay({
          id,
          choice: preview.config.choice,
          versionId: preview.config.version?.id ?? null,
          draftUpdatedAt: preview.config.draftUpdatedAt,
          confirmed: { fingerprint: preview.fingerprint, summary },
        });
        if (result.ok) {
          router.push(`/imports/${result.data.importId}`);
        } else {
          setError(result.message);
          setStale(result.code === "CONFLICT");
        }
      } catch {
        setError("The replay failed on the server; nothing was written");
      }
    });
  }

  const version = preview.config.version;
  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title="Apply the replay"
      description={
        <>
          Runs the event’s payload again as a real import with{" "}
          <strong>
            {version ? `v${version.version}, the published version` : "the current draft"}
          </strong>
          , linked to the event{preview.original ? " and to the original import" : ""}.
        </>
      }
    >
      <div className="flex flex-col gap-3">
        <p className="text-sm">This import will:</p>
        <SummaryChips summary={summary} pruned={pruned} />
        {deletes > 0 ? (
          <div
            role="alert"
            data-testid="replay-deletions"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            <strong className="font-semibold">
              {count(deletes, "stored reading")} will be deleted
            </strong>
            {pruned > 0 ? ` (${pruned} by pruning)` : ""}. The import’s audit keeps them, so it can
            be undone.
          </div>
        ) : (
          <p className="text-sm text-muted">No stored reading is deleted.</p>
        )}
        {error ? <StatusMessage tone="error">{error}</StatusMessage> : null}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          {stale ? (
            <Button variant="primary" onClick={() => router.refresh()}>
              Check again
            </Button>
          ) : null}
          <Button
            variant={deletes > 0 ? "danger" : "primary"}
            disabled={applying || stale}
            onClick={apply}
            data-autofocus
          >
            {applying
              ? "Applying…"
              : deletes > 0
                ? `Delete ${deletes.toLocaleString("en-GB")} and apply`
                : "Apply replay"}
          </Button>
        </DialogActions>
      </div>
    </Dialog>
  );
}
