import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDateTime, plural } from "@/components/ui/format";
import type { DeletedEntityItem } from "@/lib/server/entities/deleted-entities-service";
import { labelText } from "@/lib/server/entities/entity-label";
import { RestoreEntity } from "./restore-entity";

function DaysLeft({ days }: { days: number }) {
  if (days === 0) return <Badge tone="danger">due for purge</Badge>;
  return (
    <Badge tone={days <= 3 ? "warning" : "neutral"}>
      {days === 1 ? "less than a day left" : `${plural(days, "day")} left`}
    </Badge>
  );
}

/** The import that deleted a row, linked to its page. */
function DeletedBy({ row }: { row: DeletedEntityItem }) {
  if (!row.import_id) return <span className="text-muted">no import recorded</span>;
  const what = [row.use_case_slug, row.import_trigger].filter(Boolean).join(" · ");
  return (
    <span className="min-w-0 break-words text-muted">
      by{" "}
      <Link
        href={`/imports/${row.import_id}`}
        className="font-mono text-xs text-accent hover:underline"
      >
        import {row.import_id.slice(0, 8)}
      </Link>
      {what ? <span> ({what})</span> : null}
    </span>
  );
}

/** Soft-deleted entities, newest deletion first; `canRestore` adds each one's Restore button. */
export function DeletedList({
  rows,
  canRestore,
}: {
  rows: DeletedEntityItem[];
  canRestore: boolean;
}) {
  return (
    <ul aria-label="Deleted entities" className="divide-y divide-line">
      {rows.map((row) => {
        const name = labelText(row.label, row.id.slice(0, 8));
        return (
          <li
            key={row.id}
            data-testid="deleted-entity-row"
            className="grid gap-x-4 gap-y-2 px-4 py-3 text-sm sm:grid-cols-[minmax(0,1fr)_minmax(0,15rem)_auto] sm:items-center sm:px-5"
          >
            <div className="min-w-0">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Badge tone="accent">{row.entity_schema}</Badge>
                <span className="min-w-0 font-medium break-words text-ink">
                  {row.label.length > 0
                    ? row.label.map((p, i) => (
                        <span key={p.attribute}>
                          {i > 0 ? <span className="text-muted">, </span> : null}
                          <span className="font-normal text-muted">{p.attribute} </span>
                          {p.value}
                        </span>
                      ))
                    : "no scalar attributes"}
                </span>
              </div>
              <p className="mt-0.5 font-mono text-[11.5px] break-all text-muted">{row.id}</p>
            </div>
            <div className="flex min-w-0 flex-col gap-0.5">
              <span>
                <span className="text-muted">Deleted </span>
                <time dateTime={row.deleted_at}>{formatDateTime(row.deleted_at)}</time>
              </span>
              <DeletedBy row={row} />
            </div>
            <div className="flex items-center gap-3 sm:justify-end">
              <DaysLeft days={row.days_left} />
              {canRestore && row.days_left > 0 ? (
                <RestoreEntity entityId={row.id} schema={row.entity_schema} name={name} />
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
