import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { EventsPerDayChart } from "@/components/support/overview-charts";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card } from "@/components/ui/card";
import { formatDateTime, plural } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { OVERVIEW_DAYS, supportOverview } from "@/lib/server/support/overview-service";

export const metadata: Metadata = { title: "Overview · Meter Mapping Studio" };

export default async function OverviewPage() {
  await requirePageUser();
  await connection();
  const o = await supportOverview(getDb().db);
  const totals = Object.fromEntries(
    Object.entries(o.perDay.counts).map(([s, v]) => [s, v.reduce((a, b) => a + b, 0)]),
  );

  return (
    <main className="mx-auto max-w-6xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: "Overview" }]} />
      <div className="mt-4">
        <PageHeader
          title="Support overview"
          description="How the ERP integrations are doing: events per day, what fails most, and when each integration last got through."
        />
      </div>

      <Section
        id="per-day"
        title={`Events per day, last ${OVERVIEW_DAYS} days`}
        description={Object.entries(totals)
          .map(([s, n]) => `${n.toLocaleString("en-GB")} ${s}`)
          .join(" · ")}
      >
        <Card className="p-3">
          <EventsPerDayChart days={o.perDay.days} counts={o.perDay.counts} />
        </Card>
      </Section>

      <div className="grid gap-x-8 lg:grid-cols-2">
        <Section
          id="codes"
          title="Top error codes, last 7 days"
          description="Failed events and failing readings, each linking to the list filtered by it."
        >
          {o.codes.length === 0 ? (
            <p className="text-sm text-muted">No errors in the last 7 days.</p>
          ) : (
            <ul
              aria-label="Top error codes"
              className="divide-y divide-line rounded-lg border border-line text-sm"
            >
              {o.codes.map((c) => (
                <li
                  key={c.code}
                  className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5"
                >
                  <Link
                    href={`/imports?code=${encodeURIComponent(c.code)}`}
                    className="font-mono text-[13px] text-red-800 hover:underline"
                  >
                    {c.code}
                  </Link>
                  <span className="text-muted">
                    {[
                      c.events ? plural(c.events, "failed event") : "",
                      c.imports
                        ? `${plural(c.imports, "import")} with ${plural(c.decisions, "failing reading")}`
                        : "",
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section
          id="use-cases"
          title="Most errors, last 24 hours"
          description="Use cases by failed events, then failing readings."
        >
          {o.useCases.length === 0 ? (
            <p className="text-sm text-muted">No use case had errors in the last 24 hours.</p>
          ) : (
            <ul
              aria-label="Use cases with the most errors"
              className="divide-y divide-line rounded-lg border border-line text-sm"
            >
              {o.useCases.map((u) => (
                <li
                  key={u.use_case_id}
                  className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5"
                >
                  <Link
                    href={`/imports?useCase=${u.use_case_id}`}
                    className="font-medium text-accent hover:underline"
                  >
                    {u.integration_name} · {u.slug}
                  </Link>
                  <span className="text-muted">
                    {u.failed_events.toLocaleString("en-GB")} failed events ·{" "}
                    {u.failing_readings.toLocaleString("en-GB")} failing readings
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      <Section id="last-success" title="Last successful event per integration">
        {o.lastSuccess.length === 0 ? (
          <p className="text-sm text-muted">No integrations yet.</p>
        ) : (
          <ul
            aria-label="Last successful event per integration"
            className="divide-y divide-line rounded-lg border border-line text-sm"
          >
            {o.lastSuccess.map((g) => (
              <li
                key={g.integration_id}
                className="flex flex-wrap items-center justify-between gap-2 px-4 py-2.5"
              >
                <Link
                  href={`/imports?integration=${g.integration_id}`}
                  className="font-medium hover:underline"
                >
                  {g.integration_name}
                </Link>
                {g.event_id && g.received_at ? (
                  <Link href={`/imports/${g.event_id}`} className="text-accent hover:underline">
                    {formatDateTime(g.received_at)}
                    {g.use_case_slug ? ` · ${g.use_case_slug}` : ""}
                  </Link>
                ) : (
                  <span className="text-amber-800">never</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </main>
  );
}
