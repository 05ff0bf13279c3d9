"use client";

import { useMemo } from "react";
import { TimeChart } from "@/components/charts/time-chart";

const COLORS: Record<string, string> = {
  success: "#15803d",
  error: "#dc2626",
  skipped: "#78716c",
  ignored: "#d97706",
};

/** Events per Berlin day, one bar series per status. */
export function EventsPerDayChart({
  days,
  counts,
}: {
  days: string[];
  counts: Record<string, number[]>;
}) {
  const data = useMemo(
    () => ({
      x: days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000),
      series: Object.entries(counts).map(([status, values]) => ({
        label: status,
        values,
        color: COLORS[status] ?? "#0f766e",
        kind: "line" as const,
      })),
    }),
    [days, counts],
  );
  return (
    <TimeChart
      x={data.x}
      series={data.series}
      label="Events per day by status"
      yLabel="events"
      height={240}
    />
  );
}
