"use client";

import { ActionBadge } from "./action-badge";
import type { DecisionRow } from "./decisions-table";
import { cellText, decisionPosition, meterText } from "./format";
import { CellText, type Column, VirtualTable } from "./virtual-table";

const columns: Column<DecisionRow>[] = [
  {
    key: "position",
    header: "Item:index",
    width: 88,
    cell: ({ decision }) => <CellText mono>{decisionPosition(decision)}</CellText>,
  },
  {
    key: "action",
    header: "Action",
    width: 80,
    cell: ({ decision }) => <ActionBadge action={decision.action} />,
  },
  {
    key: "code",
    header: "Code",
    width: 190,
    cell: ({ decision }) => <CellText mono>{decision.code ?? ""}</CellText>,
  },
  {
    key: "message",
    header: "Message",
    width: 300,
    cell: ({ decision }) => <CellText>{decision.message ?? ""}</CellText>,
    title: ({ decision }) => decision.message,
  },
  {
    key: "details",
    header: "Details",
    width: 320,
    cell: ({ decision }) => <CellText mono>{cellText(decision.details ?? "")}</CellText>,
    title: ({ decision }) => cellText(decision.details ?? ""),
  },
  {
    key: "meter",
    header: "Meter",
    width: 170,
    cell: ({ decision }) => <CellText mono>{meterText(decision)}</CellText>,
  },
];

/** Readings that erred: never written, each with its code, message and details. */
export function ErrorsTable({
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
      label="Errors"
      rowTestId="error-row"
      rowKey={(row) => row.n}
      rowLabel={({ decision }) => `Error ${decisionPosition(decision)}: ${decision.code ?? ""}`}
      onRowClick={onOpen}
      height={height}
      empty="No errors: every reading maps and validates"
    />
  );
}
