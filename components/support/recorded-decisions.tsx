"use client";

import { parseAsInteger, parseAsString, useQueryStates } from "nuqs";
import { type FormEvent, useCallback, useState, useTransition } from "react";
import { supportStoredReadingAction } from "@/app/imports/[id]/actions";
import { ACTIONS } from "@/components/preview/action-badge";
import { DecisionDrawer } from "@/components/preview/decision-drawer";
import { type DecisionRow, DecisionsTable } from "@/components/preview/decisions-table";
import { DeletionsTable } from "@/components/preview/deletions-table";
import { Button } from "@/components/ui/button";

const keys = {
  daction: parseAsString,
  dcode: parseAsString,
  dmeter: parseAsString,
  doffset: parseAsInteger,
};

const control =
  "block h-9 w-full rounded-md border border-line bg-panel px-2.5 text-sm text-ink shadow-xs focus:outline-2 focus:outline-accent";

const load = (readingId: string) => supportStoredReadingAction({ readingId });

/**
 * An import's recorded decisions in the studio preview's table and drawer, filtered on the
 * server (action, code, meter; kept in the URL) and paged 500 at a time.
 */
export function RecordedDecisions({
  rows,
  matching,
  offset,
  pageSize,
  pruned,
  prunedCount,
}: {
  rows: DecisionRow[];
  matching: number;
  offset: number;
  pageSize: number;
  pruned: DecisionRow[];
  prunedCount: number;
}) {
  const [pending, start] = useTransition();
  const [q, setQ] = useQueryStates(keys, { shallow: false, startTransition: start, scroll: false });
  const [open, setOpen] = useState<DecisionRow | null>(null);
  const close = useCallback(() => setOpen(null), []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (k: string) => String(form.get(k) ?? "").trim() || null;
    void setQ({
      daction: value("daction"),
      dcode: value("dcode"),
      dmeter: value("dmeter"),
      doffset: null,
    });
  }

  const last = Math.min(offset + rows.length, matching);
  return (
    <div>
      <form
        onSubmit={submit}
        key={JSON.stringify(q)}
        aria-label="Decision filters"
        aria-busy={pending}
        className="mb-3 grid grid-cols-2 gap-3 sm:grid-cols-4"
      >
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Action
          <select name="daction" defaultValue={q.daction ?? ""} className={control}>
            <option value="">All</option>
            {ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Code
          <input name="dcode" defaultValue={q.dcode ?? ""} className={`${control} font-mono`} />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-muted">
          Meter
          <input
            name="dmeter"
            defaultValue={q.dmeter ?? ""}
            placeholder="e.g. M001"
            className={control}
          />
        </label>
        <div className="flex items-end">
          <Button type="submit" size="sm" variant="secondary" disabled={pending}>
            {pending ? "Filtering…" : "Filter decisions"}
          </Button>
        </div>
      </form>
      <p className="mb-2 text-sm text-muted" role="status">
        {matching === 0
          ? "No decision matches."
          : `Decisions ${(offset + 1).toLocaleString("en-GB")}–${last.toLocaleString("en-GB")} of ${matching.toLocaleString("en-GB")}`}
      </p>
      <DecisionsTable rows={rows} onOpen={setOpen} height="30rem" empty="No decision matches" />
      {matching > pageSize ? (
        <div className="mt-2 flex gap-2">
          <Button
            size="sm"
            disabled={offset === 0 || pending}
            onClick={() => void setQ({ doffset: Math.max(0, offset - pageSize) || null })}
          >
            Previous {pageSize}
          </Button>
          <Button
            size="sm"
            disabled={last >= matching || pending}
            onClick={() => void setQ({ doffset: offset + pageSize })}
          >
            Next {pageSize}
          </Button>
        </div>
      ) : null}
      {prunedCount > 0 ? (
        <section aria-labelledby="pruned-heading" className="mt-6">
          <h3 id="pruned-heading" className="mb-2 text-sm font-semibold text-rose-800">
            Prune deletions ({prunedCount.toLocaleString("en-GB")})
          </h3>
          <DeletionsTable rows={pruned} onOpen={setOpen} height="16rem" />
        </section>
      ) : null}
      <DecisionDrawer decision={open?.decision ?? null} onClose={close} load={load} />
    </div>
  );
}
