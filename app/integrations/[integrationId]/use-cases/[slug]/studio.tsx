"use client";

import { useCallback, useDeferredValue, useEffect, useMemo, useState, useTransition } from "react";
import { ConfigEditor } from "@/components/editor";
import { PreviewPanel } from "@/components/preview/preview-panel";
import { Button } from "@/components/ui/button";
import { formatTime } from "@/components/ui/format";
import { validateConfig } from "@/lib/engine";
import { deepEqual } from "@/lib/engine/deep-equal";
import { parseJson } from "@/lib/json/parse-json";
import type { StudioData, VersionSummary } from "@/lib/server/studio/studio-use-case-service";
import { readSample } from "@/lib/studio/read-sample";
import {
  restoreVersionAction,
  saveDraftAction,
  storedEntityAction,
  storedReadingAction,
} from "./actions";
import { ApplyDialog } from "./apply-dialog";
import { HistoryDialog } from "./history-dialog";
import { PublishDialog } from "./publish-dialog";
import { SampleBar } from "./sample-bar";
import { StudioHeader } from "./studio-header";
import { useLivePreview } from "./use-live-preview";
import { useSamples } from "./use-samples";

type Open = "publish" | "history" | "apply" | null;

// The drawer asks for a stored reading by id.
const loadStoredReading = (readingId: string) => storedReadingAction({ readingId });
const loadStoredEntity = (entityId: string) => storedEntityAction({ entityId });

