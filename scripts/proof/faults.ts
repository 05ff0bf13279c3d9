import postgres from "postgres";
import { EVENTS } from "./arbitraries/http-cases";
import { type ProofContext, type Target, withDatabase } from "./context";
import {
  importBackend,
  longestImport,
  MIN_IMPORT_AGE_MS,
  type TrialState,
  trialState,
} from "./fault-checks";
import { type HttpAnswer, postJson, send } from "./http";
import { dayStamp, FAULT_METERS, LOAD_METERS, SLUG } from "./world";

/** Readings per fault import: long enough (a second or more) to be hit in the middle. */
const READINGS = 30_000;

type Fault = "none" | "connection killed" | "server killed";

interface Trial {
  target: Target;
  fault: Fault;
  /** Connection kill and Postgres server kill: when the import's transaction is this old (ms). */
  atAgeMs?: number;
  /** PGlite server kill: this long after the request was sent (ms). */
  afterMs?: number;
}

interface TrialOutcome {
  trial: Trial;
  answer: HttpAnswer;
  result?: string;
  killedAt: string;
  before: TrialState;
  repost?: { answer: HttpAnswer; result?: string; after: TrialState };
  collateral: { sent: number; failed: number; examples: string[] };
  /** Without a fault, on Postgres: how long the import's transaction lasted. */
  longestMs: number;
}

/** The fault import of trial `t`: its own external ids `F<t>-<meter>-<k>`, value k, all creates. */
function faultBody(target: Target, t: number) {
  const perMeter = READINGS / FAULT_METERS.length;
  const readings = FAULT_METERS.flatMap((meterId, m) =>
    Array.from({ length: perMeter }, (_, k) => ({
      meterId,
      id: `F${t}-${m}-${k}`,
      timestamp: dayStamp(1000 + t * perMeter + k),
      value: k,
      unit: "kWh",
    })),
  );
  return postJson(EVENTS, target.world.apiKey, {
    integration_id: target.world.integrationId,
    correlation_id: `fault-${t}`,
    events: [
      {
        timestamp: new Date().toISOString(),
        format: "json",
        use_case_slug: SLUG,
        deduplication_id: `fault-${t}`,
        payload: { readings },
      },
    ],
  });
}

