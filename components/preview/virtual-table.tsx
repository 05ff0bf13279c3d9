"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useRef } from "react";

export interface Column<T> {
  key: string;
  header: string;
  /** Width in pixels: rows are absolutely positioned, so every cell must know its width. */
  width: number;
  /**
   * Share of the room left over (a CSS fr): the column is at least `width` wide and grows with
   * the table, so a table that fits its panel never needs to scroll sideways.
   */
  grow?: number;
  cell: (row: T, index: number) => ReactNode;
  /** Plain text of the cell for its title tooltip (long values are cut off). */
  title?: (row: T) => string | undefined;
  align?: "left" | "right";
}

export interface VirtualTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  /** Accessible name of the table. */
  label: string;
  /** data-testid of each row, e.g. "decision-row". */
  rowTestId: string;
  rowKey: (row: T, index: number) => string | number;
  /** Accessible name of a row, e.g. "Decision 0:3, update". */
  rowLabel?: (row: T, index: number) => string;
  onRowClick?: (row: T, index: number) => void;
  rowHeight?: number;
  /** Largest CSS height of the scroll area; fewer rows make it shorter. */
  height?: string;
  empty?: ReactNode;
}

/**
 * A table that stays fluid with 100k rows: fixed row height, a sticky header, and only the rows in
 * view (plus a few) in the DOM. Columns have fixed widths, so wide tables scroll sideways.
 */
export function VirtualTable<T>({
  rows,
  columns,
  label,
  rowTestId,
  rowKey,
  rowLabel,
  onRowClick,
  rowHeight = 36,
  height = "28rem",
  empty,
}: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const template = columns
    .map((c) => (c.grow ? `minmax(${c.width}px, ${c.grow}fr)` : `${c.width}px`))
    .join(" ");

  if (rows.length === 0) {
    return (
      <div
        role="note"
        aria-label={label}
        className="rounded-lg border border-dashed border-line bg-panel px-4 py-8 text-center text-sm text-muted"
      >
        {empty ?? "Nothing to show"}
      </div>
    );
  }
  // Real table elements laid out as grids: rows are absolutely positioned inside the body.
  return (
    <div
      ref={scrollRef}
      className="relative overflow-auto rounded-lg border border-line bg-panel text-sm"
      // As tall as the rows need (and a sideways scrollbar), at most `height`, then it scrolls.
      style={{ height: `min(${(rows.length + 1) * rowHeight + 2 + 16}px, ${height})` }}
    >
      <table
        aria-label={label}
        aria-rowcount={rows.length + 1}
        className="grid"
        // At least as wide as its columns (then it scrolls sideways), else as wide as the panel.
        style={{ width: "100%", minWidth: width }}
      >
        <thead className="sticky top-0 z-10 grid">
          <tr
            aria-rowindex={1}
            className="grid border-b border-line bg-stone-50 text-xs font-medium text-muted"
            style={{ gridTemplateColumns: template, height: rowHeight }}
          >
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={`flex items-center truncate px-3 text-left font-medium ${c.align === "right" ? "justify-end" : ""}`}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index] as T;
            return (
              <tr
                key={rowKey(row, item.index)}
                aria-rowindex={item.index + 2}
                aria-label={rowLabel?.(row, item.index)}
                data-testid={rowTestId}
                tabIndex={onRowClick ? 0 : undefined}
                onClick={onRowClick ? () => onRowClick(row, item.index) : undefined}
                onKeyDown={
                  onRowClick
                    ? (event) => {
                        if (event.key === "Enter" || event.key === " ") {
                          event.preventDefault();
                          onRowClick(row, item.index);
                        }
                      }
                    : undefined
                }
                className={`absolute top-0 left-0 grid w-full border-b border-stone-100 ${
                  onRowClick
                    ? "cursor-pointer hover:bg-stone-50 focus-visible:bg-accent-soft focus-visible:outline-none"
                    : ""
                }`}
                style={{
                  gridTemplateColumns: template,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                {columns.map((c) => (
                  <td
                    key={c.key}
                    title={c.title?.(row)}
                    className={`flex min-w-0 items-center px-3 ${c.align === "right" ? "justify-end tabular-nums" : ""}`}
                  >
                    {c.cell(row, item.index)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A cell's text, cut off with an ellipsis; the full text is in the cell's title. */
export function CellText({ children, mono = false }: { children: ReactNode; mono?: boolean }) {
  return <span className={`truncate ${mono ? "font-mono text-[12.5px]" : ""}`}>{children}</span>;
}
