"use client";

import { useId, useState, useTransition } from "react";
import { JsonDiffEditor } from "@/components/editor";
import { Button } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format";
import { StatusMessage } from "@/components/ui/status-message";
import type { StudioResult, VersionSummary } from "@/lib/server/studio/studio-use-case-service";
import { WideDialog } from "./wide-dialog";

const DRAFT = "draft";

/**
 * Versions with their time and message; any two of them (or one and the draft) side by side in a
 * diff; and "Restore as draft" to start again from an old version.
 */
export function HistoryDialog({
  versions,
  draftText,
  draftDirty,
  onClose,
  onRestore,
  canRestore = true,
}: {
  versions: VersionSummary[];
  draftText: string;
  draftDirty: boolean;
  onClose: () => void;
  onRestore: (versionId: string) => Promise<StudioResult<unknown>>;
  /** False for a support user: versions can be compared, not restored. */
  canRestore?: boolean;
}) {
  const [from, setFrom] = useState(versions[0]?.id ?? DRAFT);
  const [to, setTo] = useState(DRAFT);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [restoring, startRestore] = useTransition();

  const textOf = (id: string) =>
    id === DRAFT ? draftText : (versions.find((v) => v.id === id)?.configText ?? "");
  const labelOf = (id: string) => {
    if (id === DRAFT) return "Draft (editor)";
    const v = versions.find((x) => x.id === id);
    return v ? `v${v.version}` : "?";
  };

  function restore(version: VersionSummary) {
    startRestore(async () => {
      const result = await onRestore(version.id);
      setConfirming(null);
      setMessage(
        result.ok
          ? {
              tone: "success",
              text: `v${version.version} is the draft again; publish it to make it live`,
            }
          : { tone: "error", text: result.message },
      );
      if (result.ok) {
        setFrom(version.id);
        setTo(DRAFT);
      }
    });
  }

  const options = [
    { id: DRAFT, label: "Draft (editor)" },
    ...versions.map((v) => ({ id: v.id, label: `v${v.version} · ${v.message || "no message"}` })),
  ];

  return (
    <WideDialog
      open
      onClose={onClose}
      title="History"
      description="Published versions, newest first. Compare any two, or restore an old one as the draft."
    >
      <div className="grid gap-5 lg:grid-cols-[minmax(0,22rem)_minmax(0,1fr)]">
        <div className="flex flex-col gap-3">
          {message ? <StatusMessage tone={message.tone}>{message.text}</StatusMessage> : null}
          {versions.length === 0 ? (
            <p className="text-sm text-muted">Nothing is published yet.</p>
          ) : (
            <ol
              aria-label="Versions"
              className="divide-y divide-line rounded-lg border border-line"
            >
              {versions.map((v, i) => (
                <li key={v.id} data-testid="version-row" className="px-3 py-2.5">
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="font-semibold">
                      v{v.version}
                      {i === 0 ? (
                        <span className="ml-2 rounded-full bg-green-50 px-2 py-px text-xs font-medium text-green-800">
                          latest
                        </span>
                      ) : null}
                    </span>
                    <time dateTime={v.publishedAt} className="text-xs text-muted">
                      {formatDateTime(v.publishedAt)}
                    </time>
                  </div>
                  <p className="mt-0.5 text-sm break-words text-muted">
                    {v.message || "No message"}
                  </p>
                  {confirming === v.id ? (
                    <div className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
                      <p>
                        Replace the draft with v{v.version}?
                        {draftDirty ? " Your unsaved edits are lost." : ""}
                      </p>
                      <div className="mt-2 flex gap-2">
                        <Button
                          size="sm"
                          variant="primary"
                          disabled={restoring}
                          onClick={() => restore(v)}
                        >
                          {restoring ? "Restoring…" : "Restore as draft"}
                        </Button>
                        <Button size="sm" onClick={() => setConfirming(null)}>
                          Cancel
                        </Button>
                      </div>
                    </div>
                  ) : (
                    <div className="mt-1.5 flex flex-wrap gap-1">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => {
                          setFrom(v.id);
                          setTo(DRAFT);
                        }}
                      >
                        Compare with draft
                      </Button>
                      {canRestore ? (
                        <Button size="sm" variant="ghost" onClick={() => setConfirming(v.id)}>
                          Restore as draft
                        </Button>
                      ) : null}
                    </div>
                  )}
                </li>
              ))}
            </ol>
          )}
        </div>
        <div className="flex min-w-0 flex-col gap-2">
          <div className="flex flex-wrap items-end gap-3">
            <VersionSelect label="Original" value={from} onChange={setFrom} options={options} />
            <span aria-hidden="true" className="hidden pb-1.5 text-muted sm:inline">
              →
            </span>
            <VersionSelect label="Modified" value={to} onChange={setTo} options={options} />
            <Button
              size="sm"
              variant="ghost"
              onClick={() => {
                setFrom(to);
                setTo(from);
              }}
            >
              Swap
            </Button>
          </div>
          <p className="text-sm text-muted" aria-live="polite">
            {from === to
              ? "Pick two different versions to see what changed."
              : textOf(from) === textOf(to)
                ? `${labelOf(from)} and ${labelOf(to)} are identical.`
                : `Changes from ${labelOf(from)} to ${labelOf(to)}:`}
          </p>
          <div data-testid="history-diff" className="overflow-hidden rounded-lg border border-line">
            <JsonDiffEditor original={textOf(from)} modified={textOf(to)} height={460} />
          </div>
        </div>
      </div>
    </WideDialog>
  );
}

/** One side of the diff: a labelled choice among the versions (and the draft). */
function VersionSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { id: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="h-8 max-w-64 rounded-md border border-stone-300 bg-panel px-2 text-sm"
      >
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
