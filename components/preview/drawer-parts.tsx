"use client";

import { type ReactNode, useEffect, useState } from "react";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";
import { cellText } from "./format";

/**
 * A stored row the drawer loads on demand (a reading, an entity): loading, then the result; a
 * failed call becomes `failure`. Nothing is loaded without `load`.
 */
export function useStoredRow<T>(
  id: string,
  load: ((id: string) => Promise<StudioResult<T>>) | undefined,
  failure: string,
) {
  const [state, setState] = useState<
    { status: "loading" } | { status: "done"; result: StudioResult<T> }
  >({ status: "loading" });
  useEffect(() => {
    if (!load) return;
    let live = true;
    setState({ status: "loading" });
    load(id).then(
      (result) => live && setState({ status: "done", result }),
      () =>
        live &&
        setState({ status: "done", result: { ok: false, message: failure, fieldErrors: {} } }),
    );
    return () => {
      live = false;
    };
  }, [id, load, failure]);
  return state;
}

/**
 * What a drawer shows of a stored row: its data once loaded, else the element to show instead
 * (`loading` while it loads, the failure once it failed).
 */
export function storedRowView<T>(
  state: ReturnType<typeof useStoredRow<T>>,
  loading: string,
): { data: T } | { element: ReactNode } {
  if (state.status === "loading")
    return {
      element: (
        <p className="text-sm text-muted" role="status">
          {loading}
        </p>
      ),
    };
  if (!state.result.ok)
    return {
      element: (
        <p className="text-sm text-red-700" role="alert">
          {state.result.message}
        </p>
      ),
    };
  return { data: state.result.data };
}

/** Label and value pairs, the value in monospace (ids, timestamps, attribute values). */
export function Fields({ rows }: { rows: [string, ReactNode][] }) {
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

/** One titled section of a drawer. */
export function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-line py-4 first:border-t-0 first:pt-0">
      <h3 className="mb-2 text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

/** What an update changes: each attribute from the stored value to the payload's. */
export function Changes({ changes }: { changes: Record<string, { from: unknown; to: unknown }> }) {
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

/** A decision's details object, as indented JSON. */
export function Details({ details }: { details: Record<string, unknown> }) {
  return (
    <pre className="overflow-x-auto rounded-md bg-stone-50 p-3 font-mono text-[12.5px]">
      {JSON.stringify(details, null, 2)}
    </pre>
  );
}
