import Link from "next/link";
import { connection } from "next/server";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { plural } from "@/components/ui/format";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { listIntegrationSummaries } from "@/lib/server/studio/studio-service";

const pipeline = [
  {
    step: "Extract",
    title: "JSONata extraction",
    body: "A JSONata expression picks the reading items out of the ERP's JSON payload. A lone match, an array or nothing at all are handled the same way every day, and every evaluation runs under a time and depth bound.",
  },
  {
    step: "Resolve",
    title: "Meter and counter resolution",
    body: "Unique ids such as the meter number find exactly one meter and, when configured, its counter. Missing, unknown or ambiguous meters become clear per-reading errors instead of silent drops.",
  },
  {
    step: "Match",
    title: "By external_id or Berlin day",
    body: "Readings update their stored twin by external_id, or with strict-date by the one reading on the same Europe/Berlin calendar day, so ERP date-only stamps never double-count across DST nights.",
  },
  {
    step: "Deduplicate",
    title: "One reading per day and scope",
    body: "Before anything is created, a reading for the same meter, counter and direction on the same Berlin day marks the new one as a duplicate and names the reading it duplicates.",
  },
  {
    step: "Apply",
    title: "Upsert, delete and prune",
    body: "The upsert mode creates and updates, the delete mode removes readings by external_id or day, and upsert-prune-scope also deletes what the ERP no longer sends for a meter or counter.",
  },
];

// Five stages: three cards over two wider ones on large screens, and the odd last card spans
// both columns on medium ones, so the grid never shows an empty cell.
function stageSpan(index: number): string {
  if (index < 3) return "lg:col-span-2";
  if (index === pipeline.length - 1) return "sm:col-span-2 lg:col-span-3";
  return "lg:col-span-3";
}

const cliCommands = [
  {
    command: "npx mms validate",
    body: "Checks a configuration before it ships: missing required attributes, unknown keys, bad constants and JSONata syntax errors, each with a JSON path.",
  },
  {
    command: "npx mms plan",
    body: "Runs a configuration over a payload and existing state and prints the plan: every create, update, skip, delete and error as plain JSON.",
  },
  {
    command: "npx mms simulate",
    body: "Shows what a payload maps to, entities and readings with their attributes, without touching any data.",
  },
];

const exampleConfig = `{
  "meter_readings": [
    {
      "jsonataExpression": "readings",
      "meter": {
        "unique_ids": [
          { "attribute": "meter_number", "field": "meterId" }
        ]
      },
      "reading_matching": "strict-date",
      "fields": [
        { "attribute": "external_id", "field": "id" },
        { "attribute": "timestamp", "field": "readAt" },
        { "attribute": "value", "field": "value" },
        { "attribute": "source", "constant": "ERP" }
      ]
    }
  ]
}`;

