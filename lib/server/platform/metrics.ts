import "server-only";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

const state = globalThis as typeof globalThis & { __mmsLoopHistogram?: IntervalHistogram };

/**
 * Benchmarks ask a running server how long its event loop was blocked. Off unless MMS_METRICS=1,
 * so production servers expose nothing.
 */
export function metricsEnabled(): boolean {
  return process.env.MMS_METRICS === "1";
}

export function startMetrics() {
  if (!metricsEnabled() || state.__mmsLoopHistogram) return;
  state.__mmsLoopHistogram = monitorEventLoopDelay({ resolution: 5 });
  state.__mmsLoopHistogram.enable();
}

/** The longest event loop block since the last reset, and the process's peak resident memory. */
export function readMetrics(reset: boolean) {
  startMetrics();
  const histogram = state.__mmsLoopHistogram;
  const result = {
    max_event_loop_block_ms: histogram ? Number((histogram.max / 1e6).toFixed(1)) : null,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    rss_mb: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
  if (reset) histogram?.reset();
  return result;
}
