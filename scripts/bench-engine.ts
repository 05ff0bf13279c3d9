/**
 * npm run bench:engine — plans 100k readings (10k meters, 100k stored readings, 8 mapped fields of
 * which one is JSONata) and compares with JSON.parse of the same payload, measured in the same run.
 * The last line is one JSON object.
 */
import { performance } from "node:perf_hooks";
import { compileConfig, planImport } from "../lib/engine";
import { makeWorkload } from "./bench-data";
import { withEventLoopMonitor } from "./event-loop-monitor";

const METERS = Number(process.env.BENCH_METERS ?? 10_000);
const PER_METER = Number(process.env.BENCH_READINGS_PER_METER ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const workload = makeWorkload(METERS, PER_METER);
const body = JSON.stringify(workload.payload);
const state = { meters: workload.meters, readings: workload.readings };
const compiled = compileConfig(workload.config);
if (!compiled.ok) throw new Error("benchmark configuration is invalid");

const parseTimes: number[] = [];
const planTimes: number[] = [];
let maxBlock = 0;
let summary: unknown;
for (let run = 0; run < RUNS; run++) {
  let t = performance.now();
  const payload = JSON.parse(body);
  parseTimes.push(performance.now() - t);
  t = performance.now();
  const { result, maxBlockMs } = await withEventLoopMonitor(() =>
    planImport(compiled.compiled, payload, state),
  );
  planTimes.push(performance.now() - t);
  maxBlock = Math.max(maxBlock, maxBlockMs);
  summary = result.summary;
  console.log(
    `run ${run + 1}: parse ${parseTimes.at(-1)?.toFixed(0)} ms, plan ${planTimes.at(-1)?.toFixed(0)} ms, max block ${maxBlockMs.toFixed(1)} ms`,
  );
}
console.log(`summary ${JSON.stringify(summary)}; payload ${(body.length / 1e6).toFixed(1)} MB`);
const parseMs = median(parseTimes);
const planMs = median(planTimes);
console.log(
  JSON.stringify({
    readings: workload.payload.readings.length,
    plan_ms: Math.round(planMs),
    parse_ms: Math.round(parseMs),
    ratio_vs_parse: Number((planMs / parseMs).toFixed(2)),
    max_event_loop_block_ms: Number(maxBlock.toFixed(1)),
  }),
);
