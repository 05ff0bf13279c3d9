import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ActionCounts } from "@/components/support/action-counts";
import { Facts } from "@/components/support/detail-sections";
import { MeterCharts } from "@/components/support/meter-charts";
import { MeterReadings } from "@/components/support/meter-readings";
import { StatusBadge } from "@/components/support/status-badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { meterPage, meterQuerySchema } from "@/lib/server/support/meter-service";

export const metadata: Metadata = { title: "Meter · Meter Mapping Studio" };

type Params = Record<string, string | string[] | undefined>;

const scalar = (v: unknown) =>
  typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
/** An id-like attribute (meter_number, counter_code...) names an entity better than "medium". */
const nameOf = (attributes: Record<string, unknown>, fallback: string) => {
  const strings = Object.entries(attributes).filter(([, v]) => typeof v === "string");
  const first = strings.find(([k]) => /(number|_id|code|name)$/i.test(k)) ?? strings[0];
  return first ? String(first[1]) : fallback;
};

export default async function MeterPage({
  params,
  searchParams,
}: {
  params: Promise<{ meterId: string }>;
  searchParams: Promise<Params>;
}) {
  await requirePageUser();
  await connection();
  const { meterId } = await params;
  const raw = await searchParams;
  const query = meterQuerySchema.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  );
  const page = await meterPage(getDb().db, meterId, query);
  if (!page) notFound();
  const name = nameOf(page.meter.attributes, meterId.slice(0, 8));
  const counters = page.counters.map((c) => ({
    id: c.id,
    name: nameOf(c.attributes, c.id.slice(0, 8)),
  }));
  const highlightHref = (id: string | null) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v && k !== "import") next.set(k, v);
    if (id) next.set("import", id);
    const text = next.toString();
    return `/meters/${meterId}${text ? `?${text}` : ""}`;
  };

  return (
    <main className="mx-auto max-w-6xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: "Meters" }, { label: name }]} />
      <div className="mt-4">
        <PageHeader
          title={`Meter ${name}`}
          description={
            <span>
              <Link
                href={`/imports?meter=${encodeURIComponent(meterId)}`}
                className="text-accent hover:underline"
              >
                Every event and import of this meter
              </Link>
              <span className="ml-2 font-mono text-xs">{meterId}</span>
            </span>
          }
        />
      </div>

      <Section id="attributes" title="Attributes">
        <Facts
          rows={[
            ...Object.entries(page.meter.attributes).map(([k, v]): [string, string] => [
              k,
              scalar(v),
            ]),
            ["created (UTC)", page.meter.created_at],
            ["updated (UTC)", page.meter.updated_at],
          ]}
        />
      </Section>

      <Section id="counters" title="Counters">
        {page.counters.length === 0 ? (
          <p className="text-sm text-muted">This meter has no counters.</p>
        ) : (
          <ul
            aria-label="Counters"
            className="divide-y divide-line rounded-lg border border-line text-sm"
          >
            {page.counters.map((c) => (
              <li key={c.id} className="px-4 py-2 font-mono text-[12.5px]">
                {Object.entries(c.attributes)
                  .filter(([, v]) => typeof v !== "object")
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(", ") || c.id}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section
        id="chart"
        title="Readings over time"
        description="One chart per counter and direction. Drag to zoom, double-click to reset. Red points are implausible (below the previous value, in the future, or after a gap over three times the usual interval)."
        action={
          query.import ? (
            <Link href={highlightHref(null)} className="text-sm text-accent hover:underline">
              Clear the highlight
            </Link>
          ) : undefined
        }
      >
        <MeterCharts series={page.series} highlighting={Boolean(query.import)} />
      </Section>

      <Section id="readings" title="Readings" description="Newest first.">
        <MeterReadings
          meterId={meterId}
          first={page.readings.rows}
          next={page.readings.next}
          series={page.series}
          counters={counters}
        />
      </Section>

      <Section
        id="imports"
        title="Imports that touched this meter"
        description="Highlight one to see its readings on the charts."
      >
        {page.imports.length === 0 ? (
          <p className="text-sm text-muted">No recorded import touched this meter.</p>
        ) : (
          <ul
            aria-label="Imports of this meter"
            className="divide-y divide-line rounded-lg border border-line text-sm"
          >
            {page.imports.map((i) => (
              <li
                key={i.id}
                data-testid="meter-import"
                className="flex flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2.5"
              >
                <Link href={`/imports/${i.id}`} className="font-medium text-accent hover:underline">
                  {formatDateTime(i.started_at)}
                </Link>
                <StatusBadge status={i.status} />
                <span className="text-muted">
                  {i.trigger}
                  {i.use_case_slug ? ` · ${i.use_case_slug}` : ""}
                </span>
                <ActionCounts counts={i.counts} />
                <Link
                  href={highlightHref(i.id)}
                  className="ml-auto text-xs text-accent hover:underline"
                  aria-current={query.import === i.id ? "true" : undefined}
                >
                  {query.import === i.id ? "Highlighted" : "Highlight"}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </main>
  );
}
