"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { count } from "@/components/preview/format";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { StatusMessage } from "@/components/ui/status-message";
import type { UndoPreview } from "@/lib/server/imports/undo-service";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";
import { ConflictsTable, RemovesTable, RestoresTable } from "./undo-tables";

/** The undo door (the page hands its server action down). */
export type UndoImport = (input: {
  importId: string;
  removes: number;
  restores: number;
}) => Promise<StudioResult<{ undoId: string }>>;

const importLink = (id: string) => (
  <Link href={`/imports/${id}`} className="font-mono text-xs text-accent hover:underline">
    {id}
  </Link>
);

/** Says a list was cut for the page (the counts above cover all). */
function Cut({ shown, total }: { shown: number; total: number }) {
  if (shown >= total) return null;
  return (
    <p className="mt-2 text-xs text-muted">
      Showing the first {shown.toLocaleString("en-GB")} of {total.toLocaleString("en-GB")}.
    </p>
  );
}

/** The undo page: exactly what the undo does, or why it cannot; confirm runs it. */
export function UndoView({
  preview,
  undoImport,
}: {
  preview: UndoPreview;
  /** Undefined for a role that may not undo (support): the plan is shown, not offered. */
  undoImport?: UndoImport;
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [running, startUndo] = useTransition();
  const { import: imp, plan, refusal, totals } = preview;
  const blocked = refusal !== null || totals.conflicts > 0 || totals.entityConflicts > 0;
  const { removes, restores } = totals;

  function undo() {
    setError(null);
    startUndo(async () => {
      try {
        if (!undoImport) return;
        const result = await undoImport({ importId: imp.id, removes, restores });
        if (result.ok) router.push(`/imports/${result.data.undoId}`);
        else setError(result.message);
      } catch {
        setError("The undo failed on the server; nothing was written");
      }
    });
  }

  return (
    <main className="mx-auto max-w-5xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs
        items={[
          { label: "Home", href: "/" },
          { label: "Imports", href: "/imports" },
          { label: `Import ${imp.id.slice(0, 8)}`, href: `/imports/${imp.id}` },
          { label: "Undo" },
        ]}
      />
      <div className="mt-4">
        <PageHeader
          title="Undo import"
          description={
            <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              {importLink(imp.id)}
              <span>
                {imp.trigger} · {formatDateTime(imp.startedAt)}
              </span>
              <Badge tone={imp.status === "applied" ? "success" : "neutral"}>{imp.status}</Badge>
            </span>
          }
          actions={
            undoImport ? (
              <Button variant="danger" disabled={blocked} onClick={() => setConfirming(true)}>
                Undo import…
              </Button>
            ) : (
              <span data-testid="undo-not-allowed" className="text-sm text-muted">
                Undoing an import needs a consultant or admin
              </span>
            )
          }
        />
      </div>
      <div className="mt-6 flex flex-col gap-3 text-sm">
        {imp.undoOf ? (
          <p>
            This import is itself the undo of {importLink(imp.undoOf)}: undoing it brings that
            import’s changes back.
          </p>
        ) : null}
        {refusal ? <StatusMessage tone="error">{refusal}</StatusMessage> : null}
        {imp.undoneBy && refusal ? <p>See the undo: {importLink(imp.undoneBy)}</p> : null}
        {totals.conflicts > 0 ? (
          <StatusMessage tone="error">
            This import cannot be undone:{" "}
            {count(totals.conflicts, "of its readings", "of its readings")} changed since. Undo the
            later imports first (newest first), or leave it.
          </StatusMessage>
        ) : null}
        {totals.entityConflicts > 0 ? (
          <StatusMessage tone="error">
            This import cannot be undone:{" "}
            {count(totals.entityConflicts, "of its entities", "of its entities")} changed since.
            Undo the later imports first (newest first), or leave it.
          </StatusMessage>
        ) : null}
        {plan && !blocked ? (
          <p data-testid="undo-summary">
            The undo removes {count(removes, "reading")} the import created and restores{" "}
            {count(restores, "reading")} it updated or deleted, as its audit kept them, in one
            transaction. It is recorded as an import of its own, so it can be undone too.{" "}
            {totals.entityRemoves + totals.entityRestores > 0
              ? `It also removes ${count(totals.entityRemoves, "entity", "entities")} the import created and restores ${count(totals.entityRestores, "entity", "entities")} it changed, deleted or purged (with their relations).`
              : "It created, changed or deleted no entities."}
          </p>
        ) : null}
      </div>
      {plan && totals.conflicts > 0 ? (
        <Section id="undo-conflicts" title="Readings that stop the undo">
          <ConflictsTable plan={plan} />
          <Cut shown={plan.conflicts.length} total={totals.conflicts} />
        </Section>
      ) : null}
      {plan && totals.entityConflicts > 0 ? (
        <Section id="undo-entity-conflicts" title="Entities that stop the undo">
          <ul className="flex flex-col gap-1 text-sm" data-testid="undo-entity-conflicts">
            {plan.entityChanges.conflicts.map((c) => (
              <li key={c.entity_id}>
                <span className="font-medium">{c.entity_schema || "entity"}</span>{" "}
                <span className="font-mono text-xs">{c.entity_id}</span>: {c.reason}
                {c.import_id ? <> (import {importLink(c.import_id)})</> : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
      {plan && !blocked ? (
        <>
          <Section
            id="undo-removes"
            title={`Removes ${count(removes, "reading")}`}
            description="Created by the import; deleted by the undo."
          >
            <RemovesTable rows={plan.removes} entities={plan.entities} />
            <Cut shown={plan.removes.length} total={removes} />
          </Section>
          <Section
            id="undo-restores"
            title={`Restores ${count(restores, "reading")}`}
            description="Updated or deleted by the import; put back as they were before it."
          >
            <RestoresTable rows={plan.restores} entities={plan.entities} />
            <Cut shown={plan.restores.length} total={restores} />
          </Section>
        </>
      ) : null}
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Undo this import?"
        description={
          <>
            Removes {count(removes, "reading")} and restores {count(restores, "reading")}
            {totals.entityRemoves + totals.entityRestores > 0
              ? `, and removes ${count(totals.entityRemoves, "entity", "entities")} and restores ${count(totals.entityRestores, "entity", "entities")}`
              : ""}
            , in one transaction.
          </>
        }
      >
        {error ? <StatusMessage tone="error">{error}</StatusMessage> : null}
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button variant="danger" disabled={running} onClick={undo} data-autofocus>
            {running ? "Undoing…" : `Remove ${removes} and restore ${restores}`}
          </Button>
        </DialogActions>
      </Dialog>
    </main>
  );
}
