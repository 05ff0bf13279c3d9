"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  /** One value per x, null where the series has no point. */
  values: (number | null)[];
  color: string;
  /** line: joined points; points: markers only (highlights, flags); bars: one bar per x. */
  kind?: "line" | "points" | "bars";
}

/**
 * A time series chart drawn by uPlot on a canvas: 100k points draw in a few milliseconds and pan
 * and zoom (drag to zoom, double-click to reset) stay smooth, where SVG charts build a DOM node per
 * point. `x` is in epoch seconds, shared by every series.
 */
export function TimeChart({
  x,
  series,
  height = 260,
  label,
  yLabel,
}: {
  x: number[];
  series: ChartSeries[];
  height?: number;
  label: string;
  yLabel?: string;
}) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: {
        x: {
          time: true,
          // A lone point would otherwise stretch the axis over years: give it a day either side.
          range: (_u, min, max) => (min === max ? [min - 86_400, max + 86_400] : [min, max]),
        },
      },
      axes: [{}, { label: yLabel, size: 60 }],
      cursor: { drag: { x: true, y: false } },
      series: [
        {},
        ...series.map((s): uPlot.Series => {
          if (s.kind === "points")
            return {
              label: s.label,
              stroke: s.color,
              width: 0,
              paths: () => null,
              points: { show: true, size: 7, fill: s.color, stroke: s.color },
            };
          if (s.kind === "bars")
            return {
              label: s.label,
              stroke: s.color,
              fill: `${s.color}55`,
              width: 1,
              paths: bars,
              points: { show: false },
            };
          return {
            label: s.label,
            stroke: s.color,
            width: 1.5,
            spanGaps: true,
            points: { show: x.length < 200 },
          };
        }),
      ],
    };
    const plot = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, height, yLabel]);

  return (
    <div
      ref={box}
      role="img"
      aria-label={label}
      data-testid="time-chart"
      data-points={x.length}
      className="w-full min-w-0"
    />
  );
}
