"use client";

import { type ReactNode, useCallback, useId, useMemo, useState } from "react";
import type { Action } from "@/lib/engine/types";
import type { PreviewOutcome, PreviewPlan } from "@/lib/server/studio/studio-preview-service";
import { ACTIONS } from "./action-badge";
import { DecisionDrawer, type LoadStoredReading } from "./decision-drawer";
import { type DecisionRow, DecisionsTable } from "./decisions-table";
import { DeletionsTable } from "./deletions-table";
import { ErrorsTable } from "./errors-table";
import { ExtractedTable } from "./extracted-table";
import { count } from "./format";
import { ReadingsTable } from "./readings-table";
import { SummaryChips } from "./summary-chips";
import { ValidationSummary } from "./validation-summary";

type Tab = "decisions" | "readings" | "extracted" | "deletions" | "errors";

function Notice({ tone, children }: { tone: "error" | "warning" | "info"; children: ReactNode }) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-900",
    warning: "border-amber-300 bg-amber-50 text-amber-900",
    info: "border-line bg-stone-50 text-muted",
  }[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`rounded-lg border px-4 py-3 text-sm leading-relaxed ${styles}`}
    >
      {children}
    </div>
  );
}

function PlanView({
  plan,
  load,
  tableHeight,
  status,
}: {
  plan: PreviewPlan;
  load: LoadStoredReading;
  tableHeight: string;
  /** The refresh status, shown at the end of the summary row. */
  status: ReactNode;
}) {
  const tabsId = useId();
  const [tab, setTab] = useState<Tab>("decisions");
  const [filter, setFilter] = useState<Action | "all">("all");
  const [open, setOpen] = useState<DecisionRow | null>(null);

  const rows = useMemo(
    () => plan.decisions.map((decision, n): DecisionRow => ({ decision, n })),
    [plan.decisions],
  );
  const filtered = useMemo(
    () => (filter === "all" ? rows : rows.filter((r) => r.decision.action === filter)),
    [rows, filter],
  );
  const deletions = useMemo(() => {
    const all = rows.filter((r) => r.decision.action === "delete");
    return [
      ...all.filter((r) => r.decision.code === "PRUNED"),
      ...all.filter((r) => r.decision.code !== "PRUNED"),
    ];
  }, [rows]);
  const errors = useMemo(() => rows.filter((r) => r.decision.action === "error"), [rows]);
  const readingCount = useMemo(() => rows.filter((r) => r.decision.reading).length, [rows]);
  const itemCount = plan.extracted.reduce((n, l) => n + l.total, 0);

  const showProvisional = useCallback(
    (readingId: string) => {
      const created = rows.find((r) => r.decision.reading_id === readingId);
      if (created) setOpen(created);
    },
    [rows],
  );
  const selectAction = (action: Action | "all") => {
    setFilter(action);
    setTab("decisions");
  };

  const tabs: { id: Tab; label: string; n: number }[] = [
    { id: "decisions", label: "Decisions", n: plan.decisionsTotal },
    { id: "readings", label: "Readings", n: readingCount },
    { id: "extracted", label: "Extracted items", n: itemCount },
    { id: "deletions", label: "Deletions", n: plan.summary.delete },
    { id: "errors", label: "Errors", n: plan.summary.error },
  ];

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <SummaryChips
          summary={plan.summary}
          pruned={plan.pruned}
          selected={filter}
          onSelect={selectAction}
        />
        {status}
      </div>
      {plan.pruned > 0 && tab !== "deletions" ? (
        <Notice tone="warning">
          <strong className="font-semibold">
            {count(plan.pruned, "stored reading")} would be deleted by pruning
          </strong>{" "}
          (upsert-prune-scope): they are in a scope of this payload but not in the payload. Check
          the Deletions tab before publishing or applying.
        </Notice>
      ) : null}
      {plan.warnings.map((w) => (
        <Notice key={`${w.code}-${w.path}`} tone="info">
          <code className="font-mono text-xs">{w.code}</code> {w.message}
          {w.path ? <code className="ml-1 font-mono text-xs">({w.path})</code> : null}
        </Notice>
      ))}
      {plan.decisions.length < plan.decisionsTotal ? (
        <Notice tone="info">
          Showing the first {plan.decisions.length.toLocaleString("en-GB")} of{" "}
          {plan.decisionsTotal.toLocaleString("en-GB")} decisions; the counts above cover all.
        </Notice>
      ) : null}

      <div
        role="tablist"
        aria-label="Preview views"
        className="flex gap-1 overflow-x-auto border-b border-line"
      >
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${tabsId}-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${tabsId}-${t.id}-panel`}
            onClick={() => setTab(t.id)}
            className={`-mb-px flex shrink-0 items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap ${
              tab === t.id
                ? "border-accent text-ink"
                : "border-transparent text-muted hover:border-stone-300 hover:text-ink"
            }`}
          >
            {t.label}
            <span
              className={`rounded-full px-1.5 text-xs tabular-nums ${
                (t.id === "deletions" || t.id === "errors") && t.n > 0
                  ? t.id === "errors"
                    ? "bg-red-100 text-red-800"
                    : "bg-amber-100 text-amber-900"
                  : "bg-stone-100 text-muted"
              }`}
            >
              {t.n.toLocaleString("en-GB")}
            </span>
          </button>
        ))}
      </div>

      <div role="tabpanel" id={`${tabsId}-${tab}-panel`} aria-labelledby={`${tabsId}-${tab}`}>
        {tab === "decisions" ? (
          <div className="flex flex-col gap-2">
            <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
              <label className="flex items-center gap-2">
                <span className="text-muted">Show</span>
                <select
                  value={filter}
                  onChange={(e) => setFilter(e.target.value as Action | "all")}
                  className="h-8 rounded-md border border-stone-300 bg-panel px-2 text-sm"
                  aria-label="Filter decisions by action"
                >
                  <option value="all">
                    All actions ({plan.decisionsTotal.toLocaleString("en-GB")})
                  </option>
                  {ACTIONS.map((a) => (
                    <option key={a} value={a}>
                      {a} ({plan.summary[a].toLocaleString("en-GB")})
                    </option>
                  ))}
                </select>
              </label>
              <span className="text-xs text-muted">
                Select a row for its details and the stored reading it matched.
              </span>
            </div>
            <DecisionsTable
              rows={filtered}
              onOpen={setOpen}
              height={tableHeight}
              empty={filter === "all" ? "The plan has no decisions" : `No ${filter} decisions`}
            />
          </div>
        ) : null}
        {tab === "readings" ? (
          <ReadingsTable rows={rows} onOpen={setOpen} height={tableHeight} />
        ) : null}
        {tab === "extracted" ? (
          <ExtractedTable lists={plan.extracted} height={tableHeight} />
        ) : null}
        {tab === "deletions" ? (
          <div className="flex flex-col gap-2">
            {plan.summary.delete > 0 ? (
              <Notice tone="warning">
                <strong className="font-semibold">
                  {count(plan.summary.delete, "stored reading")} would be deleted
                </strong>
                {plan.pruned > 0
                  ? `, ${plan.pruned.toLocaleString("en-GB")} of them by pruning`
                  : ""}
                . Deletion is permanent in the readings table (the import's audit keeps the rows).
              </Notice>
            ) : null}
            <DeletionsTable rows={deletions} onOpen={setOpen} height={tableHeight} />
          </div>
        ) : null}
        {tab === "errors" ? (
          <ErrorsTable rows={errors} onOpen={setOpen} height={tableHeight} />
        ) : null}
      </div>

      <DecisionDrawer
        decision={open?.decision ?? null}
        onClose={() => setOpen(null)}
        load={load}
        onShowProvisional={showProvisional}
      />
    </div>
  );
}

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
  tableHeight = "26rem",
}: {
  outcome: PreviewOutcome | null;
  pending: boolean;
  error: string | null;
  /** Shown instead of a preview, e.g. when there is no sample. */
  empty?: ReactNode;
  load: LoadStoredReading;
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
  else body = <PlanView plan={outcome} load={load} tableHeight={tableHeight} status={status} />;
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
