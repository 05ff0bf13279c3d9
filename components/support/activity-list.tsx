import Link from "next/link";
import { formatDateTime } from "@/components/ui/format";
import type { ActivityRow } from "@/db/repository";
import { ActionCounts } from "./action-counts";
import { StatusBadge } from "./status-badge";

function What({ row }: { row: ActivityRow }) {
  if (row.status === "ignored") {
    // The ERP asked for something that does not exist: say exactly what it asked for.
    const asked = row.use_case_slug
      ? `use case “${row.use_case_slug}”`
      : `event “${row.event_name ?? "?"}”`;
    return (
      <span className="text-amber-800" data-testid="ignored-warning">
        ⚠ No use case matches {asked}
      </span>
    );
  }
  return (
    <span className="min-w-0 break-words">
      <span className="font-medium text-ink">{row.use_case_slug ?? "no use case"}</span>
      {row.config_version ? <span className="text-muted"> · v{row.config_version}</span> : null}
      {row.event_name && !row.use_case_slug ? (
        <span className="text-muted"> · {row.event_name}</span>
      ) : null}
    </span>
  );
}

/** Events and imports, newest first: one row each, the whole row opening its detail. */
export function ActivityList({ rows }: { rows: ActivityRow[] }) {
  return (
    <ul aria-label="Events and imports" className="divide-y divide-line">
      {rows.map((row) => (
        <li
          key={row.id}
          data-testid="activity-row"
          data-status={row.status}
          className="grid gap-x-4 gap-y-1.5 px-4 py-3 text-sm sm:grid-cols-[10.5rem_minmax(0,1fr)_minmax(0,14rem)] sm:px-5"
        >
          <div className="flex flex-wrap items-center gap-2 sm:flex-col sm:items-start sm:gap-1">
            <Link
              href={`/imports/${row.id}`}
              className="font-medium text-ink hover:text-accent hover:underline"
            >
              {formatDateTime(row.at)}
            </Link>
            <span className="flex items-center gap-1.5">
              <StatusBadge status={row.status} />
              {row.import_status && row.import_status !== "applied" && row.kind === "event" ? (
                <StatusBadge status={row.import_status} />
              ) : null}
              <span className="text-xs text-muted">{row.trigger ?? "api"}</span>
            </span>
          </div>
          <div className="min-w-0">
            <div className="flex flex-wrap gap-x-2">
              <What row={row} />
              <span className="text-muted">{row.integration_name ?? ""}</span>
            </div>
            {row.error_code || row.error_message ? (
              <p className="mt-0.5 line-clamp-2 text-[13px] break-words text-red-800">
                {row.error_code ? (
                  <code className="mr-1.5 font-mono text-xs">{row.error_code}</code>
                ) : null}
                {row.status === "ignored" ? "" : row.error_message}
              </p>
            ) : null}
            <p className="mt-0.5 flex flex-wrap gap-x-3 font-mono text-[11.5px] text-muted">
              {row.correlation_id ? (
                <Link
                  href={`/imports?correlation=${encodeURIComponent(row.correlation_id)}`}
                  className="hover:underline"
                >
                  corr {row.correlation_id}
                </Link>
              ) : null}
              {row.deduplication_id ? <span>dedup {row.deduplication_id}</span> : null}
              {row.replay_of ? <span>replay of {row.replay_of.slice(0, 8)}</span> : null}
            </p>
          </div>
          <div className="flex flex-wrap items-start gap-x-3 gap-y-1 sm:flex-col sm:items-end sm:text-right">
            <ActionCounts counts={row.counts} />
            {row.duration_ms !== null ? (
              <span className="font-mono text-[11.5px] text-muted">
                {row.duration_ms.toLocaleString("en-GB")} ms
              </span>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
