"use client";

import Link from "next/link";
import { cellText } from "@/components/preview/format";
import { CellText, type Column, VirtualTable } from "@/components/preview/virtual-table";
import type { CurrentReading } from "@/db/repository/undo";
import type { StoredReading } from "@/lib/engine/types";
import type { UndoConflict, UndoPlan, UndoRestore } from "@/lib/server/imports/undo-plan";

type Entities = UndoPlan["entities"];

/** Attributes that name a meter or counter (meter_number, counter_code, serial...). */
const NAMING = /number|code|serial|(^|_)id$/i;

/** A meter or counter by what people know it by: a naming attribute, else its first text one. */
function entityName(entities: Entities, id: string | null): string {
  if (!id) return "";
  const entries = Object.entries(entities[id] ?? {}).filter(
    ([, v]) => typeof v === "string" || typeof v === "number",
  );
  const named = entries.find(([k]) => NAMING.test(k)) ?? entries[0];
  return named ? String(named[1]) : id.slice(0, 8);
}

const readingColumns = (entities: Entities): Column<StoredReading>[] => [
  {
    key: "meter",
    header: "Meter",
    width: 110,
    grow: 1,
    cell: (r) => <CellText mono>{entityName(entities, r.meter_id)}</CellText>,
  },
  {
    key: "external_id",
    header: "External id",
    width: 140,
    grow: 1,
    cell: (r) => <CellText mono>{cellText(r.external_id)}</CellText>,
    title: (r) => cellText(r.external_id),
  },
  {
    key: "timestamp",
    header: "Timestamp (UTC)",
    width: 222,
    cell: (r) => <CellText mono>{r.timestamp}</CellText>,
  },
  {
    key: "value",
    header: "Value",
    width: 100,
    align: "right",
    cell: (r) => <CellText mono>{r.value}</CellText>,
  },
  {
    key: "source",
    header: "Source",
    width: 90,
    cell: (r) => <CellText>{cellText(r.source)}</CellText>,
  },
];

/** The readings the undo deletes (the import created them), as stored now. */
export function RemovesTable({ rows, entities }: { rows: CurrentReading[]; entities: Entities }) {
  return (
    <VirtualTable
      rows={rows}
      columns={readingColumns(entities)}
      label="Readings the undo removes"
      rowTestId="undo-remove-row"
      rowKey={(r) => r.id}
      rowLabel={(r) => `Remove ${r.external_id ?? r.id}`}
      height="20rem"
      empty="The import created no reading that is still stored"
    />
  );
}

/** What a restore changes, `value: 11.5 → 10`; a re-inserted reading says so. */
function restoreText(r: UndoRestore): string {
  if (!r.before) return "stored again (the import deleted it)";
  if (r.changed.length === 0) return "import's writer only";
  return r.changed
    .map((c) => {
      const key = c as keyof StoredReading;
      return `${c}: ${cellText(r.before?.[key])} → ${cellText(r.after[key])}`;
    })
    .join("; ");
}

/** The readings the undo puts back as the import's audit kept them. */
export function RestoresTable({ rows, entities }: { rows: UndoRestore[]; entities: Entities }) {
  const columns: Column<UndoRestore>[] = [
    ...readingColumns(entities)
      .slice(0, 2)
      .map((c) => ({ ...c, cell: (r: UndoRestore) => c.cell(r.after, 0), title: undefined })),
    {
      key: "change",
      header: "Now → restored",
      width: 260,
      grow: 3,
      cell: (r) => <CellText mono>{restoreText(r)}</CellText>,
      title: restoreText,
    },
  ];
  return (
    <VirtualTable
      rows={rows}
      columns={columns}
      label="Readings the undo restores"
      rowTestId="undo-restore-row"
      rowKey={(r) => r.after.id}
      rowLabel={(r) => `Restore ${r.after.external_id ?? r.after.id}`}
      height="20rem"
      empty="The import updated or deleted no stored reading"
    />
  );
}

/** The readings that stop the undo, with what happened to them and the import that did it. */
export function ConflictsTable({ plan }: { plan: UndoPlan }) {
  const columns: Column<UndoConflict>[] = [
    {
      key: "meter",
      header: "Meter",
      width: 100,
      cell: (c) => <CellText mono>{entityName(plan.entities, c.meter_id)}</CellText>,
    },
    {
      key: "external_id",
      header: "External id",
      width: 130,
      grow: 1,
      cell: (c) => <CellText mono>{cellText(c.external_id ?? c.reading_id)}</CellText>,
    },
    {
      key: "reason",
      header: "What happened",
      width: 200,
      grow: 2,
      cell: (c) => <CellText>{c.reason}</CellText>,
      title: (c) => c.reason,
    },
    {
      key: "import",
      header: "By import",
      width: 150,
      cell: (c) =>
        c.import_id ? (
          <Link
            href={`/imports/${c.import_id}`}
            className="truncate font-mono text-xs text-accent hover:underline"
          >
            {plan.imports[c.import_id]?.trigger ?? "import"} {c.import_id.slice(0, 8)}
          </Link>
        ) : (
          <span className="text-xs text-muted">not known</span>
        ),
    },
  ];
  return (
    <VirtualTable
      rows={plan.conflicts}
      columns={columns}
      label="Readings that changed since the import"
      rowTestId="undo-conflict-row"
      rowKey={(c) => c.reading_id}
      rowLabel={(c) => `${c.external_id ?? c.reading_id}: ${c.reason}`}
      height="20rem"
    />
  );
}
