import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { auditPage } from "@/lib/server/auth/audit-trail";
import { requirePageUser } from "@/lib/server/auth/page-guard";

export const metadata: Metadata = { title: "Audit trail · Meter Mapping Studio" };

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
const day = (value: string | undefined, end: boolean) => {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T${end ? "23:59:59.999" : "00:00:00"}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** Who changed what, newest first; filters live in the URL so a view can be shared. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requirePageUser("administer");
  const search = await searchParams;
  const filters = {
    actor: one(search.actor),
    action: one(search.action),
    targetType: one(search.target),
    fromDay: one(search.from),
    toDay: one(search.to),
  };
  const { rows, next, facets } = await auditPage(getDb(), {
    actor: filters.actor,
    action: filters.action,
    targetType: filters.targetType,
    from: day(filters.fromDay, false),
    to: day(filters.toDay, true),
    cursor: one(search.cursor),
  });
  const nextHref = next
    ? `/audit?${new URLSearchParams({
        ...Object.fromEntries(
          Object.entries({
            actor: filters.actor,
            action: filters.action,
            target: filters.targetType,
            from: filters.fromDay,
            to: filters.toDay,
          }).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        cursor: next,
      })}`
    : null;
  const select = "mt-1 block h-9 w-full rounded-md border border-line bg-panel px-2 text-sm";

  return (
    <main className="mx-auto max-w-5xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: "Audit trail" }]} />
      <div className="mt-4">
        <PageHeader
          title="Audit trail"
          description="Every change made through the studio: integrations, API keys, configurations, imports and users, with who made it and when."
        />
      </div>
      <form
        method="get"
        aria-label="Filter the audit trail"
        className="mt-6 grid gap-3 rounded-lg border border-line bg-panel p-4 sm:grid-cols-2 lg:grid-cols-6"
      >
        <label className="text-sm font-medium">
          Who
          <select name="actor" defaultValue={filters.actor ?? ""} className={select}>
            <option value="">Anyone</option>
            {facets.actors.map((actor) => (
              <option key={actor}>{actor}</option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Action
          <select name="action" defaultValue={filters.action ?? ""} className={select}>
            <option value="">Any</option>
            {facets.actions.map((action) => (
              <option key={action}>{action}</option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Target
          <select name="target" defaultValue={filters.targetType ?? ""} className={select}>
            <option value="">Any</option>
            {["integration", "api_key", "use_case", "user", "import"].map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={filters.fromDay} className={select} />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={filters.toDay} className={select} />
        </label>
        <div className="flex items-end gap-2">
          <Button type="submit" variant="primary" size="sm">
            Filter
          </Button>
          <ButtonLink href="/audit" size="sm" variant="ghost">
            Clear
          </ButtonLink>
        </div>
      </form>

      <div className="mt-6">
        {rows.length === 0 ? (
          <EmptyState title="Nothing recorded for these filters">
            Changes appear here as they are made.
          </EmptyState>
        ) : (
          <Card>
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm" aria-label="Audit trail">
                <thead className="border-b border-line bg-stone-50 text-xs text-muted uppercase">
                  <tr>
                    <th className="px-4 py-2 font-medium">When</th>
                    <th className="px-4 py-2 font-medium">Who</th>
                    <th className="px-4 py-2 font-medium">Action</th>
                    <th className="px-4 py-2 font-medium">Target</th>
                    <th className="px-4 py-2 font-medium">Details</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-line">
                  {rows.map((row) => (
                    <tr key={row.id} data-testid="audit-row" data-action={row.action}>
                      <td className="px-4 py-2 whitespace-nowrap">
                        <time dateTime={row.at.toISOString()}>{formatDateTime(row.at)}</time>
                      </td>
                      <td className="px-4 py-2">
                        <span className="break-all">{row.actorEmail ?? "system"}</span>
                        {row.actorRole ? (
                          <span className="block text-xs text-muted">{row.actorRole}</span>
                        ) : null}
                      </td>
                      <td className="px-4 py-2">
                        <code className="font-mono text-xs">{row.action}</code>
                      </td>
                      <td className="px-4 py-2">
                        <span className="text-xs text-muted">{row.targetType}</span>
                        <span className="block break-all">{row.targetLabel ?? row.targetId}</span>
                      </td>
                      <td className="max-w-sm px-4 py-2">
                        <code className="font-mono text-xs break-all text-muted">
                          {Object.keys(row.details as object).length > 0
                            ? JSON.stringify(row.details)
                            : ""}
                        </code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
        {nextHref ? (
          <div className="mt-4">
            <Link href={nextHref} className="text-sm font-medium text-accent hover:underline">
              Older entries →
            </Link>
          </div>
        ) : null}
      </div>
    </main>
  );
}
