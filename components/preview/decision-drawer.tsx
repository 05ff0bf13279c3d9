"use client";

import type { ReactNode } from "react";
import type {
  PreviewDecision,
  StoredReadingDetails,
} from "@/lib/server/studio/studio-preview-service";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";
import { ActionBadge } from "./action-badge";
import { Block, Changes, Details, Fields, storedRowView, useStoredRow } from "./drawer-parts";
import { EntityLink } from "./entity-links";
import { cellText, counterText, decisionPosition, meterText } from "./format";
import { SideDrawer } from "./side-drawer";

export type LoadStoredReading = (readingId: string) => Promise<StudioResult<StoredReadingDetails>>;

const MATCHED_BY: Record<string, string> = {
  external_id: "same meter and external id",
  "strict-date": "same meter, counter and direction on the same Berlin day (strict-date)",
  dedup: "a reading on the same Berlin day (deduplication)",
  scope: "the prune scope",
};

function StoredReading({ readingId, load }: { readingId: string; load: LoadStoredReading }) {
  const state = useStoredRow(readingId, load, "The reading could not be loaded");

  const view = storedRowView(state, "Loading the stored reading…");
  if (!("data" in view)) return view.element;
  const r = view.data;
  const ids = (attributes: Record<string, unknown> | null) =>
    attributes
      ? Object.entries(attributes)
          .map(([k, v]) => `${k}=${cellText(v)}`)
          .join(", ")
      : "";
  return (
    <div data-testid="stored-reading">
      <Fields
        rows={[
          ["id", r.id],
          ["meter", ids(r.meter) || r.meterId],
          ["counter", r.counterId ? ids(r.counter) || r.counterId : "none"],
          ["external_id", r.externalId ?? "none"],
          ["timestamp (UTC)", r.timestamp],
          ["Berlin day", r.berlinDay ?? ""],
          ["value", r.value],
          ["source", r.source ?? "null"],
          ["reason", r.reason ?? "null"],
          ["direction", r.direction ?? "none"],
          ...Object.entries(r.attributes).map(([k, v]): [string, ReactNode] => [k, cellText(v)]),
          ["written by import", r.importId ?? "unknown"],
          ["created (UTC)", r.createdAt],
          ["updated (UTC)", r.updatedAt],
        ]}
      />
    </div>
  );
}

/** The meter and counter as the decision names them, and links to their entities. */
function meterRows(d: PreviewDecision): [string, ReactNode][] {
  const rows: [string, ReactNode][] = [["meter", meterText(d) || "not resolved"]];
  if (d.meter?.id)
    rows.push(["meter entity", <EntityLink key="meter" id={d.meter.id} schema="meter" />]);
  if (d.counter) rows.push(["counter", counterText(d)]);
  if (d.counter?.id)
    rows.push([
      "counter entity",
      <EntityLink key="counter" id={d.counter.id} schema="meter_counter" />,
    ]);
  return rows;
}

export const readingTitle = (d: PreviewDecision) => `Decision ${decisionPosition(d)}`;

export function ReadingSubtitle({ decision: d }: { decision: PreviewDecision }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <ActionBadge action={d.action} />
      {d.code ? <code className="font-mono text-xs">{d.code}</code> : null}
      {d.message ? <span>{d.message}</span> : null}
    </span>
  );
}

/**
 * One reading decision in full, with the stored reading it updates, duplicates or deletes. Its
 * meter and counter link to their entities where the view knows them (EntityNavProvider).
 */
export function ReadingDecisionBody({
  decision: d,
  load,
  onShowProvisional,
}: {
  decision: PreviewDecision;
  load: LoadStoredReading;
  /** Jumps to the decision that creates a reading earlier in the same payload. */
  onShowProvisional?: (readingId: string) => void;
}) {
  const target = d.target;
  const provisional = target?.reading_id.startsWith("new:") ?? false;
  return (
    <div>
      <Block title="Meter">
        <Fields rows={meterRows(d)} />
      </Block>
      {d.time ? (
        <Block title="Timestamp">
          <Fields
            rows={[
              ["raw", cellText(d.time.raw)],
              ["instant (UTC)", d.time.instant],
              ["Berlin day", d.time.berlin_day],
            ]}
          />
        </Block>
      ) : null}
      {d.changes && Object.keys(d.changes).length > 0 ? (
        <Block title="Changes">
          <Changes changes={d.changes} />
        </Block>
      ) : null}
      {target ? (
        <Block title="Stored reading">
          <p className="mb-3 text-sm text-muted">
            Matched by {MATCHED_BY[target.matched_by] ?? target.matched_by}.
          </p>
          {provisional ? (
            <div className="text-sm">
              <p>
                Not stored yet: an earlier reading of this payload creates it (
                <code className="font-mono text-xs">{target.reading_id}</code>).
              </p>
              {onShowProvisional ? (
                <button
                  type="button"
                  onClick={() => onShowProvisional(target.reading_id)}
                  className="mt-2 text-sm font-medium text-accent hover:underline"
                >
                  Show that decision
                </button>
              ) : null}
            </div>
          ) : (
            <StoredReading readingId={target.reading_id} load={load} />
          )}
        </Block>
      ) : null}
      {d.reading ? (
        <Block title="Mapped reading">
          <Fields
            rows={Object.entries(d.reading).map(([k, v]): [string, ReactNode] => [k, cellText(v)])}
          />
        </Block>
      ) : null}
      {d.details && Object.keys(d.details).length > 0 ? (
        <Block title="Details">
          <Details details={d.details} />
        </Block>
      ) : null}
    </div>
  );
}

/** One reading decision in the side drawer (the support page's recorded decisions). */
export function DecisionDrawer({
  decision,
  onClose,
  load,
  onShowProvisional,
}: {
  decision: PreviewDecision | null;
  onClose: () => void;
  load: LoadStoredReading;
  onShowProvisional?: (readingId: string) => void;
}) {
  return (
    <SideDrawer
      open={decision !== null}
      onClose={onClose}
      title={decision ? readingTitle(decision) : ""}
      subtitle={decision ? <ReadingSubtitle decision={decision} /> : null}
    >
      {decision ? (
        <ReadingDecisionBody
          decision={decision}
          load={load}
          onShowProvisional={onShowProvisional}
        />
      ) : null}
    </SideDrawer>
  );
}
