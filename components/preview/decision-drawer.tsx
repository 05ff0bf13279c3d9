"use client";

import { type ReactNode, useEffect, useState } from "react";
import type {
  PreviewDecision,
  StoredReadingDetails,
} from "@/lib/server/studio/studio-preview-service";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";
import { ActionBadge } from "./action-badge";
import { cellText, counterText, decisionPosition, meterText } from "./format";
import { SideDrawer } from "./side-drawer";

export type LoadStoredReading = (readingId: string) => Promise<StudioResult<StoredReadingDetails>>;

const MATCHED_BY: Record<string, string> = {
  external_id: "same meter and external id",
  "strict-date": "same meter, counter and direction on the same Berlin day (strict-date)",
  dedup: "a reading on the same Berlin day (deduplication)",
  scope: "the prune scope",
};

function Fields({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[minmax(7rem,auto)_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted">{label}</dt>
          <dd className="min-w-0 font-mono text-[12.5px] break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-line py-4 first:border-t-0 first:pt-0">
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function Changes({ changes }: { changes: NonNullable<PreviewDecision["changes"]> }) {
  return (
    <table className="w-full text-sm">
      <thead>
        <tr className="text-left text-xs text-muted">
          <th className="py-1 pr-3 font-medium">Attribute</th>
          <th className="py-1 pr-3 font-medium">Stored (from)</th>
          <th className="py-1 font-medium">Payload (to)</th>
        </tr>
      </thead>
      <tbody className="font-mono text-[12.5px]">
        {Object.entries(changes).map(([attribute, { from, to }]) => (
          <tr key={attribute} className="border-t border-stone-100 align-top">
            <td className="py-1.5 pr-3 font-sans">{attribute}</td>
            <td className="py-1.5 pr-3 break-all text-rose-800">
              <del className="decoration-rose-300">{cellText(from)}</del>
            </td>
            <td className="py-1.5 break-all text-green-800">{cellText(to)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StoredReading({ readingId, load }: { readingId: string; load: LoadStoredReading }) {
  const [state, setState] = useState<
    { status: "loading" } | { status: "done"; result: StudioResult<StoredReadingDetails> }
  >({ status: "loading" });

  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    load(readingId).then(
      (result) => live && setState({ status: "done", result }),
      () =>
        live &&
        setState({
          status: "done",
          result: { ok: false, message: "The reading could not be loaded", fieldErrors: {} },
        }),
    );
    return () => {
      live = false;
    };
  }, [readingId, load]);

  if (state.status === "loading") {
    return (
      <p className="text-sm text-muted" role="status">
        Loading the stored reading…
      </p>
    );
  }
  if (!state.result.ok) {
    return (
      <p className="text-sm text-red-700" role="alert">
        {state.result.message}
      </p>
    );
  }
  const r = state.result.data;
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

/** One decision in full, with the stored reading it updates, duplicates or deletes. */
export function DecisionDrawer({
  decision,
  onClose,
  load,
  onShowProvisional,
}: {
  decision: PreviewDecision | null;
  onClose: () => void;
  load: LoadStoredReading;
  /** Jumps to the decision that creates a reading earlier in the same payload. */
  onShowProvisional?: (readingId: string) => void;
}) {
  const d = decision;
  const target = d?.target;
  const provisional = target?.reading_id.startsWith("new:") ?? false;
  return (
    <SideDrawer
      open={d !== null}
      onClose={onClose}
      title={d ? `Decision ${decisionPosition(d)}` : ""}
      subtitle={
        d ? (
          <span className="flex flex-wrap items-center gap-2">
            <ActionBadge action={d.action} />
            {d.code ? <code className="font-mono text-xs">{d.code}</code> : null}
            {d.message ? <span>{d.message}</span> : null}
          </span>
        ) : null
      }
    >
      {d ? (
        <div>
          <Block title="Meter">
            <Fields
              rows={[
                ["meter", meterText(d) || "not resolved"],
                ...(d.counter ? [["counter", counterText(d)] as [string, ReactNode]] : []),
              ]}
            />
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
                rows={Object.entries(d.reading).map(([k, v]): [string, ReactNode] => [
                  k,
                  cellText(v),
                ])}
              />
            </Block>
          ) : null}
          {d.details && Object.keys(d.details).length > 0 ? (
            <Block title="Details">
              <pre className="overflow-x-auto rounded-md bg-stone-50 p-3 font-mono text-[12.5px]">
                {JSON.stringify(d.details, null, 2)}
              </pre>
            </Block>
          ) : null}
        </div>
      ) : null}
    </SideDrawer>
  );
}
