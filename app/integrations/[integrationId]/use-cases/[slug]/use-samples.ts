"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type {
  SampleData,
  SampleFormat,
  SampleSummary,
  StudioResult,
  UseCaseRef,
} from "@/lib/server/studio/studio-use-case-service";
import {
  createSampleAction,
  deleteSampleAction,
  loadSampleAction,
  renameSampleAction,
  saveSampleAction,
} from "./actions";

export interface SampleEntry extends SampleSummary {
  /** The payload as stored; null until loaded. */
  saved: string | null;
  /** The payload as edited; equals `saved` when there are no unsaved edits. */
  current: string | null;
}

const byName = (a: SampleEntry, b: SampleEntry) => a.name.localeCompare(b.name);

/**
 * Keeps the selected sample in the URL (`?sample=<id>`), so a reload or a shared link opens it.
 * replaceState, not a new history entry per pick; Next's router keeps up with it.
 */
function showInUrl(sampleId: string | null) {
  const url = new URL(window.location.href);
  if (sampleId) url.searchParams.set("sample", sampleId);
  else url.searchParams.delete("sample");
  if (url.href !== window.location.href) window.history.replaceState(null, "", url);
}

/**
 * The use case's samples: the list, the selected one, and the edits not saved yet. A sample's
 * payload is loaded when first selected (a 10k-reading sample is megabytes).
 */
export function useSamples(ref: UseCaseRef, initial: SampleSummary[], first: SampleData | null) {
  const [samples, setSamples] = useState<SampleEntry[]>(() =>
    initial.map((s) =>
      s.id === first?.id
        ? { ...s, saved: first.text, current: first.text }
        : { ...s, saved: null, current: null },
    ),
  );
  const [selectedId, setSelectedId] = useState<string | null>(first?.id ?? null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const samplesRef = useRef(samples);
  samplesRef.current = samples;

  useEffect(() => showInUrl(selectedId), [selectedId]);

  const patch = useCallback((id: string, change: Partial<SampleEntry>) => {
    setSamples((list) => list.map((s) => (s.id === id ? { ...s, ...change } : s)));
  }, []);

  const select = useCallback(
    async (id: string) => {
      setSelectedId(id);
      setLoadError(null);
      const entry = samplesRef.current.find((s) => s.id === id);
      if (!entry || entry.saved !== null) return;
      const result = await loadSampleAction({ ...ref, sampleId: id });
      if (result.ok) patch(id, { saved: result.data.text, current: result.data.text });
      else setLoadError(result.message);
    },
    [ref, patch],
  );

  const edit = useCallback(
    (text: string) => {
      if (selectedId) patch(selectedId, { current: text });
    },
    [selectedId, patch],
  );

  const selected = samples.find((s) => s.id === selectedId) ?? null;

  async function save(): Promise<StudioResult<SampleSummary>> {
    if (!selected || selected.current === null) {
      return { ok: false, message: "No sample is selected", fieldErrors: {} };
    }
    const text = selected.current;
    const result = await saveSampleAction({
      ...ref,
      sampleId: selected.id,
      payloadText: text,
      format: selected.format,
    });
    if (result.ok) {
      // Keep what the user typed (formatting included); the server stored the same value.
      const current = samplesRef.current.find((s) => s.id === selected.id)?.current;
      patch(selected.id, { ...result.data, saved: text, current: current ?? text });
    }
    return result;
  }

  function revert() {
    if (selected) patch(selected.id, { current: selected.saved });
  }

  async function add(name: string, text: string, format: SampleFormat = "json") {
    const result = await createSampleAction({ ...ref, name, payloadText: text, format });
    if (result.ok) {
      const entry: SampleEntry = {
        ...result.data,
        saved: result.data.text,
        current: result.data.text,
      };
      setSamples((list) => [...list, entry].sort(byName));
      setSelectedId(entry.id);
    }
    return result;
  }

  async function rename(id: string, name: string) {
    const result = await renameSampleAction({ ...ref, sampleId: id, name });
    if (result.ok) {
      setSamples((list) =>
        list.map((s) => (s.id === id ? { ...s, name: result.data.name } : s)).sort(byName),
      );
    }
    return result;
  }

  async function remove(id: string) {
    const result = await deleteSampleAction({ ...ref, sampleId: id });
    if (result.ok) {
      const rest = samplesRef.current.filter((s) => s.id !== id);
      setSamples(rest);
      if (selectedId === id) {
        const next = rest[0];
        if (next) void select(next.id);
        else setSelectedId(null);
      }
    }
    return result;
  }

  /** A name like the file's that no sample has yet: "batch", "batch (2)", ... */
  function freeName(base: string): string {
    const names = new Set(samplesRef.current.map((s) => s.name));
    const trimmed = base.trim() || "Uploaded sample";
    if (!names.has(trimmed)) return trimmed;
    for (let i = 2; ; i++) if (!names.has(`${trimmed} (${i})`)) return `${trimmed} (${i})`;
  }

  return {
    samples,
    selected,
    loadError,
    select,
    edit,
    save,
    revert,
    add,
    rename,
    remove,
    freeName,
  };
}

export type Samples = ReturnType<typeof useSamples>;
