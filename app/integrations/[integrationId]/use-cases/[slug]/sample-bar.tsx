"use client";

import { useDeferredValue, useId, useMemo, useRef, useState } from "react";
import { JsonEditor, XmlEditor } from "@/components/editor";
import { Button } from "@/components/ui/button";
import { readSample, sampleFormatOf } from "@/lib/studio/read-sample";
import { DeleteSampleDialog, NewSampleDialog, RenameSampleDialog } from "./sample-dialogs";
import type { Samples } from "./use-samples";

function size(chars: number): string {
  if (chars < 1024) return `${chars} B`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(1)} KB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MB`;
}

type Open = "new" | "rename" | "delete" | null;

/**
 * The sample the preview runs: pick one, add, upload, rename, delete, and edit its payload. Edits
 * drive the preview at once; "Save sample" stores them for everyone.
 */
/** `editable` false (a support user): samples can be chosen and tried, not changed. */
export function SampleBar({ samples, editable = true }: { samples: Samples; editable?: boolean }) {
  const { selected } = samples;
  const [open, setOpen] = useState<Open>(null);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const selectId = useId();
  const fileId = useId();
  const editorId = useId();

  const current = selected?.current ?? null;
  const format = selected?.format ?? "json";
  const formatName = format === "xml" ? "XML" : "JSON";
  const deferred = useDeferredValue(current);
  const read = useMemo(
    () => (deferred === null ? null : readSample(deferred, format)),
    [deferred, format],
  );
  const syntax = read && !read.ok ? read : null;
  // Beside an XML sample: the JSON it converts to, which is what field paths and expressions see.
  const converted = useMemo(
    () => (format === "xml" && read?.ok ? JSON.stringify(read.value, null, 2) : null),
    [format, read],
  );
  const dirty = selected !== null && selected.current !== selected.saved;

  async function upload(file: File) {
    setBusy(true);
    setMessage(null);
    try {
      const text = await file.text();
      const name = samples.freeName(file.name.replace(/\.(json|xml)$/i, ""));
      const result = await samples.add(name, text, sampleFormatOf(file.name, text));
      setMessage(
        result.ok
          ? { tone: "success", text: `Uploaded “${name}” and selected it` }
          : {
              tone: "error",
              text: `“${file.name}” was not added: ${result.fieldErrors.payload?.[0] ?? result.message}`,
            },
      );
    } catch {
      setMessage({ tone: "error", text: `“${file.name}” could not be read` });
    } finally {
      setBusy(false);
      if (fileRef.current) fileRef.current.value = "";
    }
  }

  async function save() {
    setBusy(true);
    const result = await samples.save();
    setBusy(false);
    setMessage(
      result.ok
        ? { tone: "success", text: "Sample saved" }
        : { tone: "error", text: result.fieldErrors.payload?.[0] ?? result.message },
    );
  }

  return (
    <section
      aria-label="Sample payload"
      className="rounded-xl border border-line bg-panel shadow-xs"
    >
      <div className="flex flex-wrap items-center gap-2 px-3 py-2.5">
        <label htmlFor={selectId} className="text-sm font-medium">
          Sample
        </label>
        <select
          id={selectId}
          value={selected?.id ?? ""}
          onChange={(e) => {
            setMessage(null);
            void samples.select(e.target.value);
          }}
          disabled={samples.samples.length === 0}
          className="h-8 min-w-0 flex-1 basis-40 rounded-md border border-stone-300 bg-panel px-2 text-sm sm:max-w-72"
        >
          {samples.samples.length === 0 ? <option value="">No samples yet</option> : null}
          {samples.samples.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.format === "xml" ? " · XML" : ""}
              {s.current !== s.saved ? " (edited)" : ""}
            </option>
          ))}
        </select>
        <div className="flex flex-wrap items-center gap-1">
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={editing}
            aria-controls={editorId}
            disabled={!selected}
            onClick={() => setEditing((e) => !e)}
          >
            {editing ? "Hide payload" : "Edit payload"}
          </Button>
          {editable ? (
            <>
              <Button size="sm" variant="ghost" onClick={() => setOpen("new")}>
                New
              </Button>
              <label
                htmlFor={fileId}
                className="inline-flex h-8 cursor-pointer items-center rounded-md px-3 text-sm font-medium text-muted hover:bg-stone-100 hover:text-ink has-focus-visible:outline-2 has-focus-visible:outline-accent"
              >
                Upload
                <input
                  ref={fileRef}
                  id={fileId}
                  type="file"
                  accept=".json,.xml,application/json,application/xml,text/xml"
                  className="sr-only"
                  disabled={busy}
                  onChange={(e) => {
                    const file = e.target.files?.[0];
                    if (file) void upload(file);
                  }}
                />
              </label>
              <Button
                size="sm"
                variant="ghost"
                disabled={!selected}
                onClick={() => setOpen("rename")}
              >
                Rename
              </Button>
              <Button
                size="sm"
                variant="ghost"
                disabled={!selected}
                onClick={() => setOpen("delete")}
              >
                Delete
              </Button>
            </>
          ) : null}
        </div>
      </div>

      {selected && (dirty || message || samples.loadError || syntax) ? (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-line px-3 py-2 text-sm">
          {samples.loadError ? (
            <span role="alert" className="text-red-700">
              {samples.loadError}
            </span>
          ) : null}
          {syntax ? (
            <span role="alert" className="text-red-700">
              Not valid {formatName}: {syntax.message}
            </span>
          ) : null}
          {message && !syntax ? (
            <span
              role={message.tone === "error" ? "alert" : "status"}
              className={message.tone === "error" ? "text-red-700" : "text-green-800"}
            >
              {message.text}
            </span>
          ) : null}
          {dirty ? (
            <span className="ml-auto flex items-center gap-2">
              <span className="text-amber-800">Unsaved edits, used by the preview</span>
              <Button size="sm" variant="ghost" onClick={samples.revert} disabled={busy}>
                Revert
              </Button>
              <Button
                size="sm"
                onClick={save}
                disabled={!editable || busy || syntax !== null}
                hidden={!editable}
              >
                Save sample
              </Button>
            </span>
          ) : null}
        </div>
      ) : null}

      {editing && selected ? (
        <div id={editorId} className="border-t border-line p-2">
          {current === null ? (
            <p className="px-2 py-6 text-center text-sm text-muted">Loading the sample…</p>
          ) : format === "xml" ? (
            <div className="grid gap-2 md:grid-cols-2">
              <div className="min-w-0">
                <p className="px-1 pb-1 text-xs font-medium text-muted">XML, as sent</p>
                <XmlEditor
                  key={selected.id}
                  value={current}
                  onChange={samples.edit}
                  modelUri={`inmemory://studio/samples/${selected.id}.xml`}
                  markers={
                    syntax
                      ? [
                          {
                            startOffset: Math.max(0, syntax.offset - 1),
                            endOffset: syntax.offset,
                            severity: "error",
                            message: syntax.message,
                          },
                        ]
                      : []
                  }
                  height={280}
                  ariaLabel={`Payload of the sample ${selected.name}`}
                />
              </div>
              <div className="min-w-0" data-testid="converted-json">
                <p className="px-1 pb-1 text-xs font-medium text-muted">
                  JSON the mapping sees{syntax ? " (from the last valid XML)" : ""}
                </p>
                <ConvertedJson id={selected.id} text={converted} />
              </div>
            </div>
          ) : (
            <JsonEditor
              key={selected.id}
              value={current}
              onChange={samples.edit}
              modelUri={`inmemory://studio/samples/${selected.id}.json`}
              height={280}
              ariaLabel={`Payload of the sample ${selected.name}`}
            />
          )}
          <p className="mt-1.5 px-1 text-xs text-muted">
            {size(current?.length ?? selected.chars)} · edits update the preview right away
          </p>
        </div>
      ) : null}

      {open === "new" ? (
        <NewSampleDialog
          open
          onClose={() => setOpen(null)}
          copyFrom={
            selected && current !== null
              ? { name: selected.name, text: current, format: selected.format }
              : null
          }
          onCreate={samples.add}
        />
      ) : null}
      {open === "rename" && selected ? (
        <RenameSampleDialog
          open
          onClose={() => setOpen(null)}
          name={selected.name}
          onRename={(name) => samples.rename(selected.id, name)}
        />
      ) : null}
      {open === "delete" && selected ? (
        <DeleteSampleDialog
          open
          onClose={() => setOpen(null)}
          name={selected.name}
          onDelete={() => samples.remove(selected.id)}
        />
      ) : null}
    </section>
  );
}

/**
 * The converted JSON of an XML sample, read-only. While the XML does not convert, the last
 * conversion stays (a half-typed tag must not blank the panel).
 */
function ConvertedJson({ id, text }: { id: string; text: string | null }) {
  const [shown, setShown] = useState(text ?? "");
  if (text !== null && text !== shown) setShown(text);
  return (
    <JsonEditor
      value={text ?? shown}
      onChange={() => {}}
      readOnly
      modelUri={`inmemory://studio/samples/${id}.converted.json`}
      height={280}
      ariaLabel="JSON the mapping sees"
    />
  );
}
