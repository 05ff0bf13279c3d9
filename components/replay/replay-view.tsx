"use client";

import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import type { LoadStoredReading } from "@/components/preview/decision-drawer";
import type { LoadStoredEntity } from "@/components/preview/entity-drawer";
import { PreviewPanel } from "@/components/preview/preview-panel";
import { SummaryChips } from "@/components/preview/summary-chips";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format";
import { PageHeader, Section } from "@/components/ui/page-header";
import type { DiffKind } from "@/lib/server/imports/replay-diff";
import type { ReplayPreview } from "@/lib/server/imports/replay-service";
import { ConfigSwitch } from "./config-switch";
import { DiffKinds } from "./diff-kinds";
import { DiffTable } from "./diff-table";
import { type ApplyReplay, ReplayApplyDialog } from "./replay-apply-dialog";

const STATUS_TONES = {
  success: "success",
  error: "danger",
  skipped: "neutral",
  ignored: "warning",
  processing: "neutral",
} as const;

function Original({ preview }: { preview: ReplayPreview }) {
  const o = preview.original;
  if (!o) {
    return (
      <p className="text-sm" data-testid="replay-original">
        The event failed before anything was written (no import): every reading of the replay is
        new.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="replay-original">
      <p>
        Compared with import{" "}
        <Link href={`/imports/${o.id}`} className="font-mono text-xs text-accent hover:underline">
          {o.id}
        </Link>{" "}
        ({o.trigger}
        {o.configVersion ? `, v${o.configVersion}` : ""}, {formatDateTime(o.startedAt)}
        {o.status !== "applied" ? `, ${o.status}` : ""}), which did:
      </p>
      <SummaryChips summary={o.summary} pruned={0} />
    </div>
  );
}

/** The replay page: the configuration to use, the difference from the original, the plan, apply. */
export function ReplayView({
  id,
  preview,
  applyReplay,
  storedReading,
  storedEntity,
}: {
  id: string;
  preview: ReplayPreview;
  /** Undefined for a role that may only dry-run replays (support). */
  applyReplay?: ApplyReplay;
  /** The page's server action for the decision drawer's stored reading. */
  storedReading: (input: { readingId: string }) => ReturnType<LoadStoredReading>;
  /** The page's server action for a stored entity that a relation in the plan names. */
  storedEntity: (input: { entityId: string }) => ReturnType<LoadStoredEntity>;
}) {
  const [kind, setKind] = useState<DiffKind | "all">("all");
  const [confirming, setConfirming] = useState(false);
  const { event, useCase, config, diff } = preview;
  const rows = useMemo(
    () => (kind === "all" ? diff.rows : diff.rows.filter((r) => r.kind === kind)),
    [diff.rows, kind],
  );
  const version = config.version;
  const loadStoredReading = useCallback<LoadStoredReading>(
    (readingId) => storedReading({ readingId }),
    [storedReading],
  );
  const loadStoredEntity = useCallback<LoadStoredEntity>(
    (entityId) => storedEntity({ entityId }),
    [storedEntity],
  );

  return (
    <main className="mx-auto max-w-6xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs
        items={[
          { label: "Home", href: "/" },
          { label: "Imports", href: "/imports" },
          { label: `Event ${event.id.slice(0, 8)}`, href: `/imports/${event.id}` },
          { label: "Replay" },
        ]}
      />
      <div className="mt-4">
        <PageHeader
          title={`Replay of ${useCase.name}`}
          description={
            <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
              <span>
                {preview.integrationName} ·{" "}
                <code className="font-mono text-xs">{useCase.slug}</code>
              </span>
              <span>received {formatDateTime(event.receivedAt)}</span>
              <Badge tone={STATUS_TONES[event.status as keyof typeof STATUS_TONES] ?? "neutral"}>
                event {event.status}
              </Badge>
            </span>
          }
          actions={
            applyReplay ? (
              <Button variant="primary" onClick={() => setConfirming(true)}>
                Apply replay…
              </Button>
            ) : (
              <span data-testid="dry-run-only" className="text-sm text-muted">
                Dry run only: applying a replay needs a consultant or admin
              </span>
            )
          }
        />
      </div>
      <div className="mt-6 flex flex-col gap-4">
        <ConfigSwitch
          id={id}
          choice={config.choice}
          publishedLabel={version ? `Published v${version.version}` : "Published version"}
        />
        <p className="text-sm text-muted">
          {version
            ? `v${version.version} published ${formatDateTime(version.publishedAt)}${version.message ? `, “${version.message}”` : ""}.`
            : `The draft as saved ${formatDateTime(config.draftUpdatedAt ?? "")}; a replay of the draft records no version.`}{" "}
          Dry run against the stored data · nothing written.
        </p>
        <Original preview={preview} />
      </div>

      <Section
        id="replay-diff"
        title="Difference from the original import"
        description={
          diff.valuesCompared
            ? "Reading by reading: the decision the original import made and the one the replay makes. A create that is now unchanged was written by the original and is still stored as it left it."
            : "The original import's configuration version is gone: values are compared where its record kept them (skips and errors)."
        }
      >
        <div className="flex flex-col gap-2">
          <DiffKinds counts={diff.counts} selected={kind} onSelect={setKind} />
          <DiffTable rows={rows} height="24rem" />
          {diff.rows.length < diff.total ? (
            <p className="text-xs text-muted">
              Showing the first {diff.rows.length.toLocaleString("en-GB")} of{" "}
              {diff.total.toLocaleString("en-GB")} differences.
            </p>
          ) : null}
        </div>
      </Section>

      <Section
        id="replay-plan"
        title="The replay's plan"
        description="Every decision the replay would make, as the studio's preview shows it."
      >
        <PreviewPanel
          outcome={preview.plan}
          pending={false}
          error={null}
          load={loadStoredReading}
          loadEntity={loadStoredEntity}
        />
      </Section>

      {confirming && applyReplay ? (
        <ReplayApplyDialog
          id={id}
          preview={preview}
          applyReplay={applyReplay}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </main>
  );
}
