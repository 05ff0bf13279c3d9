import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ACTIONS } from "@/components/preview/action-badge";
import { ActionCounts } from "@/components/support/action-counts";
import {
  AuditTable,
  CodeGroups,
  Coverage,
  Facts,
  RunEvents,
} from "@/components/support/detail-sections";
import { PayloadViewer } from "@/components/support/payload-viewer";
import { RecordedDecisions } from "@/components/support/recorded-decisions";
import { RecordedEntities } from "@/components/support/recorded-entities";
import { StatusBadge } from "@/components/support/status-badge";
import { VersionDiff } from "@/components/support/version-diff";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { buttonClasses } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { DECISIONS_PAGE_SIZE } from "@/lib/server/support/decisions-page";
import { supportDetail } from "@/lib/server/support/detail-service";

export const metadata: Metadata = { title: "Event or import · Meter Mapping Studio" };

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) =>
  typeof v === "string" && v.trim() ? v.trim().slice(0, 200) : undefined;

const versionText = (v: { config_text: string | null; config: unknown }) =>
  v.config_text ?? JSON.stringify(v.config, null, 2);

export default async function DetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Params>;
}) {
  await requirePageUser();
  await connection();
  const { id } = await params;
  const q = await searchParams;
  const action = ACTIONS.find((a) => a === one(q.daction));
  const offset = Math.max(0, Number.parseInt(one(q.doffset) ?? "0", 10) || 0);
  const detail = await supportDetail(
    getDb().db,
    id,
    { action, code: one(q.dcode), meter: one(q.dmeter) },
    offset,
  );
  if (!detail) notFound();
  const { event, import: imp } = detail;
  const row = imp?.import;
  const title = event
    ? event.status === "ignored"
      ? "Ignored event"
      : "Event"
    : `Import (${row?.trigger})`;
  const studio =
    (row?.integration_id ?? event?.integration_id) && (row?.use_case_slug ?? event?.use_case_slug)
      ? `/integrations/${row?.integration_id ?? event?.integration_id}/use-cases/${row?.use_case_slug ?? event?.use_case_slug}`
      : null;

  return (
    <main className="mx-auto max-w-6xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs
        items={[
          { label: "Home", href: "/" },
          { label: "Events and imports", href: "/imports" },
          { label: title },
        ]}
      />
      <div className="mt-4">
        <PageHeader
          title={title}
          description={
            <span className="flex flex-wrap items-center gap-2">
              {event ? <StatusBadge status={event.status} /> : null}
              {row ? <StatusBadge status={row.status} /> : null}
              <span className="font-mono text-xs">{id}</span>
            </span>
          }
          actions={
            <>
              {event?.has_body ? (
                <Link
                  href={`/imports/${event.id}/replay`}
                  className={buttonClasses("secondary", "sm")}
                >
                  Replay…
                </Link>
              ) : null}
              {row && row.status === "applied" && !row.undone_by ? (
                <Link href={`/imports/${row.id}/undo`} className={buttonClasses("secondary", "sm")}>
                  Undo…
                </Link>
              ) : null}
            </>
          }
        />
      </div>

      {event?.status === "ignored" ? (
        <p
          role="alert"
          className="mt-6 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          No use case matches this event: it asked for{" "}
          {event.requested_slug
            ? `the use case “${event.requested_slug}”`
            : `the event name “${event.event_name}”`}
          . Nothing was imported.
        </p>
      ) : null}
      {event?.status === "error" ? (
        <p
          role="alert"
          className="mt-6 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
        >
          <code className="mr-2 font-mono">{event.error_code ?? "ERROR"}</code>
          {event.error_message ?? "The event failed; nothing was written."}
        </p>
      ) : null}

      <Section id="facts" title="Facts and timings">
        <Facts
          rows={[
            ["Received", event ? formatDateTime(event.received_at) : null],
            ["Integration", event?.integration_name ?? row?.integration_name],
            [
              "Use case",
              studio ? (
                <Link key="v" href={studio} className="text-accent hover:underline">
                  {row?.use_case_slug ?? event?.use_case_slug}
                </Link>
              ) : (
                (event?.requested_slug ?? event?.event_name)
              ),
            ],
            ["Event name asked for", event?.event_name],
            [
              "Deduplication id",
              event?.deduplication_id ? (
                <code key="v" className="font-mono text-xs">
                  {event.deduplication_id}
                </code>
              ) : null,
            ],
            [
              "Correlation id",
              event?.correlation_id ? (
                <Link
                  key="v"
                  href={`/imports?correlation=${encodeURIComponent(event.correlation_id)}`}
                  className="font-mono text-xs text-accent hover:underline"
                >
                  {event.correlation_id}
                </Link>
              ) : null,
            ],
            [
              "Import of an earlier event",
              event?.status === "skipped" && event.import_id ? (
                <Link
                  key="v"
                  href={`/imports/${event.import_id}`}
                  className="text-accent hover:underline"
                >
                  the import that ran
                </Link>
              ) : null,
            ],
            ["Trigger", row?.trigger],
            ["Configuration version", row?.config_version ? `v${row.config_version}` : null],
            ["Import started", row ? formatDateTime(row.started_at) : null],
            [
              "Import duration",
              row?.duration_ms !== null && row?.duration_ms !== undefined
                ? `${row.duration_ms.toLocaleString("en-GB")} ms`
                : null,
            ],
            ["Counts", row ? <ActionCounts key="Counts" counts={row.counts} /> : null],
            [
              "Replay of",
              row?.replay_of ? (
                <Link
                  key="v"
                  href={`/imports/${row.replay_of}`}
                  className="text-accent hover:underline"
                >
                  {row.replay_of}
                </Link>
              ) : null,
            ],
            [
              "Undone by",
              row?.undone_by ? (
                <Link
                  key="v"
                  href={`/imports/${row.undone_by}`}
                  className="text-accent hover:underline"
                >
                  {row.undone_by}
                </Link>
              ) : null,
            ],
            ["Import error", row?.error],
          ]}
        />
      </Section>

      {detail.correlation.length > 1 && event ? (
        <Section
          id="run"
          title="Events of this ERP run"
          description="Every event sent with the same correlation id."
        >
          <RunEvents events={detail.correlation} current={event.id} />
        </Section>
      ) : null}

      {event?.has_body ? (
        <Section
          id="payload"
          title="Payload as received"
          action={
            <a
              href={`/imports/${event.id}/payload?download`}
              className={buttonClasses("ghost", "sm")}
            >
              Download
            </a>
          }
        >
          <PayloadViewer eventId={event.id} bytes={event.body_bytes} />
        </Section>
      ) : null}

      {imp ? (
        <>
          <Section
            id="codes"
            title="Errors and codes"
            description="Decisions grouped by code, with how often each occurs and where it first does."
          >
            <CodeGroups codes={imp.decisions.codes} baseHref={`/imports/${id}`} />
          </Section>
          <Section
            id="decisions"
            title="Decisions"
            description="As recorded when the import ran, never recomputed. Click a row for its details and the stored reading."
            action={
              <span className="flex gap-2">
                <a
                  href={`/imports/${imp.import.id}/plan?format=json`}
                  className={buttonClasses("secondary", "sm")}
                >
                  Plan as JSON
                </a>
                <a
                  href={`/imports/${imp.import.id}/plan?format=csv`}
                  className={buttonClasses("secondary", "sm")}
                >
                  Plan as CSV
                </a>
              </span>
            }
          >
            <RecordedDecisions
              rows={imp.decisions.rows}
              matching={imp.decisions.matching}
              offset={imp.decisions.offset}
              pageSize={DECISIONS_PAGE_SIZE}
              pruned={imp.decisions.pruned}
              prunedCount={imp.decisions.prunedCount}
            />
          </Section>
          {imp.entityCount > 0 ? (
            <Section
              id="entity-decisions"
              title="Entity decisions"
              description="As recorded when the import ran. Click a row for its reason, attributes and relations; a relation opens the related entity's decision, or the entity as stored now."
            >
              <RecordedEntities decisions={imp.entities} total={imp.entityCount} />
            </Section>
          ) : null}
          <Section id="version" title="Configuration that ran">
            {imp.versions.ran ? (
              <div className="flex flex-col gap-3 text-sm">
                <p>
                  Version {imp.versions.ran.version} of{" "}
                  {formatDateTime(imp.versions.ran.published_at)}
                  {imp.versions.ran.message ? ` — “${imp.versions.ran.message}”` : ""}
                  {studio ? (
                    <>
                      {" "}
                      ·{" "}
                      <Link href={studio} className="text-accent hover:underline">
                        open the use case
                      </Link>
                    </>
                  ) : null}
                </p>
                {imp.versions.latest && imp.versions.latest.id !== imp.versions.ran.id ? (
                  <>
                    <p className="text-muted">
                      Published now: version {imp.versions.latest.version}.
                    </p>
                    <VersionDiff
                      ran={versionText(imp.versions.ran)}
                      latest={versionText(imp.versions.latest)}
                    />
                  </>
                ) : (
                  <p className="text-muted">It is still the published version.</p>
                )}
              </div>
            ) : (
              <p className="text-sm text-muted">
                No published version ran this import (a studio or CLI configuration, or a version
                since deleted).
              </p>
            )}
          </Section>
          <Section
            id="coverage"
            title="Register coverage"
            description="Counters of the meters this import touched that got no reading from it."
          >
            <Coverage uncovered={imp.uncovered} />
          </Section>
          <Section
            id="audit"
            title="Audit"
            description="Every stored row the import overwrote or deleted, before (red) and as stored now (green when it differs)."
          >
            <AuditTable audit={imp.audit} />
          </Section>
        </>
      ) : null}
    </main>
  );
}
