"use client";

import { useEffect, useRef } from "react";
import {
  type LoadStoredReading,
  ReadingDecisionBody,
  ReadingSubtitle,
  readingTitle,
} from "./decision-drawer";
import type { DecisionRow } from "./decisions-table";
import {
  EntityDecisionBody,
  EntitySubtitle,
  entityTitle,
  type LoadStoredEntity,
  StoredEntityBody,
} from "./entity-drawer";
import type { EntityRow } from "./entity-rows";
import { SideDrawer } from "./side-drawer";

/** What the drawer shows: a reading decision, an entity decision, or a stored entity. */
export type Opened =
  | { kind: "reading"; row: DecisionRow }
  | { kind: "entity"; row: EntityRow }
  | { kind: "stored-entity"; id: string };

function title(o: Opened): string {
  if (o.kind === "reading") return readingTitle(o.row.decision);
  if (o.kind === "entity") return entityTitle(o.row.decision);
  return "Stored entity";
}

/**
 * The preview's one drawer. Following a link (a relation, a reading's meter) stacks what it
 * opens on what was open, so "Back" returns to where the consultant came from.
 */
export function PlanDrawer({
  stack,
  onBack,
  onClose,
  load,
  loadEntity,
  onShowProvisional,
}: {
  stack: readonly Opened[];
  onBack: () => void;
  onClose: () => void;
  load: LoadStoredReading;
  loadEntity?: LoadStoredEntity;
  onShowProvisional?: (readingId: string) => void;
}) {
  const top = stack.at(-1) ?? null;
  const previous = stack.at(-2) ?? null;
  const start = useRef<HTMLDivElement>(null);
  const depth = stack.length;

  // Each step starts at the top of the drawer; after following a link the focus moves there too
  // (the link that was clicked is gone with the view it was in).
  useEffect(() => {
    if (!top) return;
    start.current?.parentElement?.scrollTo({ top: 0 });
    if (depth > 1) start.current?.focus({ preventScroll: true });
  }, [top, depth]);

  return (
    <SideDrawer
      open={top !== null}
      onClose={onClose}
      title={top ? title(top) : ""}
      subtitle={
        top?.kind === "reading" ? (
          <ReadingSubtitle decision={top.row.decision} />
        ) : top?.kind === "entity" ? (
          <EntitySubtitle decision={top.row.decision} />
        ) : top ? (
          <code className="font-mono text-xs break-all">{top.id}</code>
        ) : null
      }
    >
      <div ref={start} tabIndex={-1} className="outline-none">
        {previous ? (
          <button
            type="button"
            onClick={onBack}
            className="mb-4 inline-flex items-center gap-1 text-sm font-medium text-accent hover:underline"
          >
            <span aria-hidden="true">←</span> Back to {title(previous)}
          </button>
        ) : null}
        {top?.kind === "reading" ? (
          <ReadingDecisionBody
            decision={top.row.decision}
            load={load}
            onShowProvisional={onShowProvisional}
          />
        ) : null}
        {top?.kind === "entity" ? <EntityDecisionBody row={top.row} /> : null}
        {top?.kind === "stored-entity" ? <StoredEntityBody id={top.id} load={loadEntity} /> : null}
      </div>
    </SideDrawer>
  );
}
