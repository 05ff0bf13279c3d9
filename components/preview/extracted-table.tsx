"use client";

import { useMemo, useState } from "react";
import type { ExtractedList } from "@/lib/server/studio/studio-preview-service";
import { cellText } from "./format";
import { CellText, type Column, VirtualTable } from "./virtual-table";

const MAX_COLUMNS = 40;

interface ItemRow {
  index: number;
  value: unknown;
}

function keysOf(rows: readonly unknown[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) {
    if (row === null || typeof row !== "object" || Array.isArray(row)) continue;
    for (const key of Object.keys(row)) {
      keys.add(key);
      if (keys.size >= MAX_COLUMNS) return [...keys];
    }
  }
  return [...keys];
}

/** The raw items each meter_readings entry extracts from the sample, before any mapping. */
export function ExtractedTable({ lists, height }: { lists: ExtractedList[]; height?: string }) {
  const [selected, setSelected] = useState(0);
  const list = lists[Math.min(selected, lists.length - 1)];
  const rows = useMemo(
    () => (list?.rows ?? []).map((value, index): ItemRow => ({ index, value })),
    [list],
  );
  const columns = useMemo((): Column<ItemRow>[] => {
    const keys = keysOf(list?.rows ?? []);
    const position: Column<ItemRow> = {
      key: "index",
      header: "Index",
      width: 72,
      cell: (r) => <CellText mono>{r.index}</CellText>,
    };
    if (keys.length === 0) {
      return [
        position,
        {
          key: "value",
          header: "Item",
          width: 600,
          cell: (r) => <CellText mono>{cellText(r.value)}</CellText>,
          title: (r) => cellText(r.value),
        },
      ];
    }
    return [
      position,
      ...keys.map(
        (key): Column<ItemRow> => ({
          key,
          header: key,
          width: 150,
          cell: (r) => (
            <CellText mono>{cellText((r.value as Record<string, unknown> | null)?.[key])}</CellText>
          ),
          title: (r) => cellText((r.value as Record<string, unknown> | null)?.[key]),
        }),
      ),
    ];
  }, [list]);

  if (!list)
    return <p className="py-8 text-center text-sm text-muted">The draft maps no readings.</p>;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        {lists.length > 1 ? (
          <label className="flex items-center gap-2">
            <span className="text-muted">Entry</span>
            <select
              value={selected}
              onChange={(e) => setSelected(Number(e.target.value))}
              className="h-8 rounded-md border border-stone-300 bg-panel px-2 text-sm"
            >
              {lists.map((l, i) => (
                <option key={l.item} value={i}>
                  meter_readings[{l.item}]
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="text-muted">
          <code className="font-mono text-xs text-ink">
            {list.expression ?? "(no jsonataExpression: the payload is one reading)"}
          </code>{" "}
          gives {list.total.toLocaleString("en-GB")} {list.total === 1 ? "item" : "items"}
          {list.rows.length < list.total
            ? `; the first ${list.rows.length.toLocaleString("en-GB")} are shown`
            : ""}
        </span>
      </div>
      {list.ok ? (
        <VirtualTable
          rows={rows}
          columns={columns}
          label={`Items extracted by meter_readings[${list.item}]`}
          rowTestId="extracted-row"
          rowKey={(r) => r.index}
          height={height}
          empty="The expression extracts no items"
        />
      ) : (
        <p
          role="alert"
          className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          The extraction failed: {list.message}
        </p>
      )}
    </div>
  );
}