const resultOf = (a: HttpAnswer) => {
  try {
    const r = (JSON.parse(a.body) as { results?: { status?: string; error?: { code?: string } }[] })
      .results?.[0];
    return r ? `${r.status}${r.error?.code ? ` ${r.error.code}` : ""}` : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Small events on other meters, two at a time, while `until` runs: a fault must fail only the
 * import it hit. Each has new external ids on days of its own, so each should simply succeed.
 */
async function collateral<T>(target: Target, counter: { n: number }, until: Promise<T>) {
  const out = { sent: 0, failed: 0, examples: [] as string[] };
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const loop = async () => {
    while (!done) {
      const n = counter.n++;
      const answer = await send(
        target.server.baseUrl,
        postJson(EVENTS, target.world.apiKey, {
          integration_id: target.world.integrationId,
          events: [
            {
              timestamp: new Date().toISOString(),
              format: "json",
              use_case_slug: SLUG,
              payload: {
                readings: [0, 1].map((i) => ({
                  meterId: LOAD_METERS[(2 * n + i) % LOAD_METERS.length],
                  id: `C-${n}-${i}`,
                  timestamp: dayStamp(5000 + n),
                  value: n,
                  unit: "kWh",
                })),
              },
            },
          ],
        }),
        60_000,
      );
      out.sent++;
      const r = resultOf(answer);
      if (answer.status !== 200 || r !== "success") {
        out.failed++;
        if (out.examples.length < 5)
          out.examples.push(`${answer.status || answer.error} ${r ?? answer.body.slice(0, 120)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await Promise.all([loop(), loop()]);
  return out;
}

async function runTrial(
  t: number,
  trial: Trial,
  admin: postgres.Sql | null,
  counter: { n: number },
): Promise<TrialOutcome> {
  const { target } = trial;
  const body = faultBody(target, t);
  const request = send(target.server.baseUrl, body, 180_000);
  const watched =
    trial.fault === "none" && admin && target.database.name
      ? longestImport(admin, target.database.name, request)
      : Promise.resolve(0);
  let killedAt = "not killed";
  const fault = (async () => {
    if (trial.fault === "none") return;
    if (trial.afterMs !== undefined) {
      await new Promise((r) => setTimeout(r, trial.afterMs));
      killedAt = `${trial.afterMs} ms after the request was sent`;
      await target.server.kill();
      return;
    }
    const pid = await importBackend(
      admin as postgres.Sql,
      target.database.name as string,
      trial.atAgeMs ?? 0,
      60_000,
    );
    if (pid === null) {
      killedAt = "never: no import transaction was seen";
      return;
    }
    killedAt = `when its transaction was ${Math.max(trial.atAgeMs ?? 0, MIN_IMPORT_AGE_MS)} ms old`;
    if (trial.fault === "connection killed")
      await (admin as postgres.Sql)`SELECT pg_terminate_backend(${pid})`;
    else await target.server.kill();
  })();
  const withCollateral = trial.fault === "connection killed";
  const [answer, , side] = await Promise.all([
    request,
    fault,
    withCollateral
      ? collateral(target, counter, request)
      : Promise.resolve({ sent: 0, failed: 0, examples: [] }),
  ]);
  const correlation = `fault-${t}`;
  const before = await withDatabase(target, (c) => trialState(c, `F${t}`, correlation, READINGS));
  const outcome: TrialOutcome = {
    trial,
    answer,
    result: resultOf(answer),
    killedAt,
    before,
    collateral: side,
    longestMs: await watched,
  };
  if (trial.fault === "none") return outcome;
  if (!target.server.running()) await target.server.start();
  const again = await send(target.server.baseUrl, body, 180_000);
  const after = await withDatabase(target, (c) => trialState(c, `F${t}`, correlation, READINGS));
  outcome.repost = { answer: again, result: resultOf(again), after };
  return outcome;
}

/** Records a trial's harm in the figures and findings; returns its line of the report. */
function account(ctx: ProofContext, t: number, o: TrialOutcome): string {
  const { trial, before, repost } = o;
  const part = `faults on ${trial.target.label}`;
  const what = `trial ${t}: ${trial.fault} (${o.killedAt}), ${READINGS}-reading import`;
  const add = (kind: string, summary: string) =>
    ctx.findings.add(`fault:${trial.target.label}:${kind}:${summary.slice(0, 40)}`, {
      part,
      kind,
      summary,
      reproducer: `${what}; scripts/proof/faults.ts`,
    });
  if (before.landed === "partial") {
    ctx.figures.fault_partial_writes++;
    add("partial write", `${what}: ${before.detail}`);
  }
  if (repost && !repost.after.exactlyOnce) {
    ctx.figures.fault_repost_not_once++;
    add("re-post not landed exactly once", `${what}: after the re-post ${repost.after.detail}`);
  }
  if (trial.fault === "connection killed") {
    if (o.answer.status >= 500) {
      ctx.figures.fault_5xx++;
      add(
        `HTTP ${o.answer.status}`,
        `${what}: the killed import was answered ${o.answer.status} ${o.answer.body.slice(0, 160)}`,
      );
    }
    if (o.result !== "success" && before.failedEvents === 0) {
      ctx.figures.fault_unrecorded_failures++;
      add(
        "failed event not recorded",
        `${what}: answered ${o.answer.status} ${o.result ?? ""}, but no event with status error was kept for replay`,
      );
    }
    if (o.collateral.failed > 0) {
      ctx.figures.fault_collateral_failures += o.collateral.failed;
      add(
        "collateral failures",
        `${what}: ${o.collateral.failed} of ${o.collateral.sent} small events on other meters failed: ${o.collateral.examples.join("; ")}`,
      );
    }
  }
  const answer = `${o.answer.status || o.answer.error}${o.result ? ` ${o.result}` : ""}`;
  const again = repost
    ? `${repost.answer.status || repost.answer.error} ${repost.result ?? ""}; ${repost.after.exactlyOnce ? "exactly once" : `NOT exactly once: ${repost.after.detail}`}`
    : "-";
  const side =
    trial.fault === "connection killed" ? `${o.collateral.failed}/${o.collateral.sent}` : "-";
  ctx.log(
    `  ${trial.target.label} ${what}: answered ${answer}; database: ${before.landed} (${before.detail}); re-post: ${again}; collateral failures ${side}`,
  );
  return `| ${trial.target.label} | ${trial.fault} | ${o.killedAt} | ${answer} | ${before.landed} | ${before.failedEvents} | ${again} | ${side} |`;
}

/**
 * Faults in the middle of imports: the import's database connection killed (Postgres, with
 * pg_terminate_backend), the server killed (SIGKILL to its process group, both databases, then
 * restarted on the same data). After each: the whole import or nothing of it, and a re-post
 * that lands exactly once.
 */
export async function faultsPart(ctx: ProofContext, targets: Target[]): Promise<void> {
  const [pglite, pg] = targets as [Target, Target];
  const admin = postgres(pg.database.url as string, { max: 1, onnotice: () => {} });
  const counter = { n: 0 };
  const rows: string[] = [];
  let next = 0;
  const trial = async (spec: Trial) => {
    const t = next++;
    const outcome = await runTrial(t, spec, spec.target === pg ? admin : null, counter);
    rows.push(account(ctx, t, outcome));
    return outcome;
  };
  try {
    // A first import of each kind runs whole: it measures how long one takes, to aim the faults.
    const d = (await trial({ target: pg, fault: "none" })).longestMs;
    ctx.log(`  Postgres: the import's transaction lasted about ${Math.round(d)} ms`);
    for (const share of [0.2, 0.5, 0.85])
      await trial({ target: pg, fault: "connection killed", atAgeMs: Math.round(share * d) });
    await trial({ target: pg, fault: "server killed", atAgeMs: Math.round(0.5 * d) });
    const total = (await trial({ target: pglite, fault: "none" })).answer.ms;
    ctx.log(`  PGlite: the import took ${Math.round(total)} ms to answer`);
    for (const share of [0.5, 0.85])
      await trial({ target: pglite, fault: "server killed", afterMs: Math.round(share * total) });
  } finally {
    await admin.end({ timeout: 5 });
  }
  ctx.sections.push({
    title: "Faults mid-import",
    method:
      `Each trial posts one event of ${READINGS.toLocaleString("en")} new readings (their own ` +
      "external ids, value = position) with a deduplication id. On Postgres a first import runs " +
      "whole, while the proof watches `pg_stat_activity` for the oldest transaction holding " +
      "advisory locks (imports lock their keys first): its length aims the faults. Then the " +
      "import's backend is ended with `pg_terminate_backend` when its transaction is 20 %, 50 % " +
      `and 85 % of that old (at least ${MIN_IMPORT_AGE_MS} ms, older than any small import beside it), ` +
      "while two loops post small events on other meters (each should " +
      "succeed: a lost connection must fail only the import that used it), and the server is " +
      "killed (SIGKILL to its process group) at 50 %. On PGlite, after a whole import, the server " +
      "is killed 50 % and 85 % of that import's answer time after the post. After each fault the " +
      "database must hold the whole import (every row, all of one import whose record says it " +
      "created them all) or nothing of it (no row, no applied import record): anything else is a " +
      "partial write. A killed server is restarted on the same data, the same body is posted again " +
      "and every external id must then be stored exactly once with the value sent. For the killed " +
      "connection the answer must not be a 5xx and a failed event must be kept (status error) for " +
      "replay.",
    results: [
      "| database | fault | when | answer | database after | failed events kept | re-post | collateral failures |",
      "|---|---|---|---|---|---|---|---|",
      ...rows,
    ],
  });
}
