"use client";

import { useCallback, useMemo, useState } from "react";
import { supportStoredEntityAction, supportStoredReadingAction } from "@/app/imports/[id]/actions";
import { EntitiesPanel, type EntityFilter } from "@/components/preview/entities-panel";
import { EntityNavProvider, useEntityNav } from "@/components/preview/entity-links";
import {
  type EntityRow,
  shownEntityDecision,
  summarizeEntities,
} from "@/components/preview/entity-rows";
import { EntitySummaryChips } from "@/components/preview/entity-summary-chips";
import { type Opened, PlanDrawer } from "@/components/preview/plan-drawer";
import type { RecordedEntityDecision } from "@/lib/server/imports/import-record";

const load = (readingId: string) => supportStoredReadingAction({ readingId });
const loadEntity = (entityId: string) => supportStoredEntityAction({ entityId });

/**
 * An import's recorded entity decisions in the studio preview's table and drawer: filtered by
 * kind and schema in the page, relations followed to the decision or the stored entity.
 */
export function RecordedEntities({
  decisions,
  total,
}: {
  decisions: RecordedEntityDecision[];
  /** All the import's entity decisions; `decisions` may be the first of them only. */
  total: number;
}) {
  const [filter, setFilter] = useState<EntityFilter>({ kind: "all", schema: "all" });
  const [stack, setStack] = useState<Opened[]>([]);
  const rows = useMemo(
    () => decisions.map((d, n): EntityRow => ({ decision: shownEntityDecision(d), n })),
    [decisions],
  );
  const summary = useMemo(() => summarizeEntities(rows.map((r) => r.decision)), [rows]);
  const push = useCallback((opened: Opened) => setStack((s) => [...s, opened]), []);
  const nav = useEntityNav(rows, true, push);

  return (
    <EntityNavProvider nav={nav}>
      <div className="flex flex-col gap-3">
        <EntitySummaryChips
          summary={summary}
          selected={filter.schema === "all" ? filter.kind : "all"}
          onSelect={(kind) => setFilter({ kind, schema: "all" })}
        />
        {decisions.length < total ? (
          <p className="text-sm text-muted">
            Showing the first {decisions.length.toLocaleString("en-GB")} of{" "}
            {total.toLocaleString("en-GB")} entity decisions (all are in the plan as JSON).
          </p>
        ) : null}
        <EntitiesPanel
          rows={rows}
          filter={filter}
          onFilter={setFilter}
          onOpen={(row) => setStack([{ kind: "entity", row }])}
          height="28rem"
        />
        <PlanDrawer
          stack={stack}
          onBack={() => setStack((s) => s.slice(0, -1))}
          onClose={() => setStack([])}
          load={load}
          loadEntity={loadEntity}
        />
      </div>
    </EntityNavProvider>
  );
}
