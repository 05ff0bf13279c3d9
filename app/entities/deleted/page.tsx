import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { DeletedFilters } from "@/components/entities/deleted-filters";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StatusMessage } from "@/components/ui/status-message";
import { getDb } from "@/db/client";
import { SOFT_DELETE_DAYS } from "@/db/repository";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { can } from "@/lib/server/auth/roles";
import {
  deletedEntitiesPage,
  restoredEntity,
} from "@/lib/server/entities/deleted-entities-service";
import { DeletedList } from "./deleted-list";

export const metadata: Metadata = { title: "Deleted entities · Meter Mapping Studio" };

type Params = Record<string, string | string[] | undefined>;

function withCursor(params: Params, cursor: string | null) {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (k !== "cursor" && k !== "restored" && typeof v === "string" && v) next.set(k, v);
  if (cursor) next.set("cursor", cursor);
  const text = next.toString();
  return text ? `/entities/deleted?${text}` : "/entities/deleted";
}

/** A mode's name as configured, never split at its hyphen. */
function Mode({ children }: { children: string }) {
  return <code className="font-mono text-[0.9em] whitespace-nowrap text-ink">{children}</code>;
}

/** Where a restored entity shows: a meter's page, or its meter's for a counter. */
function whereToSee(r: { id: string; entity_schema: string; meter_id: string | null }) {
  if (r.entity_schema === "meter") return `/meters/${r.id}`;
  if (r.entity_schema === "meter_counter" && r.meter_id) return `/meters/${r.meter_id}`;
  return null;
}

export default async function DeletedEntitiesPage({
  searchParams,
}: {
  searchParams: Promise<Params>;
}) {
  const user = await requirePageUser();
  await connection();
  const params = await searchParams;
  const db = getDb().db;
  const [page, restored] = await Promise.all([
    deletedEntitiesPage(db, params),
    restoredEntity(db, params.restored),
  ]);
  const filtered = Boolean(params.schema || params.q);
  const seeAt = restored ? whereToSee(restored) : null;

  return (
    <main className="mx-auto max-w-6xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs
        items={[
          { label: "Home", href: "/" },
          { label: "Events and imports", href: "/imports" },
          { label: "Deleted entities" },
        ]}
      />
      <div className="mt-4">
        <PageHeader
          title="Deleted entities"
          description={
            <>
              Entities an import soft-deleted (mode <Mode>delete</Mode>, or a prune ending in{" "}
              <Mode>-delete</Mode>), newest first. They are out of every lookup, relation and list,
              and can be restored for {SOFT_DELETE_DAYS} days; after that the sweep purges them for
              good.
            </>
          }
        />
      </div>
      {restored ? (
        <div className="mt-6">
          <StatusMessage tone="success">
            Restored the {restored.entity_schema} ({restored.name}): it is back in lookups,
            relations and lists.{" "}
            {seeAt ? (
              <Link href={seeAt} className="font-medium underline">
                {restored.entity_schema === "meter" ? "Open its page" : "Open its meter"}
              </Link>
            ) : null}
          </StatusMessage>
        </div>
      ) : null}
      <div className="mt-8">
        <DeletedFilters schemas={page.schemas} />
        {page.ignored.length > 0 ? (
          <p role="status" className="mt-3 text-sm text-amber-800">
            Left out, not understood: {page.ignored.join(", ")}.
          </p>
        ) : null}
      </div>
      <div className="mt-6">
        {page.rows.length === 0 ? (
          <EmptyState
            title={
              params.cursor
                ? "No older deleted entities"
                : filtered
                  ? "Nothing found"
                  : "No deleted entities"
            }
          >
            {params.cursor ? (
              "Every deleted entity is on the pages before this one."
            ) : filtered ? (
              "No soft-deleted entity has that schema or key value. Key values match exactly, as an import looks them up."
            ) : (
              <>
                When an import deletes an entity softly (mode <Mode>delete</Mode>, or a prune ending
                in <Mode>-delete</Mode>), it lands here for {SOFT_DELETE_DAYS} days and can be
                restored. Purged entities are gone for good: only undoing their import brings them
                back.
              </>
            )}
          </EmptyState>
        ) : (
          <Card>
            <DeletedList rows={page.rows} canRestore={can(user.role, "author")} />
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
