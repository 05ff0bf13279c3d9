"use client";

import { useMemo } from "react";
import { TimeChart } from "@/components/charts/time-chart";
import type { Series } from "@/lib/server/support/meter-service";

const FLAG_TEXT = {
  decrease: "below the previous value",
  future: "in the future",
  gap: "after an unusually long gap",
};

function OneChart({ s, highlighting }: { s: Series; highlighting: boolean }) {
  const data = useMemo(() => {
    const x = s.times.map((t) => t / 1000);
    const hi = new Set(s.highlighted);
    const flagged = new Set(s.flags.map((f) => f.t));
    const series = [
      { label: "value", values: s.values, color: "#0f766e" },
      ...(highlighting
        ? [
            {
              label: "chosen import",
              values: s.times.map((t, i) => (hi.has(t) ? (s.values[i] as number) : null)),
              color: "#7c3aed",
              kind: "points" as const,
            },
          ]
        : []),
      ...(flagged.size > 0
        ? [
            {
              label: "implausible",
              values: s.times.map((t, i) => (flagged.has(t) ? (s.values[i] as number) : null)),
              color: "#dc2626",
              kind: "points" as const,
            },
          ]
        : []),
    ];
    return { x, series };
  }, [s, highlighting]);
  return (
    <figure
      className="rounded-xl border border-line bg-panel p-3 shadow-xs"
      data-testid="counter-chart"
    >
      <figcaption className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-semibold">{s.label}</span>
        <span className="text-xs text-muted">
          {s.times.length.toLocaleString("en-GB")} readings
          {highlighting
            ? ` · ${s.highlighted.length.toLocaleString("en-GB")} from the chosen import`
            : ""}
          {s.flags.length > 0 ? ` · ${s.flags.length.toLocaleString("en-GB")} flagged` : ""}
        </span>
      </figcaption>
      <TimeChart x={data.x} series={data.series} label={`Readings of ${s.label} over time`} />
      {s.flags.length > 0 ? (
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer text-red-800">
            Plausibility flags ({s.flags.length})
          </summary>
          <ul className="mt-1 max-h-48 overflow-auto font-mono text-[12px]">
            {s.flags.slice(0, 200).map((f) => (
              <li key={`${f.kind}-${f.t}`}>
                {new Date(f.t).toISOString()} · {f.value} {FLAG_TEXT[f.kind]}
                {f.previous && f.kind === "decrease" ? ` (${f.previous.value})` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </figure>
  );
}

/** One chart per counter and direction, the chosen import's readings marked. */
export function MeterCharts({ series, highlighting }: { series: Series[]; highlighting: boolean }) {
  if (series.length === 0) return <p className="text-sm text-muted">No readings to draw.</p>;
  return (
    <div className="grid gap-4">
      {series.map((s) => (
        <OneChart key={`${s.counterId}|${s.direction}`} s={s} highlighting={highlighting} />
      ))}
    </div>
  );
}
