"use client";

import type { ReactNode } from "react";
import type { StoredEntityDetails } from "@/lib/server/studio/stored-entity";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";
import { Block, Changes, Details, Fields, storedRowView, useStoredRow } from "./drawer-parts";
import { EntityBadge } from "./entity-badge";
import { EntityLink, StoredEntityButton } from "./entity-links";
import {
  changedNames,
  type EntityRow,
  entityKind,
  entityPosition,
  isProvisionalId,
  type RelatedEntityRef,
  relatedEntities,
  type ShownEntityDecision,
} from "./entity-rows";
import { cellText } from "./format";

export type LoadStoredEntity = (entityId: string) => Promise<StudioResult<StoredEntityDetails>>;

export const DELETION_MODES = {
  delete: "soft delete: restorable for 30 days, then purged",
  purge: "purge: removed for good (a meter's or counter's readings with it)",
} as const;

export const entityTitle = (d: ShownEntityDecision) =>
  `Entity ${d.entity_schema} ${entityPosition(d)}`;

export function EntitySubtitle({ decision: d }: { decision: ShownEntityDecision }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <EntityBadge kind={entityKind(d)} />
      {d.code ? <code className="font-mono text-xs">{d.code}</code> : null}
      {d.message ? <span>{d.message}</span> : null}
    </span>
  );
}

/** The related entities an entity's attributes name, each a link to its decision or stored row. */
function Relations({ refs, from }: { refs: RelatedEntityRef[]; from?: number }) {
  return (
    <ul className="flex flex-col gap-2 text-sm" aria-label="Related entities">
      {refs.map((r) => (
        <li
          key={`${r.attribute}-${r.kind}-${r.position}`}
          className="flex min-w-0 flex-col gap-0.5 rounded-md border border-stone-100 px-2.5 py-1.5"
        >
          <span className="flex flex-wrap items-baseline gap-x-2 text-xs text-muted">
            <span className="font-medium text-ink">{r.attribute}</span>
            {r.kind === "relation" ? (
              <span>
                relation{r.schema ? ` to ${r.schema}` : ""}
                {r.tags && r.tags.length > 0 ? ` · tags ${r.tags.join(", ")}` : ""}
              </span>
            ) : (
              <span>
                reference to its <code className="font-mono">{r.path ?? "?"}</code> item{" "}
                <code className="font-mono">{r.itemId ?? "(no _id)"}</code>
              </span>
            )}
          </span>
          <span className="min-w-0">
            <EntityLink id={r.entityId} schema={r.schema} from={from} />
          </span>
        </li>
      ))}
    </ul>
  );
}

function attributeRows(attributes: Record<string, unknown>): [string, ReactNode][] {
  return Object.entries(attributes).map(([k, v]): [string, ReactNode] => [k, cellText(v)]);
}

/** One entity decision in full: why, what it maps, what it changes, whom it relates to. */
export function EntityDecisionBody({ row }: { row: EntityRow }) {
  const d = row.decision;
  // Read back from an import's record: written entities' attributes are in their rows.
  const recorded =
    d.changed !== undefined ||
    (Object.keys(d.attributes).length === 0 &&
      ["create", "update", "unchanged"].includes(d.action));
  const refs = relatedEntities(d.attributes);
  const entity: [string, ReactNode][] = [["schema", d.entity_schema]];
  if (d.id) {
    entity.push([
      "entity id",
      isProvisionalId(d.id) ? `${d.id} (not stored yet: this payload creates it)` : d.id,
    ]);
  }
  if (d.mode) entity.push(["deletion", DELETION_MODES[d.mode]]);
  if (d.meter_id) entity.push(["meter", <EntityLink key="meter" id={d.meter_id} from={row.n} />]);
  entity.push(["mapping", `entities[${d.item}]${d.index === null ? "" : `, input ${d.index}`}`]);
  return (
    <div>
      <Block title="Entity">
        <Fields rows={entity} />
      </Block>
      <Block title="Unique ids">
        {Object.keys(d.unique_ids).length > 0 ? (
          <Fields rows={attributeRows(d.unique_ids)} />
        ) : (
          <p className="text-sm text-muted">None resolved.</p>
        )}
      </Block>
      {d.changes && Object.keys(d.changes).length > 0 ? (
        <Block title="Changes">
          <Changes changes={d.changes} />
        </Block>
      ) : changedNames(d).length > 0 ? (
        // A recorded update names what it changed; the values are the stored entity's now, and
        // the import's audit keeps the row as it was before.
        <Block title="Changed attributes">
          <p className="text-sm">
            <span className="font-mono text-[12.5px]">{changedNames(d).join(", ")}</span>
            <span className="text-muted">
              {" "}
              — the import's record names them; the entity as stored has the values, and the
              import's audit keeps them as they were before.
            </span>
          </p>
        </Block>
      ) : null}
      {refs.length > 0 ? (
        <Block title="Relations">
          <Relations refs={refs} from={row.n} />
        </Block>
      ) : null}
      {Object.keys(d.attributes).length > 0 ? (
        <Block title={d.action === "delete" ? "Identified by" : "Mapped attributes"}>
          <Fields rows={attributeRows(d.attributes)} />
        </Block>
      ) : null}
      {recorded && d.id ? (
        <Block title="As stored now">
          <p className="text-sm text-muted">
            The import's record keeps what it decided, not the values it wrote.{" "}
            <StoredEntityButton id={d.id}>
              Show the {d.entity_schema} as stored now
            </StoredEntityButton>
          </p>
        </Block>
      ) : null}
      {d.details && Object.keys(d.details).length > 0 ? (
        <Block title="Details">
          <Details details={d.details} />
        </Block>
      ) : null}
    </div>
  );
}

/** A stored entity the plan does not touch, loaded on demand (a relation's target). */
export function StoredEntityBody({ id, load }: { id: string; load?: LoadStoredEntity }) {
  const state = useStoredRow(id, load, "The entity could not be loaded");

  if (!load) {
    return <p className="text-sm text-muted">Stored entities cannot be loaded on this page.</p>;
  }
  const view = storedRowView(state, "Loading the stored entity…");
  if (!("data" in view)) return view.element;
  const e = view.data;
  const refs = relatedEntities(e.attributes);
  const rows: [string, ReactNode][] = [
    ["id", e.id],
    ["schema", e.entitySchema],
    [
      "status",
      e.deletedAt
        ? `soft-deleted at ${e.deletedAt}; restorable until ${e.restorableUntil ?? "?"}`
        : "live",
    ],
  ];
  if (e.meterId) rows.push(["meter", <EntityLink key="meter" id={e.meterId} schema="meter" />]);
  rows.push(
    ["written by import", e.importId ?? "unknown"],
    ["created (UTC)", e.createdAt],
    ["updated (UTC)", e.updatedAt],
  );
  return (
    <div data-testid="stored-entity">
      <p className="mb-4 text-sm text-muted">As it is in the database now.</p>
      <Block title="Entity">
        <Fields rows={rows} />
      </Block>
      {refs.length > 0 ? (
        <Block title="Relations">
          <Relations refs={refs} />
        </Block>
      ) : null}
      <Block title="Attributes">
        {Object.keys(e.attributes).length > 0 ? (
          <Fields rows={attributeRows(e.attributes)} />
        ) : (
          <p className="text-sm text-muted">No attributes.</p>
        )}
      </Block>
    </div>
  );
}
