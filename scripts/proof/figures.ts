/**
 * The proof's figures: the last line of `npm run proof` is these as one JSON object. Counts of
 * harm must be 0 for the proof to pass, and others_p99_ms_during_runaway at most 1000.
 */
export interface Figures {
  seed: number;
  fuzz_cases: number;
  /** Responses >= 500 to fuzzed requests, deliberate "busy" 503s apart. */
  fuzz_5xx: number;
  fuzz_busy_503: number;
  /** Fuzzed requests not answered within their timeout by a server that was still alive. */
  fuzz_timeouts: number;
  /** Server processes found dead or silent after a fuzz batch (each restarted). */
  fuzz_crashes: number;
  /** Engine calls that threw or returned a malformed result (in-process fuzz). */
  engine_failures: number;
  engine_crashes: number;
  engine_hangs: number;
  concurrent_duplicates: number;
  concurrent_lost_updates: number;
  /** Concurrent posts that did not succeed (an error result, a 5xx or no answer). */
  concurrent_failed_posts: number;
  fault_partial_writes: number;
  /** Re-posts after a fault whose readings did not end up stored exactly once. */
  fault_repost_not_once: number;
  fault_5xx: number;
  /** Small events on other meters that failed while a fault hit another import. */
  fault_collateral_failures: number;
  /** Events failed by a killed connection that were not recorded for replay. */
  fault_unrecorded_failures: number;
  runaway_ms: number;
  others_p99_ms_during_runaway: number;
  runaway_crashes: number;
  /** Answers >= 500 to the runaway requests themselves. */
  runaway_5xx: number;
  load_rps: number;
  load_p99_ms: number;
  load_errors: number;
  load_pglite_rps: number;
  load_pglite_p99_ms: number;
  load_pglite_errors: number;
  auth_bypasses: number;
  /** Servers found dead or silent after the other parts (each restarted). */
  other_crashes: number;
  /** Server starts refused after a crash (e.g. a dead process's PGlite lock taken for a live one). */
  restart_refusals: number;
  /** Unexpected-failure lines in the servers' logs (information: each 5xx logs one). */
  log_unhandled_errors: number;
  /** Parts that could not run to the end (the harness's own failures). */
  harness_errors: number;
  duration_s: number;
  passed: boolean;
}

export const HARM_COUNTS = [
  "fuzz_5xx",
  "fuzz_timeouts",
  "fuzz_crashes",
  "engine_failures",
  "engine_crashes",
  "engine_hangs",
  "concurrent_duplicates",
  "concurrent_lost_updates",
  "concurrent_failed_posts",
  "fault_partial_writes",
  "fault_repost_not_once",
  "fault_5xx",
  "fault_collateral_failures",
  "fault_unrecorded_failures",
  "runaway_crashes",
  "runaway_5xx",
  "load_errors",
  "load_pglite_errors",
  "auth_bypasses",
  "other_crashes",
  "restart_refusals",
  "harness_errors",
] as const satisfies readonly (keyof Figures)[];

/** The most any small request may wait while runaway expressions run elsewhere on the server. */
export const OTHERS_P99_LIMIT_MS = 1000;

export function emptyFigures(seed: number): Figures {
  return {
    seed,
    fuzz_cases: 0,
    fuzz_5xx: 0,
    fuzz_busy_503: 0,
    fuzz_timeouts: 0,
    fuzz_crashes: 0,
    engine_failures: 0,
    engine_crashes: 0,
    engine_hangs: 0,
    concurrent_duplicates: 0,
    concurrent_lost_updates: 0,
    concurrent_failed_posts: 0,
    fault_partial_writes: 0,
    fault_repost_not_once: 0,
    fault_5xx: 0,
    fault_collateral_failures: 0,
    fault_unrecorded_failures: 0,
    runaway_ms: 0,
    others_p99_ms_during_runaway: 0,
    runaway_crashes: 0,
    runaway_5xx: 0,
    load_rps: 0,
    load_p99_ms: 0,
    load_errors: 0,
    load_pglite_rps: 0,
    load_pglite_p99_ms: 0,
    load_pglite_errors: 0,
    auth_bypasses: 0,
    other_crashes: 0,
    restart_refusals: 0,
    log_unhandled_errors: 0,
    harness_errors: 0,
    duration_s: 0,
    passed: false,
  };
}

/** The harm counts above 0, and the latency bound if it was missed. */
export function failures(f: Figures): string[] {
  const out: string[] = HARM_COUNTS.filter((k) => f[k] > 0).map((k) => `${k} = ${f[k]}`);
  if (f.others_p99_ms_during_runaway > OTHERS_P99_LIMIT_MS)
    out.push(
      `others_p99_ms_during_runaway = ${f.others_p99_ms_during_runaway} > ${OTHERS_P99_LIMIT_MS}`,
    );
  return out;
}
