"use client";

import { useMemo } from "react";
import { TYPED_READING_ATTRIBUTES } from "@/lib/engine/constants";
import type { PreviewDecision } from "@/lib/server/studio/studio-preview-service";
import { ActionBadge } from "./action-badge";
import type { DecisionRow } from "./decisions-table";
import { cellText, counterText, decisionPosition, meterText } from "./format";
import { CellText, type Column, VirtualTable } from "./virtual-table";

/** Every attribute the mapped readings carry: the typed ones first, custom ones as first seen. */
function attributesSeen(rows: readonly DecisionRow[]): string[] {
  const seen = new Set<string>();
  for (const { decision } of rows) {
    if (!decision.reading) continue;
    for (const key of Object.keys(decision.reading)) seen.add(key);
  }
  const typed = TYPED_READING_ATTRIBUTES.filter((a) => seen.has(a));
  const custom = [...seen].filter(
    (a) => !(TYPED_READING_ATTRIBUTES as readonly string[]).includes(a),
  );
  return [...typed, ...custom];
}

const WIDTHS: Record<string, number> = { timestamp: 200, external_id: 170, value: 110 };

/** The mapped readings, one column per attribute seen in any of them. */
export function ReadingsTable({
  rows,
  onOpen,
  height,
}: {
  rows: readonly DecisionRow[];
  onOpen: (row: DecisionRow) => void;
  height?: string;
}) {
  const withReading = useMemo(() => rows.filter((r) => r.decision.reading), [rows]);
  const columns = useMemo((): Column<DecisionRow>[] => {
    const attributes = attributesSeen(withReading);
    const hasCounter = withReading.some((r) => r.decision.counter);
    const fixed: Column<DecisionRow>[] = [
      {
        key: "position",
        header: "Item:index",
        width: 88,
        cell: ({ decision }) => <CellText mono>{decisionPosition(decision)}</CellText>,
      },
      {
        key: "action",
        header: "Action",
        width: 96,
        cell: ({ decision }) => <ActionBadge action={decision.action} />,
      },
      {
        key: "meter",
        header: "Meter",
        width: 170,
        cell: ({ decision }) => <CellText mono>{meterText(decision)}</CellText>,
        title: (r: DecisionRow) => meterText(r.decision),
      },
    ];
    if (hasCounter) {
      fixed.push({
        key: "counter",
        header: "Counter",
        width: 150,
        cell: ({ decision }) => <CellText mono>{counterText(decision)}</CellText>,
      });
    }
    const attributeColumns = attributes.map(
      (attribute): Column<DecisionRow> => ({
        key: `a:${attribute}`,
        header: attribute,
        width: WIDTHS[attribute] ?? 140,
        align: attribute === "value" ? "right" : "left",
        cell: ({ decision }: { decision: PreviewDecision }) => (
          <CellText mono>{cellText(decision.reading?.[attribute])}</CellText>
        ),
        title: ({ decision }) => cellText(decision.reading?.[attribute]),
      }),
    );
    return [...fixed, ...attributeColumns];
  }, [withReading]);

  return (
    <VirtualTable
      rows={withReading}
      columns={columns}
      label="Mapped readings"
      rowTestId="reading-row"
      rowKey={(row) => row.n}
      rowLabel={({ decision }) =>
        `Reading ${decisionPosition(decision)}: ${cellText(decision.reading?.external_id)}`
      }
      onRowClick={onOpen}
      height={height}
      empty="No reading was mapped"
    />
  );
}