/** The screen consultants live in: the draft on the left, what it would do on the right. */
/** `canAuthor` false (a support user): the studio is read-only, the preview still runs. */
export function Studio({ initial, canAuthor }: { initial: StudioData; canAuthor: boolean }) {
  const studioRef = useMemo(
    () => ({ integrationId: initial.integration.id, slug: initial.useCase.slug }),
    [initial.integration.id, initial.useCase.slug],
  );
  const [draft, setDraft] = useState(initial.useCase.draftText);
  const [savedDraft, setSavedDraft] = useState(initial.useCase.draftText);
  const [savedAt, setSavedAt] = useState(initial.useCase.draftUpdatedAt);
  const [versions, setVersions] = useState<VersionSummary[]>(initial.versions);
  const [open, setOpen] = useState<Open>(null);
  // A save's message is about the text it saved: once the draft is edited (an undo too), it is
  // stale, and "Unsaved changes" must show instead.
  const [saveMessage, setSaveMessage] = useState<{
    tone: "error" | "info";
    text: string;
    draftText: string;
  } | null>(null);
  const [saving, startSave] = useTransition();
  const samples = useSamples(studioRef, initial.samples, initial.firstSample);
  const payloadText = samples.selected?.current ?? null;
  const payloadFormat = samples.selected?.format ?? "json";
  const preview = useLivePreview(studioRef, draft, payloadText, payloadFormat);

  // The engine is browser-safe: validity and "equals the live version" follow every keystroke.
  const deferredDraft = useDeferredValue(draft);
  const parsedDraft = useMemo(() => parseJson(deferredDraft), [deferredDraft]);
  const validation = useMemo(
    () => (parsedDraft.ok ? validateConfig(parsedDraft.value) : null),
    [parsedDraft],
  );
  const latest = versions[0];
  const latestConfig = useMemo(
    () => (latest ? JSON.parse(latest.configText) : undefined),
    [latest],
  );
  const draftPublished =
    latest !== undefined && parsedDraft.ok && deepEqual(parsedDraft.value, latestConfig);
  const deferredPayload = useDeferredValue(payloadText);
  // An XML sample's expressions are evaluated on the JSON it converts to, as imports see it.
  const sampleValue = useMemo(() => {
    if (deferredPayload === null) return undefined;
    const read = readSample(deferredPayload, payloadFormat);
    return read.ok ? read.value : undefined;
  }, [deferredPayload, payloadFormat]);

  const dirty = draft !== savedDraft;
  const samplesDirty = samples.samples.some((s) => s.current !== s.saved);
  const publishBlocked = !parsedDraft.ok
    ? "The draft is not valid JSON"
    : validation && !validation.valid
      ? "An invalid draft can be saved but not published"
      : draftPublished
        ? `Nothing to publish: the draft is v${latest?.version}`
        : null;
  const applyBlocked = !latest
    ? "Nothing is published yet: Apply uses the latest published version"
    : !samples.selected
      ? "Add a sample to apply"
      : payloadText === null
        ? "The sample is loading"
        : null;

  const save = useCallback(() => {
    const text = draft;
    setSaveMessage(null);
    startSave(async () => {
      const result = await saveDraftAction({ ...studioRef, draftText: text });
      if (result.ok) {
        setSavedDraft(text);
        setSavedAt(result.data.draftUpdatedAt);
        if (!result.data.validation.valid) {
          setSaveMessage({
            tone: "info",
            text: "Saved. The draft has errors: fix them before publishing.",
            draftText: text,
          });
        }
      } else
        setSaveMessage({
          tone: "error",
          text: result.fieldErrors.draft?.[0] ?? result.message,
          draftText: text,
        });
    });
  }, [draft, studioRef]);

  // Ctrl/Cmd+S saves the draft instead of the web page.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
        event.preventDefault();
        if (canAuthor && dirty && !saving) save();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canAuthor, dirty, saving, save]);

  useEffect(() => {
    if (!dirty && !samplesDirty) return;
    const onLeave = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", onLeave);
    return () => window.removeEventListener("beforeunload", onLeave);
  }, [dirty, samplesDirty]);

  async function restore(versionId: string) {
    const result = await restoreVersionAction({ ...studioRef, versionId });
    if (result.ok) {
      setDraft(result.data.draftText);
      setSavedDraft(result.data.draftText);
      setSavedAt(result.data.draftUpdatedAt);
    }
    return result;
  }

  const problems = validation
    ? `${validation.errors.length} ${validation.errors.length === 1 ? "error" : "errors"}${
        validation.warnings.length > 0
          ? `, ${validation.warnings.length} ${validation.warnings.length === 1 ? "warning" : "warnings"}`
          : ""
      }`
    : "not valid JSON";

  return (
    // data-width="wide": the site header widens with the studio, so their edges line up.
    <main data-width="wide" className="mx-auto w-full max-w-[1760px] px-4 pt-5 pb-10 sm:px-6">
      <StudioHeader studio={initial} latest={latest} draftPublished={draftPublished} />

      <div
        role="toolbar"
        aria-label="Draft actions"
        className="z-20 -mx-4 mt-3 flex flex-wrap items-center gap-x-3 gap-y-2 border-y border-line bg-surface/95 px-4 py-2.5 backdrop-blur sm:sticky sm:top-0 sm:-mx-6 sm:px-6"
      >
        {canAuthor ? (
          <Button
            variant={dirty ? "primary" : "secondary"}
            size="sm"
            onClick={save}
            disabled={!dirty || saving}
            title="Save draft (Ctrl+S)"
          >
            {saving ? "Saving…" : "Save draft"}
          </Button>
        ) : (
          <span
            data-testid="read-only-note"
            className="rounded-full border border-line bg-stone-50 px-2.5 py-0.5 text-xs font-medium text-muted"
          >
            Read-only: your role previews configurations, it does not change them
          </span>
        )}
        <span className="text-sm text-muted" role="status" hidden={!canAuthor}>
          {saveMessage && saveMessage.draftText === draft ? (
            <span className={saveMessage.tone === "error" ? "text-red-700" : "text-amber-800"}>
              {saveMessage.text}
            </span>
          ) : dirty ? (
            <span className="text-amber-800">Unsaved changes</span>
          ) : (
            `Draft saved ${formatTime(savedAt)}`
          )}
        </span>
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1.5 sm:ml-auto sm:justify-end">
          {/* Said as text, not only as a tooltip (a tooltip never shows on touch screens). */}
          {canAuthor && publishBlocked ? (
            <span
              id="publish-blocked"
              data-testid="publish-blocked"
              className={`text-xs ${draftPublished ? "text-muted" : "text-red-700"}`}
            >
              {publishBlocked}
            </span>
          ) : null}
          {canAuthor && !latest ? (
            <span id="apply-blocked" className="text-xs text-muted">
              Apply uses the latest published version: publish first
            </span>
          ) : null}
          <Button size="sm" onClick={() => setOpen("history")}>
            History
            <span className="rounded-full bg-stone-100 px-1.5 text-xs text-muted">
              {versions.length}
            </span>
          </Button>
          {canAuthor ? (
            <>
              <Button
                size="sm"
                variant="primary"
                onClick={() => setOpen("publish")}
                disabled={publishBlocked !== null}
                aria-describedby={publishBlocked ? "publish-blocked" : undefined}
              >
                Publish…
              </Button>
              <Button
                size="sm"
                onClick={() => setOpen("apply")}
                disabled={applyBlocked !== null}
                aria-describedby={!latest ? "apply-blocked" : undefined}
                title={
                  applyBlocked ??
                  `Runs the selected sample as a real import with v${latest?.version}, the latest published version`
                }
              >
                <span>
                  Apply<span className="hidden sm:inline"> sample</span>
                  {latest ? ` with v${latest.version}` : ""}…
                </span>
              </Button>
            </>
          ) : null}
        </div>
      </div>

      <div className="mt-4 grid gap-5 lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
        <section aria-labelledby="config-heading" className="flex min-w-0 flex-col gap-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="config-heading" className="text-base font-semibold tracking-tight">
              Configuration <span className="font-normal text-muted">(draft)</span>
            </h2>
            <span
              data-testid="draft-validity"
              className={`text-sm ${validation?.valid ? "text-green-800" : "text-red-700"}`}
            >
              {validation?.valid
                ? validation.warnings.length > 0
                  ? `Valid, ${problems.replace(/^0 errors, /, "")}`
                  : "Valid"
                : problems}
            </span>
          </div>
          {/* The editor takes one height; the breakpoints set it through a CSS variable. */}
          <div className="min-w-0 [--config-height:60dvh] lg:[--config-height:max(480px,calc(100dvh-17rem))]">
            <ConfigEditor
              value={draft}
              onChange={setDraft}
              modelUri={`inmemory://studio/${initial.useCase.id}/draft.json`}
              sample={sampleValue}
              height="var(--config-height)"
              readOnly={!canAuthor}
              ariaLabel={`Draft configuration of ${initial.useCase.name}`}
              defaultExpressionPanel={false}
            />
          </div>
        </section>

        <section aria-labelledby="preview-heading" className="flex min-w-0 flex-col gap-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="preview-heading" className="text-base font-semibold tracking-tight">
              Preview
            </h2>
            <span className="text-xs text-muted">
              The draft as typed, run against the sample and the stored data
            </span>
          </div>
          <SampleBar samples={samples} editable={canAuthor} />
          <PreviewPanel
            outcome={preview.outcome}
            pending={preview.pending}
            error={preview.error}
            empty={
              samples.samples.length === 0
                ? "Add or upload a sample payload to see what the draft would do with it."
                : undefined
            }
            load={loadStoredReading}
            loadEntity={loadStoredEntity}
            tableHeight="max(18rem, calc(100dvh - 27rem))"
          />
        </section>
      </div>

      {open === "publish" && canAuthor ? (
        <PublishDialog
          studioRef={studioRef}
          draftText={draft}
          nextVersion={(latest?.version ?? 0) + 1}
          onClose={() => setOpen(null)}
          onPublished={(published, text) => {
            setVersions((list) => [published.version, ...list]);
            setSavedDraft(text);
            setSavedAt(published.draftUpdatedAt);
            setOpen(null);
          }}
        />
      ) : null}
      {open === "history" ? (
        <HistoryDialog
          versions={versions}
          draftText={draft}
          draftDirty={dirty}
          onClose={() => setOpen(null)}
          onRestore={restore}
          canRestore={canAuthor}
        />
      ) : null}
      {open === "apply" && canAuthor && samples.selected && payloadText !== null ? (
        <ApplyDialog
          studioRef={studioRef}
          sampleName={samples.selected.name}
          payloadText={payloadText}
          payloadFormat={payloadFormat}
          draftPublished={draftPublished}
          onClose={() => setOpen(null)}
          onApplied={() => preview.refresh()}
        />
      ) : null}
    </main>
  );
}
