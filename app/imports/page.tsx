import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ActivityFilters } from "@/components/support/activity-filters";
import { ActivityList } from "@/components/support/activity-list";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import {
  activityPage,
  LIST_STATUSES,
  LIST_TRIGGERS,
  listFilterChoices,
} from "@/lib/server/support/list-service";

export const metadata: Metadata = { title: "Events and imports · Meter Mapping Studio" };

type Params = Record<string, string | string[] | undefined>;

function withCursor(params: Params, cursor: string | null) {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (k !== "cursor" && typeof v === "string" && v) next.set(k, v);
  if (cursor) next.set("cursor", cursor);
  const text = next.toString();
  return text ? `/imports?${text}` : "/imports";
}

export default async function ImportsPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requirePageUser();
  await connection();
  const params = await searchParams;
  const db = getDb().db;
  const [page, choices] = await Promise.all([activityPage(db, params), listFilterChoices(db)]);

  return (
    <main className="mx-auto max-w-6xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: "Events and imports" }]} />
      <div className="mt-4">
        <PageHeader
          title="Events and imports"
          description="Every event an ERP sent (success, error, skipped, ignored) and every import (ERP, studio, replay, undo, CLI), newest first. Filters stay in the address, so a filtered list can be shared."
          actions={
            <Link href="/entities/deleted" className={buttonClasses("secondary", "sm")}>
              Deleted entities
            </Link>
          }
        />
      </div>
      <div className="mt-8">
        <ActivityFilters
          integrations={choices.integrations}
          useCases={choices.useCases}
          statuses={LIST_STATUSES}
          triggers={LIST_TRIGGERS}
        />
        {page.ignored.length > 0 ? (
          <p role="status" className="mt-3 text-sm text-amber-800">
            Left out, not understood: {page.ignored.join(", ")}.
          </p>
        ) : null}
      </div>
      <div className="mt-6">
        {page.rows.length === 0 ? (
          <EmptyState title={page.unknownMeter ? "No such meter" : "Nothing found"}>
            {page.unknownMeter
              ? "No meter has that unique id value."
              : params.cursor
                ? "No older events or imports."
                : "No events or imports match these filters."}
          </EmptyState>
        ) : (
          <Card>
            <ActivityList rows={page.rows} />
          </Card>
        )}
      </div>
      <nav aria-label="Pages" className="mt-4 flex justify-between gap-2">
        {params.cursor ? (
          <Link href={withCursor(params, null)} className={buttonClasses("secondary", "sm")}>
            Newest
          </Link>
        ) : (
          <span />
        )}
        {page.next ? (
          <Link href={withCursor(params, page.next)} className={buttonClasses("secondary", "sm")}>
            Older
          </Link>
        ) : null}
      </nav>
    </main>
  );
}
