import { READINGS_CONFIG, withExtraction } from "./arbitraries/configs";
import { smallPayload } from "./arbitraries/payloads";
import type { ProofContext, Target } from "./context";
import { OTHERS_P99_LIMIT_MS } from "./figures";
import { type HttpAnswer, type HttpRequest, percentile, postJson, send } from "./http";
import { dryRun, OPENAPI, SIMULATION } from "./routes";
import { SLUG } from "./world";

/** The issue's runaway: a tail call JSONata runs as an endless loop, as the readings' extraction. */
export const RUNAWAY = "($f := function($x){ $f($x) }; $f(1); readings)";
const REGEX = '($match("aaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+b/); readings)';
const PAD = '($length($pad("x", 120000000)); readings)';
const DOUBLING = '($reduce([1..40], function($acc){ $acc & $acc }, "x"); readings)';

/** A small request that has no answer, or not a 2xx, counts as this long in the percentiles. */
const FAILED_MS = 30_000;
const WINDOW_CAP_MS = 60_000;

const simulation = (key: string, extraction: string) =>
  postJson(SIMULATION, key, {
    event_configuration: withExtraction(extraction),
    format: "json",
    payload: smallPayload(),
  });
const dryRunWith = (key: string, extraction: string) =>
  postJson(dryRun(SLUG), key, {
    payload: smallPayload(),
    configuration: withExtraction(extraction),
  });

/** What a stream of small, normal requests saw. */
interface Stream {
  samples: { at: number; ms: number; ok: boolean; kind: string }[];
  stop: () => Promise<void>;
}

/** Small requests (simulation, dry run, OpenAPI), `loops` at a time, one after the other. */
function smallTraffic(target: Target, loops: number): Stream {
  const key = target.world.apiKey;
  const kinds: [string, HttpRequest][] = [
    [
      "simulation",
      postJson(SIMULATION, key, {
        event_configuration: READINGS_CONFIG,
        format: "json",
        payload: smallPayload(),
      }),
    ],
    ["dry run", postJson(dryRun(SLUG), key, { payload: smallPayload() })],
    ["OpenAPI", { method: "GET", path: OPENAPI }],
  ];
  const samples: Stream["samples"] = [];
  let running = true;
  const loop = async (offset: number) => {
    for (let i = offset; running; i++) {
      const at = performance.now();
      const [kind, request] = kinds[i % kinds.length] as [string, HttpRequest];
      const a = await send(target.server.baseUrl, request, FAILED_MS);
      const ok = a.status >= 200 && a.status < 300;
      samples.push({ at, ms: ok ? a.ms : FAILED_MS, ok, kind });
      // A dead server refuses at once: do not count thousands of refusals.
      if (!ok) await new Promise((r) => setTimeout(r, 100));
    }
  };
  const all = Promise.all(Array.from({ length: loops }, (_, i) => loop(i)));
  return {
    samples,
    stop: async () => {
      running = false;
      await all;
    },
  };
}

const answered = (a: HttpAnswer) => `${a.status || a.error} after ${Math.round(a.ms)} ms`;

interface TargetResult {
  label: string;
  alone: { name: string; answer: HttpAnswer }[];
  together: { name: string; answer: HttpAnswer }[];
  baselineP99: number;
  p50: number;
  p99: number;
  max: number;
  small: number;
  failedSmall: number;
  /** p99 (ms) per kind of small request, e.g. "dry run 1102". */
  byKind: string;
  crashed: boolean;
}

