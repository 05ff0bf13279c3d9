import autocannon from "autocannon";
import type { ProofContext, Target } from "./context";
import { EVENTS } from "./routes";
import { dayStamp, LOAD_METERS, SLUG } from "./world";

const CONNECTIONS = 10;
const READINGS_PER_EVENT = 3;
const WARM_UP_SECONDS = 3;

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** Answers that were not 2xx, errors, timeouts, and 200s whose event did not succeed. */
  errors: number;
  detail: string;
}

/**
 * `seconds` of small events (three new readings each, on three of the load meters, each
 * reading on a day of its own) from CONNECTIONS connections, each sending its next post as soon
 * as the last is answered.
 */
async function hammer(
  target: Target,
  seconds: number,
  counter: { n: number },
): Promise<LoadResult> {
  let failedEvents = 0;
  const result = await autocannon({
    url: target.server.baseUrl,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: "POST",
        path: EVENTS,
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${target.world.apiKey}`,
        },
        setupRequest: (request) => {
          const c = counter.n++;
          const readings = Array.from({ length: READINGS_PER_EVENT }, (_, i) => {
            const k = READINGS_PER_EVENT * c + i;
            return {
              meterId: LOAD_METERS[k % LOAD_METERS.length],
              id: `L-${c}-${i}`,
              timestamp: dayStamp(100 + Math.floor(k / LOAD_METERS.length)),
              value: k,
              unit: "kWh",
            };
          });
          return {
            ...request,
            body: JSON.stringify({
              integration_id: target.world.integrationId,
              events: [
                {
                  timestamp: new Date().toISOString(),
                  format: "json",
                  use_case_slug: SLUG,
                  payload: { readings },
                },
              ],
            }),
          };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          if (!body.includes('"status":"success"')) failedEvents++;
        },
      },
    ],
  });
  const errors = result.non2xx + result.errors + result.timeouts + failedEvents;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors,
    detail: `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${failedEvents} events not successful`,
  };
}

/** autocannon on the Postgres server (the figure), and on PGlite for comparison. */
export async function loadPart(ctx: ProofContext, targets: Target[]): Promise<void> {
  const [pglite, pg] = targets as [Target, Target];
  const rows: string[] = [];
  for (const [target, seconds] of [
    [pg, ctx.options.loadSeconds],
    [pglite, ctx.options.pgliteLoadSeconds],
  ] as const) {
    const counter = { n: 0 };
    if (!(await target.server.alive())) await target.server.restart();
    await hammer(target, WARM_UP_SECONDS, counter);
    ctx.log(`  ${target.label}: ${seconds} s of small events from ${CONNECTIONS} connections ...`);
    const r = await hammer(target, seconds, counter);
    ctx.log(
      `  ${target.label}: ${r.rps} requests/s, latency p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms; ${r.requests} requests, ${r.errors} failed (${r.detail})`,
    );
    if (target === pg) {
      ctx.figures.load_rps = r.rps;
      ctx.figures.load_p99_ms = r.p99;
      ctx.figures.load_errors = r.errors;
    } else {
      ctx.figures.load_pglite_rps = r.rps;
      ctx.figures.load_pglite_p99_ms = r.p99;
      ctx.figures.load_pglite_errors = r.errors;
    }
    if (r.errors > 0)
      ctx.findings.add(`load:${target.label}`, {
        part: `load on ${target.label}`,
        kind: "failed requests under load",
        summary: `${r.errors} of ${r.requests} failed: ${r.detail}`,
        reproducer: `autocannon, ${CONNECTIONS} connections, small events (scripts/proof/load.ts)`,
      });
    rows.push(
      `| ${target.label} | ${seconds} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.max} | ${r.errors} |`,
    );
  }
  ctx.sections.push({
    title: "Load",
    method:
      `autocannon 9 with ${CONNECTIONS} connections, each posting its next event as soon as the ` +
      `last is answered: one event of ${READINGS_PER_EVENT} new readings (on three of ` +
      `${LOAD_METERS.length} meters, each on a day of its own, so each is a create), to the ` +
      `events route, after a ${WARM_UP_SECONDS} s warm-up. load_rps and load_p99_ms are the Postgres ` +
      "server's (its events run on the import thread); PGlite's are printed beside them. A " +
      "request fails when it is not a 2xx, errs, times out (30 s) or its event is not `success`.",
    results: [
      "| server | seconds | requests | requests/s | p50 (ms) | p99 (ms) | max (ms) | failed |",
      "|---|---|---|---|---|---|---|---|",
      ...rows,
    ],
  });
}
