"use client";

import { DecisionCell } from "./decision-cell";
import { TwoLines } from "./decisions-table";
import { EntityBadge } from "./entity-badge";
import {
  changedNames,
  type EntityRow,
  entityKind,
  entityPosition,
  idsText,
  isProvisionalId,
  type ShownEntityDecision,
} from "./entity-rows";
import { cellText } from "./format";
import { type Column, VirtualTable } from "./virtual-table";

const MODE = { delete: "soft delete", purge: "purge" } as const;

/** An update without a message says what it changes. */
const changed = (d: ShownEntityDecision) =>
  changedNames(d).length > 0 ? `changes ${changedNames(d).join(", ")}` : "";

/*
 * Sized like the decisions table, for the studio's preview panel (about 750 px at 1440 px wide):
 * the decision and its reason first, two short lines a cell, the message wrapping.
 */
const columns: Column<EntityRow>[] = [
  {
    key: "decision",
    header: "Decision",
    // Wide enough for the longest codes (MISSING_IDENTIFIER, AMBIGUOUS_RELATION).
    width: 148,
    cell: ({ decision }) => (
      <DecisionCell
        badge={<EntityBadge kind={entityKind(decision)} />}
        position={entityPosition(decision)}
        code={decision.code}
      />
    ),
    title: ({ decision }) => decision.code,
  },
  {
    key: "schema",
    header: "Schema · mode",
    // meter_counter, billing_account in full.
    width: 136,
    cell: ({ decision }) => (
      <TwoLines
        top={decision.entity_schema}
        bottom={decision.mode ? MODE[decision.mode] : undefined}
      />
    ),
    title: ({ decision }) =>
      [decision.entity_schema, decision.mode ? MODE[decision.mode] : ""].filter(Boolean).join("\n"),
  },
  {
    key: "ids",
    header: "Unique ids · entity id",
    width: 150,
    grow: 2,
    // The values only: the names are in the tooltip and the drawer.
    cell: ({ decision }) => (
      <TwoLines
        mono
        top={Object.values(decision.unique_ids).map(cellText).join(", ")}
        bottom={
          decision.id
            ? isProvisionalId(decision.id)
              ? `${decision.id} (new)`
              : decision.id
            : undefined
        }
      />
    ),
    title: ({ decision }) =>
      [idsText(decision.unique_ids), decision.id ?? ""].filter(Boolean).join("\n"),
  },
  {
    key: "message",
    header: "Message",
    width: 140,
    grow: 2,
    cell: ({ decision }) =>
      decision.message ? (
        <span className="line-clamp-2 text-[13px] leading-snug break-words">
          {decision.message}
        </span>
      ) : (
        <span className="line-clamp-2 text-[13px] leading-snug break-words text-muted">
          {changed(decision)}
        </span>
      ),
    title: ({ decision }) => decision.message ?? changed(decision),
  },
];

/** Entity decisions in plan order: what each entity mapping creates, updates, deletes. */
export function EntitiesTable({
  rows,
  label = "Entity decisions",
  onOpen,
  height,
  empty,
}: {
  rows: readonly EntityRow[];
  label?: string;
  onOpen: (row: EntityRow) => void;
  height?: string;
  empty?: string;
}) {
  return (
    <VirtualTable
      rows={rows}
      columns={columns}
      label={label}
      rowTestId="entity-row"
      rowKey={(row) => row.n}
      rowLabel={({ decision }) =>
        `Entity decision ${entityPosition(decision)}: ${entityKind(decision)} ${decision.entity_schema}${
          decision.code ? ` ${decision.code}` : ""
        }`
      }
      onRowClick={onOpen}
      rowHeight={52}
      height={height}
      empty={empty}
    />
  );
}
