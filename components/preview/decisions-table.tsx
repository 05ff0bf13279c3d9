"use client";

import type { ReactNode } from "react";
import type { PreviewDecision } from "@/lib/server/studio/studio-preview-service";
import { ActionBadge } from "./action-badge";
import { DecisionCell } from "./decision-cell";
import { cellText, decisionPosition, meterText, meterValues, shownReading } from "./format";
import { CellText, type Column, VirtualTable } from "./virtual-table";

export interface DecisionRow {
  decision: PreviewDecision;
  /** Position in the whole plan, so a filtered table still names the same decision. */
  n: number;
}

/** Two lines in one cell: the main value, and a muted one under it. */
export function TwoLines({
  top,
  bottom,
  mono = false,
}: {
  top: ReactNode;
  bottom?: ReactNode;
  mono?: boolean;
}) {
  return (
    <span className="flex min-w-0 flex-col gap-0.5 leading-tight">
      <span className={`truncate ${mono ? "font-mono text-[12px]" : ""}`}>{top}</span>
      {bottom ? (
        <span className="truncate font-mono text-[11.5px] text-muted">{bottom}</span>
      ) : null}
    </span>
  );
}

const timeTitle = (decision: PreviewDecision) => {
  const shown = shownReading(decision);
  return [
    shown.raw !== undefined ? `raw: ${cellText(shown.raw)}` : "",
    shown.instant ? `instant (UTC): ${shown.instant}` : "",
    shown.berlin_day ? `Berlin day: ${shown.berlin_day}` : "",
  ]
    .filter(Boolean)
    .join("\n");
};

/*
 * Sized to fit the studio's preview panel (about 750 px at 1440 px wide) without scrolling
 * sideways: the decision and its reason come first, each cell holds two short lines, and the
 * message wraps instead of running off to the right. The instant (UTC) is in the time cell's
 * tooltip and in the drawer.
 */
function columns(onOpen: (row: DecisionRow) => void): Column<DecisionRow>[] {
  return [
    {
      key: "decision",
      header: "Decision",
      width: 124,
      cell: ({ decision }) => (
        <DecisionCell
          badge={<ActionBadge action={decision.action} />}
          position={decisionPosition(decision)}
          code={decision.code}
        />
      ),
      title: ({ decision }) => decision.code,
    },
    {
      key: "message",
      header: "Message",
      width: 110,
      grow: 2,
      cell: ({ decision }) => (
        <span className="line-clamp-2 text-[13px] leading-snug break-words">
          {decision.message ?? ""}
        </span>
      ),
      title: ({ decision }) => decision.message,
    },
    {
      key: "reading",
      header: "Meter · external id",
      width: 128,
      grow: 1,
      cell: ({ decision }) => (
        <TwoLines
          mono
          top={meterValues(decision)}
          bottom={cellText(shownReading(decision).external_id)}
        />
      ),
      title: ({ decision }) =>
        [meterText(decision), cellText(shownReading(decision).external_id)]
          .filter(Boolean)
          .join("\n"),
    },
    {
      key: "value",
      header: "Value",
      width: 84,
      align: "right",
      cell: ({ decision }) => <CellText mono>{cellText(shownReading(decision).value)}</CellText>,
      title: ({ decision }) => cellText(shownReading(decision).value),
    },
    {
      key: "time",
      header: "Timestamp · Berlin day",
      width: 172,
      cell: ({ decision }) => {
        const shown = shownReading(decision);
        return (
          <TwoLines
            mono
            top={shown.raw !== undefined ? cellText(shown.raw) : (shown.instant ?? "")}
            bottom={shown.berlin_day ? `${shown.berlin_day} Berlin` : undefined}
          />
        );
      },
      title: ({ decision }) => timeTitle(decision),
    },
    {
      key: "target",
      header: "Stored",
      width: 108,
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
            {row.decision.target.reading_id.startsWith("new:") ? "In payload" : "View stored"}
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
      rowHeight={52}
      height={height}
      empty={empty}
    />
  );
}
