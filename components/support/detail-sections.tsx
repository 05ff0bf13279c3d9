import Link from "next/link";
import type { ReactNode } from "react";
import { formatDateTime } from "@/components/ui/format";
import type { ImportDetail } from "@/lib/server/support/detail-service";
import { StatusBadge } from "./status-badge";

/** A definition list of facts, two columns on wide screens. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[11rem_minmax(0,1fr)]">
      {rows
        .filter(([, v]) => v !== null && v !== undefined && v !== "")
        .map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-muted">{label}</dt>
            <dd className="min-w-0 break-words">{value}</dd>
          </div>
        ))}
    </dl>
  );
}

const attrs = (a: Record<string, unknown>) =>
  Object.entries(a)
    .filter(([, v]) => typeof v !== "object" || v === null)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ");

/** Errors and other codes, grouped, each with its count and first examples (plan positions). */
export function CodeGroups({
  codes,
  baseHref,
}: {
  codes: ImportDetail["decisions"]["codes"];
  baseHref: string;
}) {
  if (codes.length === 0) return <p className="text-sm text-muted">No decision carries a code.</p>;
  return (
    <ul aria-label="Codes" className="divide-y divide-line rounded-lg border border-line">
      {codes.map((c) => (
        <li
          key={c.code}
          data-testid="code-group"
          className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5 text-sm"
        >
          <span className="flex items-center gap-2">
            <Link
              href={`${baseHref}?dcode=${encodeURIComponent(c.code)}`}
              className={`font-mono text-[13px] hover:underline ${c.action === "error" ? "text-red-800" : "text-ink"}`}
            >
              {c.code}
            </Link>
            <span className="text-xs text-muted">{c.action}</span>
          </span>
          <span className="text-muted">
            {c.count.toLocaleString("en-GB")} × · first at decision {c.examples.join(", ")}
          </span>
        </li>
      ))}
    </ul>
  );
}

const COLUMNS = [
  "external_id",
  "timestamp",
  "value",
  "source",
  "reason",
  "direction",
  "counter_id",
] as const;

/** Every stored row the import overwrote or deleted: as it was, and as it is stored now. */
export function AuditTable({ audit }: { audit: ImportDetail["audit"] }) {
  if (audit.total === 0)
    return <p className="text-sm text-muted">The import overwrote and deleted nothing.</p>;
  return (
    <div>
      <p className="mb-2 text-sm text-muted">
        {audit.total.toLocaleString("en-GB")} rows overwritten or deleted
        {audit.total > audit.rows.length
          ? ` (the first ${audit.rows.length} shown; the plan download has them all)`
          : ""}
        .
      </p>
      <div className="max-h-[28rem] overflow-auto rounded-lg border border-line">
        <table className="w-full text-left text-[12.5px]" aria-label="Audit">
          <thead className="sticky top-0 bg-stone-50 text-xs text-muted">
            <tr>
              <th className="px-3 py-2 font-medium">Reading</th>
              {COLUMNS.map((c) => (
                <th key={c} className="px-3 py-2 font-medium">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="font-mono">
            {audit.rows.map(({ before, after }) => (
              <tr key={before.id} className="border-t border-line align-top">
                <td className="px-3 py-1.5">
                  {before.id.slice(0, 8)}
                  <div className="font-sans text-[11px] text-muted">
                    {after ? "now" : "deleted"}
                  </div>
                </td>
                {COLUMNS.map((c) => {
                  const was = before[c as keyof typeof before];
                  const now = after?.[c];
                  const changed = after && String(now ?? "") !== String(was ?? "");
                  return (
                    <td key={c} className="px-3 py-1.5 whitespace-nowrap">
                      <span className={after && !changed ? "" : "text-rose-800"}>
                        {String(was ?? "—")}
                      </span>
                      {changed ? <div className="text-green-800">{String(now ?? "—")}</div> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Counters of the import's meters that got no reading from it. */
export function Coverage({ uncovered }: { uncovered: ImportDetail["uncovered"] }) {
  if (uncovered.length === 0)
    return (
      <p className="text-sm text-muted">
        Every counter of the meters it touched got a reading (or the meters have no counters).
      </p>
    );
  return (
    <ul
      aria-label="Counters without a reading"
      className="divide-y divide-line rounded-lg border border-line text-sm"
    >
      {uncovered.map((c) => (
        <li key={c.id} className="flex flex-wrap justify-between gap-2 px-4 py-2">
          <span className="font-mono text-[12.5px]">{attrs(c.attributes) || c.id}</span>
          <Link href={`/meters/${c.meter_id}`} className="text-accent hover:underline">
            meter {attrs(c.meter_attributes) || c.meter_id}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** The events of one ERP run (same correlation id), this one marked. */
export function RunEvents({
  events,
  current,
}: {
  events: { id: string; status: string; received_at: string; use_case_slug: string | null }[];
  current: string;
}) {
  return (
    <ul
      aria-label="Events of this run"
      className="divide-y divide-line rounded-lg border border-line text-sm"
    >
      {events.map((e) => (
        <li key={e.id} className="flex flex-wrap items-center gap-3 px-4 py-2">
          <StatusBadge status={e.status} />
          {e.id === current ? (
            <span className="font-medium">{formatDateTime(e.received_at)} (this event)</span>
          ) : (
            <Link href={`/imports/${e.id}`} className="text-accent hover:underline">
              {formatDateTime(e.received_at)}
            </Link>
          )}
          <span className="text-muted">{e.use_case_slug ?? ""}</span>
        </li>
      ))}
    </ul>
  );
}
