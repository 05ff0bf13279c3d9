"use client";

import { ENTITY_KIND_STYLES } from "./entity-badge";
import { ENTITY_KINDS, type EntityKind, type EntitySummary } from "./entity-rows";

/**
 * The entity decisions' counts, a row apart from the readings' (entities are counted apart in the
 * plan too): only the kinds that occur; a chip filters the Entities tab by its kind.
 */
export function EntitySummaryChips({
  summary,
  selected,
  onSelect,
}: {
  summary: EntitySummary;
  selected?: EntityKind | "all";
  onSelect?: (kind: EntityKind | "all") => void;
}) {
  const shown = ENTITY_KINDS.filter((k) => summary.counts[k] > 0);
  return (
    <div className="flex flex-wrap items-center gap-x-2 gap-y-1.5">
      <span className="w-16 shrink-0 text-xs font-medium text-muted">Entities</span>
      <ul aria-label="Entity summary" className="flex flex-wrap items-center gap-1.5">
        {shown.length === 0 ? (
          <li className="text-xs text-muted">no entity decisions for this sample</li>
        ) : null}
        {shown.map((kind) => {
          const pressed = selected === kind;
          return (
            <li key={kind}>
              <button
                type="button"
                data-testid={`entity-summary-${kind}`}
                aria-pressed={onSelect ? pressed : undefined}
                disabled={!onSelect}
                onClick={() => onSelect?.(pressed ? "all" : kind)}
                className={`inline-flex h-7 items-center gap-1.5 rounded-full border px-2.5 text-xs font-medium tabular-nums transition-shadow disabled:cursor-default ${ENTITY_KIND_STYLES[kind]} ${
                  pressed ? "ring-2 ring-accent ring-offset-1" : ""
                }`}
              >
                <span className="font-semibold">
                  {summary.counts[kind].toLocaleString("en-GB")}
                </span>{" "}
                {kind}
              </button>
            </li>
          );
        })}
        {summary.purged > 0 ? (
          <li>
            <span
              data-testid="entity-summary-purged"
              className="inline-flex h-7 items-center gap-1 rounded-full border border-red-300 bg-red-50 px-2.5 text-xs font-semibold text-red-800"
            >
              <span aria-hidden="true">⚠</span> {summary.purged.toLocaleString("en-GB")} purged for
              good
            </span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