async function onTarget(ctx: ProofContext, target: Target): Promise<TargetResult> {
  const key = target.world.apiKey;
  const part = `runaway expressions on ${target.label}`;
  const check5xx = (name: string, req: HttpRequest, a: HttpAnswer) => {
    if (a.status < 500) return;
    ctx.figures.runaway_5xx++;
    ctx.findings.add(`runaway:${target.label}:${name}:${a.status}`, {
      part,
      kind: `HTTP ${a.status}`,
      summary: `${name}: ${a.body.slice(0, 200)}`,
      reproducer: `${req.method} ${req.path} ${String(req.body).slice(0, 300)}`,
    });
  };
  const crashed = async (what: string) => {
    if (await target.server.ensureAlive(part, ctx.findings, what)) return false;
    ctx.figures.runaway_crashes++;
    return true;
  };

  // Alone first: how long the runaway request itself takes to be answered.
  const alone: TargetResult["alone"] = [];
  let anyCrash = false;
  for (const [name, req] of [
    ["simulation with the runaway", simulation(key, RUNAWAY)],
    ["dry run with the runaway", dryRunWith(key, RUNAWAY)],
  ] as const) {
    const answer = await send(target.server.baseUrl, req, 120_000);
    alone.push({ name, answer });
    check5xx(name, req, answer);
    ctx.log(`  ${target.label}: ${name} alone: ${answered(answer)}`);
    if (await crashed(`${name}: ${RUNAWAY}`)) anyCrash = true;
  }

  // Then beside normal traffic: several runaways at once while small requests keep coming.
  const traffic = smallTraffic(target, 3);
  await new Promise((r) => setTimeout(r, 2_000));
  const windowStart = performance.now();
  const runaways: [string, HttpRequest][] = [
    ["simulation with the runaway", simulation(key, RUNAWAY)],
    ["dry run with the runaway", dryRunWith(key, RUNAWAY)],
    ["simulation with the catastrophic regex", simulation(key, REGEX)],
    ["simulation with the huge $pad", simulation(key, PAD)],
    ["dry run with string doubling", dryRunWith(key, DOUBLING)],
  ];
  const together = await Promise.all(
    runaways.map(async ([name, req]) => {
      const answer = await send(target.server.baseUrl, req, WINDOW_CAP_MS);
      check5xx(name, req, answer);
      return { name, answer };
    }),
  );
  const windowEnd = performance.now();
  await traffic.stop();
  const during = traffic.samples.filter((s) => s.at >= windowStart && s.at <= windowEnd);
  // The baseline: requests answered before the runaways started.
  const before = traffic.samples.filter((s) => s.at + s.ms < windowStart);
  for (const { name, answer } of together)
    ctx.log(`  ${target.label}: ${name}, together: ${answered(answer)}`);
  if (await crashed(runaways.map(([n]) => n).join(", "))) anyCrash = true;
  const ms = during.map((s) => s.ms);
  return {
    label: target.label,
    alone,
    together,
    baselineP99: percentile(
      before.map((s) => s.ms),
      99,
    ),
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: ms.length ? Math.max(...ms) : 0,
    small: during.length,
    failedSmall: during.filter((s) => !s.ok).length,
    byKind: [...new Set(during.map((s) => s.kind))]
      .map((k) => {
        const of = during.filter((s) => s.kind === k).map((s) => s.ms);
        return `${k} ${Math.round(percentile(of, 99))} (${of.length})`;
      })
      .join(", "),
    crashed: anyCrash,
  };
}

/** Runaway expressions on both servers: their own answer time, and everyone else's meanwhile. */
export async function runawayPart(ctx: ProofContext, targets: Target[]): Promise<void> {
  const rows: string[] = [];
  const answers: string[] = [];
  for (const target of targets) {
    const r = await onTarget(ctx, target);
    const runawayMs = Math.max(...r.alone.map((a) => Math.round(a.answer.ms)));
    ctx.figures.runaway_ms = Math.max(ctx.figures.runaway_ms, runawayMs);
    ctx.figures.others_p99_ms_during_runaway = Math.max(
      ctx.figures.others_p99_ms_during_runaway,
      Math.round(r.p99),
    );
    ctx.log(
      `  ${r.label}: runaway answered in ${runawayMs} ms; ${r.small} small requests meanwhile (${r.failedSmall} failed): p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms, max ${Math.round(r.max)} ms (before: p99 ${Math.round(r.baselineP99)} ms); p99 by kind (ms, count): ${r.byKind}`,
    );
    rows.push(
      `| ${r.label} | ${runawayMs} | ${Math.round(r.baselineP99)} | ${r.small} | ${r.failedSmall} | ${Math.round(r.p50)} | ${Math.round(r.p99)} | ${Math.round(r.max)} | ${r.byKind} | ${r.crashed ? "yes" : "no"} |`,
    );
    for (const a of [...r.alone.map((x) => ({ ...x, name: `${x.name} (alone)` })), ...r.together])
      answers.push(
        `- ${r.label}, ${a.name}: ${answered(a.answer)} \`${a.answer.body.slice(0, 120).replaceAll("`", "'")}\``,
      );
  }
  ctx.sections.push({
    title: "Runaway expressions",
    method:
      "On each server: first a mapping simulation and a dry run whose configuration extracts the " +
      `readings with \`${RUNAWAY}\`, one at a time, each timed to its answer (runaway_ms is the ` +
      "slower). Then three loops send small, normal requests one after the other (a mapping " +
      "simulation and a dry run of three readings with the published configuration, GET " +
      "/api/v1/openapi.json); after 2 s, five runaway requests start at once: the runaway in a " +
      'simulation and in a dry run, the catastrophic regex `$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaa!", ' +
      '/(a+)+b/)`, `$pad("x", 120000000)` and a string doubled 40 times. The window lasts until ' +
      `all five are answered (at most ${WINDOW_CAP_MS / 1000} s); the percentiles are over the small ` +
      `requests sent in it, one without a 2xx counting as ${FAILED_MS / 1000} s. A server that died or ` +
      `stopped answering counts as a crash and is restarted. The bound: p99 <= ${OTHERS_P99_LIMIT_MS} ms.`,
    results: [
      "| server | runaway alone (ms) | small p99 before (ms) | small requests in the window | failed | p50 (ms) | p99 (ms) | max (ms) | p99 by kind (ms, count) | crashed |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...rows,
      "",
      "Answers to the runaway requests:",
      "",
      ...answers,
    ],
  });
}
