"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";
import { ENTITY_KIND_STYLES } from "./entity-badge";
import {
  decisionOfEntity,
  type EntityKind,
  type EntityRow,
  entityKind,
  idsText,
  isStoredId,
} from "./entity-rows";

/** Where a link to an entity leads: its decision in this plan, or the stored entity. */
export type EntityTarget =
  | { kind: "decision"; entityKind: EntityKind; schema: string; ids: string }
  | { kind: "stored" };

/**
 * How the drawer follows a link to an entity. Provided by a view that holds a plan; without it
 * (the support page) an entity id is plain text.
 */
export interface EntityNav {
  /** What `open` would show for entity `id`, linked from the decision at `from`; null: nothing. */
  target(id: string, from?: number): EntityTarget | null;
  open(id: string, from?: number): void;
  /** Loads entity `id` as stored now, even when the plan has a decision on it; null: cannot. */
  openStored: ((id: string) => void) | null;
}

const EntityNavContext = createContext<EntityNav | null>(null);

/**
 * Links among a plan's entity decisions: an entity opens its decision (see decisionOfEntity),
 * else, when `canLoad`, the stored entity; `show` stacks either onto the drawer.
 */
export function useEntityNav(
  rows: readonly EntityRow[],
  canLoad: boolean,
  show: (
    opened: { kind: "entity"; row: EntityRow } | { kind: "stored-entity"; id: string },
  ) => void,
): EntityNav {
  return useMemo<EntityNav>(
    () => ({
      target(id, from) {
        const row = decisionOfEntity(rows, id, from);
        if (row) {
          const d = row.decision;
          return {
            kind: "decision",
            entityKind: entityKind(d),
            schema: d.entity_schema,
            ids: idsText(d.unique_ids),
          };
        }
        return canLoad && isStoredId(id) ? { kind: "stored" } : null;
      },
      open(id, from) {
        const row = decisionOfEntity(rows, id, from);
        if (row) show({ kind: "entity", row });
        else if (canLoad && isStoredId(id)) show({ kind: "stored-entity", id });
      },
      openStored: canLoad ? (id) => isStoredId(id) && show({ kind: "stored-entity", id }) : null,
    }),
    [rows, canLoad, show],
  );
}

export function EntityNavProvider({ nav, children }: { nav: EntityNav; children: ReactNode }) {
  return <EntityNavContext.Provider value={nav}>{children}</EntityNavContext.Provider>;
}

/** A button that loads an entity as stored now (a recorded decision's entity, to see its values). */
export function StoredEntityButton({ id, children }: { id: string; children: ReactNode }) {
  const nav = useContext(EntityNavContext);
  if (!nav?.openStored || !isStoredId(id)) return null;
  const openStored = nav.openStored;
  return (
    <button
      type="button"
      onClick={() => openStored(id)}
      className="rounded px-1.5 py-0.5 text-sm text-accent underline-offset-2 hover:bg-accent-soft hover:underline"
    >
      {children}
    </button>
  );
}

/**
 * A related entity (a relation, a reading's meter): a button that opens its decision in this plan
 * or loads it from the database, else its id as text.
 */
export function EntityLink({
  id,
  schema,
  from,
}: {
  id: string;
  /** The schema the link names (a relation's `_schema`), for the stored entity's label. */
  schema?: string;
  from?: number;
}) {
  const nav = useContext(EntityNavContext);
  const target = nav?.target(id, from) ?? null;
  if (!nav || !target) return <code className="font-mono text-[12.5px] break-all">{id}</code>;
  const label =
    target.kind === "decision"
      ? `${target.schema} ${target.ids || id}`
      : `${schema ?? "entity"} ${id.slice(0, 8)}…`;
  return (
    <button
      type="button"
      onClick={() => nav.open(id, from)}
      title={id}
      aria-label={
        target.kind === "decision"
          ? `Open the ${target.entityKind} decision of ${target.schema} ${target.ids || id}`
          : `Load the stored ${schema ?? "entity"} ${id}`
      }
      className="inline-flex max-w-full items-center gap-1.5 rounded px-1.5 py-0.5 text-left font-mono text-[12.5px] text-accent underline-offset-2 hover:bg-accent-soft hover:underline"
    >
      {target.kind === "decision" ? (
        <span
          className={`shrink-0 rounded-full border px-1.5 font-sans text-[11px] no-underline ${ENTITY_KIND_STYLES[target.entityKind]}`}
        >
          {target.entityKind}
        </span>
      ) : (
        <span className="shrink-0 rounded-full border border-line bg-stone-50 px-1.5 font-sans text-[11px] text-muted">
          stored
        </span>
      )}
      <span className="min-w-0 break-all">{label}</span>
    </button>
  );
}
