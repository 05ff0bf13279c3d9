"use client";

import { ActionBadge } from "@/components/preview/action-badge";
import { cellText } from "@/components/preview/format";
import { CellText, type Column, VirtualTable } from "@/components/preview/virtual-table";
import type { DiffKind, DiffRow, DiffSide } from "@/lib/server/imports/replay-diff";

export const KIND_LABELS: Record<DiffKind, string> = {
  action: "Action changed",
  code: "Code changed",
  value: "Value changed",
  new: "New",
  vanished: "Vanished",
  same: "Same",
};

export const KIND_STYLES: Record<DiffKind, string> = {
  action: "border-sky-200 bg-sky-50 text-sky-800",
  code: "border-violet-200 bg-violet-50 text-violet-800",
  value: "border-amber-200 bg-amber-50 text-amber-900",
  new: "border-green-200 bg-green-50 text-green-800",
  vanished: "border-rose-300 bg-rose-50 text-rose-800",
  same: "border-stone-200 bg-stone-100 text-stone-600",
};

const position = (row: DiffRow) =>
  row.index === null ? `${row.item}` : `${row.item}:${row.index}`;

function Side({ side, empty }: { side: DiffSide | null; empty: string }) {
  if (!side) return <span className="text-xs text-muted italic">{empty}</span>;
  return (
    <span className="flex w-full min-w-0 flex-col items-start gap-0.5 leading-tight">
      <span className="flex w-full min-w-0 items-center gap-1.5">
        <ActionBadge action={side.action} />
        {side.code ? (
          <span className="min-w-0 truncate font-mono text-[11px] text-muted">{side.code}</span>
        ) : null}
      </span>
      {side.message ? (
        <span className="max-w-full truncate text-xs text-muted">{side.message}</span>
      ) : null}
    </span>
  );
}

/** What changed in the mapped values, `value: 1 → 10`; for a new reading its value. */
function valuesText(row: DiffRow): string {
  if (row.changed.length > 0) {
    return row.changed
      .map(
        (k) =>
          `${k}: ${cellText(row.before?.reading?.[k] ?? "—")} → ${cellText(row.after?.reading?.[k] ?? "—")}`,
      )
      .join("; ");
  }
  const reading = row.after?.reading ?? row.before?.reading;
  return reading?.value !== undefined ? cellText(reading.value) : "";
}

const sideText = (side: DiffSide | null) =>
  side ? [side.action, side.code, side.message].filter(Boolean).join(" · ") : "";

const columns: Column<DiffRow>[] = [
  {
    key: "kind",
    header: "Change",
    width: 132,
    cell: (row) => (
      <span className="flex min-w-0 flex-col items-start gap-0.5 leading-tight">
        <span
          className={`rounded-full border px-2 py-px text-xs font-medium whitespace-nowrap ${KIND_STYLES[row.kind]}`}
        >
          {KIND_LABELS[row.kind]}
        </span>
        <span className="font-mono text-[11px] text-muted">{position(row)}</span>
      </span>
    ),
  },
  {
    key: "before",
    header: "Original import",
    width: 170,
    grow: 1,
    cell: (row) => <Side side={row.before} empty="not in the original" />,
    title: (row) => sideText(row.before),
  },
  {
    key: "after",
    header: "Replay",
    width: 170,
    grow: 1,
    cell: (row) => <Side side={row.after} empty="not in the replay" />,
    title: (row) => sideText(row.after),
  },
  {
    key: "reading",
    header: "Meter · external id",
    width: 130,
    grow: 1,
    cell: (row) => {
      const meter = row.meter ? Object.values(row.meter).map(cellText).join(", ") : "";
      const externalId = row.after?.reading?.external_id ?? row.before?.reading?.external_id;
      return (
        <span className="flex min-w-0 flex-col leading-tight">
          <CellText mono>{meter || "—"}</CellText>
          <span className="truncate font-mono text-[11.5px] text-muted">
            {cellText(externalId)}
          </span>
        </span>
      );
    },
  },
  {
    key: "values",
    header: "Values",
    width: 150,
    grow: 1,
    cell: (row) => <CellText mono>{valuesText(row)}</CellText>,
    title: valuesText,
  },
];

/** The replay's difference from the original import, one row per reading that differs. */
export function DiffTable({ rows, height }: { rows: readonly DiffRow[]; height?: string }) {
  return (
    <VirtualTable
      rows={rows}
      columns={columns}
      label="Difference from the original import"
      rowTestId="diff-row"
      rowKey={(row) => row.key}
      rowLabel={(row) =>
        `Reading ${position(row)}: ${KIND_LABELS[row.kind]}, ${row.before?.action ?? "none"} to ${row.after?.action ?? "none"}`
      }
      rowHeight={52}
      height={height}
      empty="No reading would be treated differently from the original import"
    />
  );
}
