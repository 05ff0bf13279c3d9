import { monitorEventLoopDelay } from "node:perf_hooks";

/** Measures the longest time the event loop was blocked while `work` ran. */
export async function withEventLoopMonitor<T>(
  work: () => Promise<T>,
): Promise<{ result: T; maxBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await work();
    return { result, maxBlockMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}
