"use client";

import type { DecisionRow } from "./decisions-table";
import { cellText, counterText, meterText } from "./format";
import { CellText, type Column, VirtualTable } from "./virtual-table";

const columns: Column<DecisionRow>[] = [
  {
    key: "why",
    header: "Why",
    width: 120,
    cell: ({ decision }) =>
      decision.code === "PRUNED" ? (
        <span className="rounded-full border border-amber-300 bg-amber-100 px-2 py-px text-xs font-semibold text-amber-900">
          pruned
        </span>
      ) : (
        <span className="rounded-full border border-rose-300 bg-rose-50 px-2 py-px text-xs font-medium text-rose-800">
          delete mode
        </span>
      ),
  },
  {
    key: "meter",
    header: "Meter",
    width: 170,
    cell: ({ decision }) => <CellText mono>{meterText(decision)}</CellText>,
  },
  {
    key: "counter",
    header: "Counter",
    width: 140,
    cell: ({ decision }) => <CellText mono>{counterText(decision)}</CellText>,
  },
  {
    key: "external_id",
    header: "External id",
    width: 170,
    cell: ({ decision }) => <CellText mono>{cellText(decision.previous?.external_id)}</CellText>,
  },
  {
    key: "timestamp",
    header: "Timestamp",
    width: 200,
    cell: ({ decision }) => <CellText mono>{decision.previous?.timestamp ?? ""}</CellText>,
  },
  {
    key: "value",
    header: "Value",
    width: 110,
    align: "right",
    cell: ({ decision }) => <CellText mono>{decision.previous?.value ?? ""}</CellText>,
  },
  {
    key: "source",
    header: "Source",
    width: 90,
    cell: ({ decision }) => <CellText mono>{decision.previous?.source ?? ""}</CellText>,
  },
  {
    key: "id",
    header: "Stored reading id",
    width: 290,
    cell: ({ decision }) => <CellText mono>{decision.target?.reading_id ?? ""}</CellText>,
  },
];

/** Stored readings the plan deletes: pruned ones first, each with what it was. */
export function DeletionsTable({
  rows,
  onOpen,
  height,
}: {
  rows: readonly DecisionRow[];
  onOpen: (row: DecisionRow) => void;
  height?: string;
}) {
  return (
    <VirtualTable
      rows={rows}
      columns={columns}
      label="Deletions"
      rowTestId="deletion-row"
      rowKey={(row) => row.n}
      rowLabel={({ decision }) =>
        `Deletes ${cellText(decision.previous?.external_id ?? decision.target?.reading_id)}${
          decision.code === "PRUNED" ? " (pruned)" : ""
        }`
      }
      onRowClick={onOpen}
      height={height}
      empty="Nothing is deleted"
    />
  );
}
