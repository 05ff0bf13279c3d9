"use client";

import type { PreviewDecision } from "@/lib/server/studio-preview-service";
import { ActionBadge } from "./action-badge";
import { cellText, decisionPosition, meterText, shownReading } from "./format";
import { CellText, type Column, VirtualTable } from "./virtual-table";

export interface DecisionRow {
  decision: PreviewDecision;
  /** Position in the whole plan, so a filtered table still names the same decision. */
  n: number;
}

function columns(onOpen: (row: DecisionRow) => void): Column<DecisionRow>[] {
  return [
    {
      key: "position",
      header: "Item:index",
      width: 84,
      cell: ({ decision }) => <CellText mono>{decisionPosition(decision)}</CellText>,
    },
    {
      key: "action",
      header: "Action · code",
      width: 200,
      cell: ({ decision }) => (
        <span className="flex min-w-0 items-center gap-2">
          <ActionBadge action={decision.action} />
          {decision.code ? (
            <span className="truncate font-mono text-[12px] text-muted">{decision.code}</span>
          ) : null}
        </span>
      ),
      title: ({ decision }) => decision.code,
    },
    {
      key: "meter",
      header: "Meter",
      width: 170,
      cell: ({ decision }) => <CellText mono>{meterText(decision)}</CellText>,
      title: ({ decision }) => meterText(decision),
    },
    {
      key: "external_id",
      header: "External id",
      width: 170,
      cell: ({ decision }) => (
        <CellText mono>{cellText(shownReading(decision).external_id)}</CellText>
      ),
      title: ({ decision }) => cellText(shownReading(decision).external_id),
    },
    {
      key: "value",
      header: "Value",
      width: 110,
      align: "right",
      cell: ({ decision }) => <CellText mono>{cellText(shownReading(decision).value)}</CellText>,
    },
    {
      key: "raw",
      header: "Timestamp (raw)",
      width: 190,
      cell: ({ decision }) => <CellText mono>{cellText(shownReading(decision).raw)}</CellText>,
      title: ({ decision }) => cellText(shownReading(decision).raw),
    },
    {
      key: "instant",
      header: "Instant (UTC)",
      width: 200,
      cell: ({ decision }) => <CellText mono>{shownReading(decision).instant ?? ""}</CellText>,
    },
    {
      key: "day",
      header: "Berlin day",
      width: 104,
      cell: ({ decision }) => <CellText mono>{shownReading(decision).berlin_day ?? ""}</CellText>,
    },
    {
      key: "message",
      header: "Message",
      width: 300,
      cell: ({ decision }) => <CellText>{decision.message ?? ""}</CellText>,
      title: ({ decision }) => decision.message,
    },
    {
      key: "target",
      header: "Stored reading",
      width: 128,
      cell: (row) =>
        row.decision.target ? (
          <button
            type="button"
            onClick={(event) => {
              event.stopPropagation();
              onOpen(row);
            }}
            aria-label={`Open the stored reading of decision ${decisionPosition(row.decision)}`}
            className="truncate rounded px-1.5 py-0.5 text-xs font-medium text-accent underline-offset-2 hover:bg-accent-soft hover:underline"
          >
            {row.decision.target.reading_id.startsWith("new:") ? "In this payload" : "View stored"}
          </button>
        ) : null,
    },
  ];
}

export function DecisionsTable({
  rows,
  label = "Decisions",
  onOpen,
  height,
  empty,
}: {
  rows: readonly DecisionRow[];
  label?: string;
  onOpen: (row: DecisionRow) => void;
  height?: string;
  empty?: string;
}) {
  return (
    <VirtualTable
      rows={rows}
      columns={columns(onOpen)}
      label={label}
      rowTestId="decision-row"
      rowKey={(row) => row.n}
      rowLabel={({ decision }) =>
        `Decision ${decisionPosition(decision)}: ${decision.action}${decision.code ? ` ${decision.code}` : ""}`
      }
      onRowClick={onOpen}
      height={height}
      empty={empty}
    />
  );
}
