import "server-only";

export type FlagKind = "decrease" | "future" | "gap";

export interface PlausibilityFlag {
  kind: FlagKind;
  /** Epoch milliseconds of the flagged reading. */
  t: number;
  value: number;
  /** The reading before it on the same series (for a decrease or a gap). */
  previous?: { t: number; value: number };
}

/** How much longer than the series' usual (median) interval a gap must be to be flagged. */
export const GAP_FACTOR = 3;

function median(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Readings of one counter and direction that look wrong, in time order: a cumulative value below
 * the one before, a timestamp in the future, or a gap more than GAP_FACTOR times the series'
 * median interval (so a monthly meter is not flagged for a month, a daily one is).
 */
export function plausibilityFlags(
  times: number[],
  values: number[],
  now: number,
): PlausibilityFlag[] {
  const flags: PlausibilityFlag[] = [];
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  const usual = median([...gaps].sort((a, b) => a - b));
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    const value = values[i] as number;
    const previous =
      i > 0 ? { t: times[i - 1] as number, value: values[i - 1] as number } : undefined;
    if (previous && value < previous.value) flags.push({ kind: "decrease", t, value, previous });
    if (t > now) flags.push({ kind: "future", t, value });
    if (previous && usual > 0 && gaps.length >= 3 && t - previous.t > GAP_FACTOR * usual)
      flags.push({ kind: "gap", t, value, previous });
  }
  return flags;
}