export default async function HomePage() {
  // The integrations live in the database: render per request, never at build time.
  await connection();
  await requirePageUser();
  const integrations = await listIntegrationSummaries(getDb());
  const shown = integrations.slice(0, 6);

  return (
    <main className="mx-auto max-w-5xl px-4 pt-10 pb-20 sm:px-6 sm:pt-14">
      <section className="max-w-3xl">
        <p className="text-sm font-medium tracking-wide text-accent uppercase">
          ERP meter-reading imports
        </p>
        <h1 className="mt-3 text-3xl leading-tight font-semibold tracking-tight text-balance sm:text-4xl sm:leading-tight">
          Mapping configurations that turn ERP payloads into meter readings you can trust
        </h1>
        <p className="mt-4 text-lg leading-relaxed text-muted">
          Describe, in one JSON configuration per use case, how an ERP&apos;s payload becomes
          readings: where the values are, which meter and counter they belong to, and what happens
          when a reading already exists. Every import is computed as a plan first, so you see each
          decision before anything is written.
        </p>
      </section>

      <section aria-labelledby="integrations-heading" className="mt-12">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="integrations-heading" className="text-xl font-semibold tracking-tight">
            Your integrations
          </h2>
          {integrations.length > 0 ? (
            <Link
              href="/integrations"
              className="text-sm font-medium text-accent hover:text-teal-800 hover:underline"
            >
              {integrations.length > shown.length
                ? `All ${integrations.length} integrations`
                : "Manage integrations"}
            </Link>
          ) : null}
        </div>
        {shown.length === 0 ? (
          <div className="mt-5">
            <EmptyState
              title="No integrations yet"
              action={
                <ButtonLink href="/integrations" variant="primary">
                  Go to integrations
                </ButtonLink>
              }
            >
              An integration stands for one ERP system: it holds the API keys the ERP sends and the
              use cases whose configurations you author here.
            </EmptyState>
          </div>
        ) : (
          <ul className="mt-5 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {shown.map((integration) => (
              <li key={integration.id}>
                <Link
                  href={`/integrations/${integration.id}`}
                  className="block h-full rounded-xl border border-line bg-panel p-5 shadow-xs transition-colors hover:border-teal-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
                >
                  <span className="block font-semibold break-words">{integration.name}</span>
                  <span className="mt-2 block text-sm text-muted">
                    {plural(integration.useCaseCount, "use case")} ·{" "}
                    {plural(integration.activeKeyCount, "active key")}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="pipeline-heading" className="mt-14">
        <h2 id="pipeline-heading" className="text-xl font-semibold tracking-tight">
          From payload to readings
        </h2>
        <ol className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
          {pipeline.map((stage, index) => (
            <li
              key={stage.step}
              className={`rounded-xl border border-line bg-panel p-5 shadow-xs ${stageSpan(index)}`}
            >
              <div className="flex items-center gap-2 text-xs font-medium text-muted">
                <span className="grid size-6 place-items-center rounded-full bg-accent-soft font-mono text-accent">
                  {index + 1}
                </span>
                {stage.step}
              </div>
              <h3 className="mt-3 font-semibold">{stage.title}</h3>
              <p className="mt-2 text-sm leading-relaxed text-muted">{stage.body}</p>
            </li>
          ))}
        </ol>
      </section>

      <section
        aria-labelledby="config-heading"
        className="mt-16 grid gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)] lg:items-start"
      >
        <div>
          <h2 id="config-heading" className="text-xl font-semibold tracking-tight">
            One document per use case
          </h2>
          <p className="mt-3 leading-relaxed text-muted">
            A configuration lists entity mappings and reading mappings. Each reading mapping says
            how to extract items, which unique ids find the meter, how fields map to attributes, and
            which mode and matching strategy apply. Unknown keys are errors, so a typo is never
            silently ignored.
          </p>
        </div>
        <pre className="overflow-x-auto rounded-xl border border-line bg-stone-900 p-5 font-mono text-[13px] leading-relaxed text-stone-100">
          <code>{exampleConfig}</code>
        </pre>
      </section>

      <section aria-labelledby="cli-heading" className="mt-16">
        <h2 id="cli-heading" className="text-xl font-semibold tracking-tight">
          A CLI for consultants&apos; CI
        </h2>
        <p className="mt-3 max-w-3xl leading-relaxed text-muted">
          The same engine runs on the command line, so configurations can be checked in the pipeline
          that ships them.
        </p>
        <dl className="mt-6 divide-y divide-line overflow-hidden rounded-xl border border-line bg-panel">
          {cliCommands.map((entry) => (
            <div
              key={entry.command}
              className="grid gap-2 px-5 py-4 sm:grid-cols-[12rem_minmax(0,1fr)] sm:gap-6"
            >
              <dt>
                <code className="font-mono text-sm font-medium text-ink">{entry.command}</code>
              </dt>
              <dd className="text-sm leading-relaxed text-muted">{entry.body}</dd>
            </div>
          ))}
        </dl>
      </section>
    </main>
  );
}
