"use client";

import { type ReactNode, useCallback, useId, useMemo, useState } from "react";
import type { Action } from "@/lib/engine/types";
import type { PreviewPlan } from "@/lib/server/studio/studio-preview-service";
import { ACTIONS } from "./action-badge";
import type { LoadStoredReading } from "./decision-drawer";
import { type DecisionRow, DecisionsTable } from "./decisions-table";
import { DeletionsTable } from "./deletions-table";
import { EntitiesPanel, type EntityFilter } from "./entities-panel";
import { EntityDeletionsNotice } from "./entity-deletions-notice";
import type { LoadStoredEntity } from "./entity-drawer";
import { EntityNavProvider, useEntityNav } from "./entity-links";
import { type EntityRow, summarizeEntities } from "./entity-rows";
import { EntitySummaryChips } from "./entity-summary-chips";
import { ErrorsPanel } from "./errors-panel";
import { ExtractedTable } from "./extracted-table";
import { count } from "./format";
import { Notice } from "./notice";
import { type Opened, PlanDrawer } from "./plan-drawer";
import { type PreviewTab, PreviewTabs } from "./preview-tabs";
import { ReadingsTable } from "./readings-table";
import { SummaryChips } from "./summary-chips";

type Tab = "decisions" | "entities" | "readings" | "extracted" | "deletions" | "errors";

const ALL_ENTITIES: EntityFilter = { kind: "all", schema: "all" };

/** A plan: summary chips, warnings, the tabs of its decisions, and one drawer for any of them. */
export function PlanView({
  plan,
  load,
  loadEntity,
  tableHeight,
  status,
}: {
  plan: PreviewPlan;
  load: LoadStoredReading;
  /** Loads a stored entity that a relation names; without it such entities show as ids. */
  loadEntity?: LoadStoredEntity;
  tableHeight: string;
  /** The refresh status, shown at the end of the summary row. */
  status: ReactNode;
}) {
  const tabsId = useId();
  const [selectedTab, setTab] = useState<Tab>("decisions");
  const [filter, setFilter] = useState<Action | "all">("all");
  const [entityFilter, setEntityFilter] = useState<EntityFilter>(ALL_ENTITIES);
  const [stack, setStack] = useState<Opened[]>([]);

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

  const entityRows = useMemo(
    () => plan.entities.map((decision, n): EntityRow => ({ decision, n })),
    [plan.entities],
  );
  const entitySummary = useMemo(() => summarizeEntities(plan.entities), [plan.entities]);
  const entityErrors = useMemo(
    () => entityRows.filter((r) => r.decision.action === "error"),
    [entityRows],
  );
  const showEntities = (plan.entityMappings ?? 0) > 0 || plan.entities.length > 0;
  // The draft may lose its entity mappings while their tab is open.
  const tab = selectedTab === "entities" && !showEntities ? "decisions" : selectedTab;

  const openFresh = useCallback((opened: Opened) => setStack([opened]), []);
  const push = useCallback((opened: Opened) => setStack((s) => [...s, opened]), []);
  const openReading = useCallback(
    (row: DecisionRow) => openFresh({ kind: "reading", row }),
    [openFresh],
  );
  const openEntity = useCallback(
    (row: EntityRow) => openFresh({ kind: "entity", row }),
    [openFresh],
  );
  const showProvisional = useCallback(
    (readingId: string) => {
      const created = rows.find((r) => r.decision.reading_id === readingId);
      if (created) push({ kind: "reading", row: created });
    },
    [rows, push],
  );
  const nav = useEntityNav(entityRows, loadEntity !== undefined, push);

  const selectAction = (action: Action | "all") => {
    setFilter(action);
    setTab("decisions");
  };
  const showEntityDecisions = (next: EntityFilter) => {
    setEntityFilter(next);
    setTab("entities");
  };

  const tabs: PreviewTab<Tab>[] = [
    { id: "decisions", label: "Decisions", n: plan.decisionsTotal },
    ...(showEntities
      ? [
          {
            id: "entities" as const,
            label: "Entities",
            n: plan.entitiesTotal ?? plan.entities.length,
          },
        ]
      : []),
    { id: "readings", label: "Readings", n: readingCount },
    { id: "extracted", label: "Extracted items", n: itemCount },
    { id: "deletions", label: "Deletions", n: plan.summary.delete },
    // Every error, of entities and readings alike: each must be seen before publishing.
    { id: "errors", label: "Errors", n: plan.summary.error + entityErrors.length },
  ];
  const entityDeletionsShown =
    tab === "entities" && (entityFilter.kind === "prune" || entityFilter.kind === "delete");

  return (
    <EntityNavProvider nav={nav}>
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
          <div className="flex flex-col gap-2">
            <SummaryChips
              summary={plan.summary}
              pruned={plan.pruned}
              selected={filter}
              onSelect={selectAction}
              label={showEntities ? "Readings" : undefined}
            />
            {showEntities ? (
              <EntitySummaryChips
                summary={entitySummary}
                selected={
                  tab === "entities" && entityFilter.schema === "all" ? entityFilter.kind : "all"
                }
                onSelect={(kind) => showEntityDecisions({ kind, schema: "all" })}
              />
            ) : null}
          </div>
          <div className="flex min-h-7 items-center">{status}</div>
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
        {!entityDeletionsShown ? (
          <EntityDeletionsNotice summary={entitySummary} onShow={showEntityDecisions} />
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

        {plan.entities.length < (plan.entitiesTotal ?? 0) ? (
          <Notice tone="info">
            Showing the first {plan.entities.length.toLocaleString("en-GB")} of{" "}
            {(plan.entitiesTotal ?? 0).toLocaleString("en-GB")} entity decisions; the entity counts
            above are theirs.
          </Notice>
        ) : null}

        <PreviewTabs idPrefix={tabsId} tabs={tabs} selected={tab} onSelect={setTab} />

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
                onOpen={openReading}
                height={tableHeight}
                empty={filter === "all" ? "The plan has no decisions" : `No ${filter} decisions`}
              />
            </div>
          ) : null}
          {tab === "entities" ? (
            <EntitiesPanel
              rows={entityRows}
              filter={entityFilter}
              onFilter={setEntityFilter}
              onOpen={openEntity}
              height={tableHeight}
            />
          ) : null}
          {tab === "readings" ? (
            <ReadingsTable rows={rows} onOpen={openReading} height={tableHeight} />
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
              <DeletionsTable rows={deletions} onOpen={openReading} height={tableHeight} />
            </div>
          ) : null}
          {tab === "errors" ? (
            <ErrorsPanel
              readingErrors={errors}
              readingErrorCount={plan.summary.error}
              entityErrors={entityErrors}
              onOpenReading={openReading}
              onOpenEntity={openEntity}
              height={tableHeight}
            />
          ) : null}
        </div>

        <PlanDrawer
          stack={stack}
          onBack={() => setStack((s) => s.slice(0, -1))}
          onClose={() => setStack([])}
          load={load}
          loadEntity={loadEntity}
          onShowProvisional={showProvisional}
        />
      </div>
    </EntityNavProvider>
  );
}
