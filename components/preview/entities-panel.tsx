"use client";

import { useMemo } from "react";
import { EntitiesTable } from "./entities-table";
import { ENTITY_KINDS, type EntityKind, type EntityRow, entityKind } from "./entity-rows";

export interface EntityFilter {
  kind: EntityKind | "all";
  schema: string | "all";
}

const select = "h-8 rounded-md border border-stone-300 bg-panel px-2 text-sm";

/** The Entities tab: entity decisions in plan order, filtered by kind (prune, stub...) and schema. */
export function EntitiesPanel({
  rows,
  filter,
  onFilter,
  onOpen,
  height,
}: {
  rows: readonly EntityRow[];
  filter: EntityFilter;
  onFilter: (filter: EntityFilter) => void;
  onOpen: (row: EntityRow) => void;
  height?: string;
}) {
  const { kinds, schemas } = useMemo(() => {
    const kinds = new Map<EntityKind, number>();
    const schemas = new Map<string, number>();
    for (const { decision } of rows) {
      const kind = entityKind(decision);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      schemas.set(decision.entity_schema, (schemas.get(decision.entity_schema) ?? 0) + 1);
    }
    return { kinds, schemas };
  }, [rows]);
  const shown = useMemo(
    () =>
      rows.filter(
        ({ decision }) =>
          (filter.kind === "all" || entityKind(decision) === filter.kind) &&
          (filter.schema === "all" || decision.entity_schema === filter.schema),
      ),
    [rows, filter],
  );
  const n = (k: number) => k.toLocaleString("en-GB");
  const what = [
    filter.kind === "all" ? "" : filter.kind,
    filter.schema === "all" ? "" : filter.schema,
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-muted">Show</span>
          <select
            value={filter.kind}
            onChange={(e) => onFilter({ ...filter, kind: e.target.value as EntityKind | "all" })}
            className={select}
            aria-label="Filter entity decisions by action"
          >
            <option value="all">All actions ({n(rows.length)})</option>
            {ENTITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {k} ({n(kinds.get(k) ?? 0)})
              </option>
            ))}
          </select>
          <select
            value={filter.schema}
            onChange={(e) => onFilter({ ...filter, schema: e.target.value })}
            className={select}
            aria-label="Filter entity decisions by schema"
          >
            <option value="all">All schemas</option>
            {[...schemas].map(([schema, k]) => (
              <option key={schema} value={schema}>
                {schema} ({n(k)})
              </option>
            ))}
          </select>
        </div>
        <span className="text-xs text-muted">
          Select a row for its reason, attributes and relations.
        </span>
      </div>
      <EntitiesTable
        rows={shown}
        onOpen={onOpen}
        height={height}
        empty={
          rows.length === 0
            ? "The entity mappings decide nothing for this sample"
            : `No ${what} entity decisions`
        }
      />
    </div>
  );
}
