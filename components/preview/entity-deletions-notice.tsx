"use client";

import type { EntityFilter } from "./entities-panel";
import type { EntitySummary } from "./entity-rows";
import { count } from "./format";
import { Notice } from "./notice";

/**
 * Warns, like the readings' prune banner, about entities the plan prunes or purges for good: a
 * consultant must see them before publishing. Nothing when there are none.
 */
export function EntityDeletionsNotice({
  summary,
  onShow,
}: {
  summary: EntitySummary;
  onShow: (filter: EntityFilter) => void;
}) {
  const prunes = summary.counts.prune;
  if (prunes === 0 && summary.purged === 0) return null;
  return (
    <Notice tone="warning">
      <span data-testid="entity-deletions-notice">
        {prunes > 0 ? (
          <>
            <strong className="font-semibold">
              {count(prunes, "stored entity", "stored entities")} would be deleted by pruning
            </strong>
            : they are in the prune scope of an entity mapping but not in this payload.{" "}
          </>
        ) : null}
        {summary.purged > 0 ? (
          <>
            <strong className="font-semibold">
              {count(summary.purged, "entity", "entities")} would be purged for good
            </strong>
            : no restore, and a purged meter or counter takes its readings with it.{" "}
          </>
        ) : null}
        <button
          type="button"
          onClick={() => onShow({ kind: prunes > 0 ? "prune" : "delete", schema: "all" })}
          className="font-medium underline underline-offset-2 hover:no-underline"
        >
          Show the entity deletions
        </button>
      </span>
    </Notice>
  );
}
