/**
 * npm run bench:engine — plans 100k readings (10k meters, 100k stored readings, 8 mapped fields of
 * which one is JSONata) and compares with JSON.parse of the same payload, measured in the same run.
 * It also validates the largest configuration the engine accepts (and refuses two that are too
 * large), against JSON.parse of that configuration's text: validation once took 16 to 38 s.
 * The last line is one JSON object.
 */
import { performance } from "node:perf_hooks";
import { compileConfig, planImport } from "../lib/engine";
import { MAX_CONFIG_VALUES } from "../lib/engine/validate-config";
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
/** The largest configuration validation accepts: as many JSONata fields as the limit allows. */
function largestConfig(uniqueIds: unknown[] = ["meter_number"]) {
  const fields = Array.from({ length: Math.floor(MAX_CONFIG_VALUES / 8) }, (_, i) => ({
    attribute: `a${i}`,
    jsonataExpression: `$string(x${i})`,
  }));
  return {
    meter_readings: [
      {
        meter: { unique_ids: uniqueIds },
        fields: [
          { attribute: "external_id", field: "id" },
          { attribute: "timestamp", field: "t" },
          { attribute: "value", field: "v" },
          { attribute: "source", constant: "ERP" },
          ...fields,
        ],
      },
    ],
  };
}
const configs = {
  largest: JSON.stringify(largestConfig()),
  too_many_ids: JSON.stringify(largestConfig(Array(100_000).fill(1))),
  too_many_names: JSON.stringify(largestConfig(Array(100_000).fill("meter_number"))),
};
const validation: Record<string, { validate_ms: number; ratio_vs_parse: number }> = {};
for (const [name, text] of Object.entries(configs)) {
  const parse: number[] = [];
  const validate: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    const config = JSON.parse(text);
    parse.push(performance.now() - t);
    t = performance.now();
    const result = compileConfig(config);
    validate.push(performance.now() - t);
    if (result.ok !== (name === "largest"))
      throw new Error(`${name}: unexpected validation result`);
  }
  validation[name] = {
    validate_ms: Math.round(median(validate)),
    ratio_vs_parse: Number((median(validate) / median(parse)).toFixed(1)),
  };
}
console.log(`configuration validation: ${JSON.stringify(validation)}`);
const parseMs = median(parseTimes);
const planMs = median(planTimes);
console.log(
  JSON.stringify({
    readings: workload.payload.readings.length,
    plan_ms: Math.round(planMs),
    parse_ms: Math.round(parseMs),
    ratio_vs_parse: Number((planMs / parseMs).toFixed(2)),
    max_event_loop_block_ms: Number(maxBlock.toFixed(1)),
    largest_config_validate_ms: validation.largest?.validate_ms,
    oversized_config_validate_ms: Math.max(
      validation.too_many_ids?.validate_ms ?? 0,
      validation.too_many_names?.validate_ms ?? 0,
    ),
  }),
);
