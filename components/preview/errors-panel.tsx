"use client";

import type { DecisionRow } from "./decisions-table";
import { EntitiesTable } from "./entities-table";
import type { EntityRow } from "./entity-rows";
import { ErrorsTable } from "./errors-table";

/** The Errors tab: every error of the plan, entities' first (they come first in the plan). */
export function ErrorsPanel({
  readingErrors,
  readingErrorCount,
  entityErrors,
  onOpenReading,
  onOpenEntity,
  height,
}: {
  readingErrors: readonly DecisionRow[];
  /** All the plan's reading errors (the rows may be the first of them only). */
  readingErrorCount: number;
  entityErrors: readonly EntityRow[];
  onOpenReading: (row: DecisionRow) => void;
  onOpenEntity: (row: EntityRow) => void;
  height?: string;
}) {
  const readings = <ErrorsTable rows={readingErrors} onOpen={onOpenReading} height={height} />;
  if (entityErrors.length === 0) return readings;
  return (
    <div className="flex flex-col gap-4">
      <section className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">
          Entity errors ({entityErrors.length.toLocaleString("en-GB")})
        </h3>
        <EntitiesTable
          rows={entityErrors}
          label="Entity errors"
          onOpen={onOpenEntity}
          height={height}
        />
      </section>
      <section className="flex flex-col gap-2">
        <h3 className="text-sm font-semibold">
          Reading errors ({readingErrorCount.toLocaleString("en-GB")})
        </h3>
        {readings}
      </section>
    </div>
  );
}
