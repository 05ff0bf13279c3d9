import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import type { StudioData, VersionSummary } from "@/lib/server/studio/studio-use-case-service";

/** Where the draft stands against what is live. */
export function VersionBadge({
  latest,
  draftPublished,
}: {
  latest: VersionSummary | undefined;
  draftPublished: boolean;
}) {
  const [text, style] = !latest
    ? ["Never published", "border-amber-300 bg-amber-50 text-amber-900"]
    : draftPublished
      ? [`v${latest.version} published`, "border-green-200 bg-green-50 text-green-800"]
      : ["Draft (unpublished changes)", "border-amber-300 bg-amber-50 text-amber-900"];
  return (
    <span
      data-testid="version-badge"
      className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${style}`}
    >
      <span
        aria-hidden="true"
        className={`size-1.5 rounded-full ${draftPublished && latest ? "bg-green-600" : "bg-amber-500"}`}
      />
      {text}
      {latest && !draftPublished ? (
        <span className="font-normal text-amber-800">· live: v{latest.version}</span>
      ) : null}
    </span>
  );
}

export function StudioHeader({
  studio,
  latest,
  draftPublished,
}: {
  studio: StudioData;
  latest: VersionSummary | undefined;
  draftPublished: boolean;
}) {
  const { integration, useCase } = studio;
  return (
    <header className="flex flex-col gap-2">
      <Breadcrumbs
        items={[
          { label: "Integrations", href: "/integrations" },
          { label: integration.name, href: `/integrations/${integration.id}` },
          { label: useCase.name },
        ]}
      />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">{useCase.name}</h1>
        <VersionBadge latest={latest} draftPublished={draftPublished} />
      </div>
      <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-muted">
        <div className="flex items-baseline gap-1.5">
          <dt>Slug</dt>
          <dd>
            <code className="font-mono text-xs text-ink">{useCase.slug}</code>
          </dd>
        </div>
        <div className="flex items-baseline gap-1.5">
          <dt>Event</dt>
          <dd>
            {useCase.eventName ? (
              <code className="font-mono text-xs text-ink">{useCase.eventName}</code>
            ) : (
              "none (matched by slug only)"
            )}
          </dd>
        </div>
      </dl>
    </header>
  );
}
