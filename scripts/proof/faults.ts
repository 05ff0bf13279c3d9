import postgres from "postgres";
import type { DbClient } from "../../db/client";
import { type ProofContext, type Target, withDatabase } from "./context";
import {
  BIG_IMPORT_LOCKS,
  importBackend,
  longestImport,
  type TrialState,
  trialState,
} from "./fault-checks";
import { collateral, faultBody, FAULT_READINGS as READINGS, resultOf } from "./fault-traffic";
import { type HttpAnswer, send } from "./http";

/** When the connection is killed, as shares of a whole import's transaction. */
const SHARES = [0.15, 0.45, 0.75];

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
  /** Filled by `pending` when the check had to wait (PGlite: one stop of the server for all). */
  before: TrialState;
  /** The same body posted again after the fault; a whole import then times the next fault. */
  repost?: { answer: HttpAnswer; result?: string; after: TrialState; longestMs: number };
  /** Checks still to run on the database. */
  pending: ((client: DbClient) => Promise<void>)[];
  collateral: { sent: number; failed: number; examples: string[] };
  /** Without a fault, on Postgres: how long the import's transaction lasted. */
  longestMs: number;
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
  let answered = false;
  void request.finally(() => {
    answered = true;
  });
  const fault = (async () => {
    if (trial.fault === "none") return;
    if (trial.afterMs !== undefined) {
      await new Promise((r) => setTimeout(r, trial.afterMs));
      if (answered) {
        killedAt = `never: the import was answered within ${trial.afterMs} ms`;
        return;
      }
      killedAt = `${trial.afterMs} ms after the request was sent`;
      await target.server.kill();
      return;
    }
    const pid = await importBackend(
      admin as postgres.Sql,
      target.database.name as string,
      trial.atAgeMs ?? 0,
      request,
    );
    if (pid === null) {
      killedAt = `never: the import ended before it was ${trial.atAgeMs} ms old`;
      return;
    }
    killedAt = `when its transaction was ${trial.atAgeMs} ms old`;
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
  const outcome: TrialOutcome = {
    trial,
    answer,
    result: resultOf(answer),
    killedAt,
    before: {
      landed: "nothing",
      rows: 0,
      detail: "not checked",
      failedEvents: 0,
      exactlyOnce: false,
    },
    collateral: side,
    longestMs: await watched,
    pending: [],
  };
  const state = (c: DbClient) => trialState(c, `F${t}`, `fault-${t}`, READINGS);
  // A PGlite folder is checked with its server stopped: right away only when it is down anyway;
  // else later, with the other trials' checks, in one stop.
  const checkNow = target.database.kind === "postgres" || !target.server.running();
  if (checkNow) outcome.before = await withDatabase(target, state);
  else
    outcome.pending.push(async (c) => {
      outcome.before = await state(c);
    });
  if (trial.fault === "none") return outcome;
  if (!target.server.running()) await target.server.start();
  const repostRequest = send(target.server.baseUrl, body, 180_000);
  const repostWatched =
    admin && target.database.name
      ? longestImport(admin, target.database.name, repostRequest)
      : Promise.resolve(0);
  const again = await repostRequest;
  const repost = {
    answer: again,
    result: resultOf(again),
    after: outcome.before,
    longestMs: await repostWatched,
  };
  outcome.repost = repost;
  if (target.database.kind === "postgres") repost.after = await withDatabase(target, state);
  else
    outcome.pending.push(async (c) => {
      repost.after = await state(c);
    });
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
  const late: [number, TrialOutcome][] = [];
  const trial = async (spec: Trial) => {
    const t = next++;
    const outcome = await runTrial(t, spec, spec.target === pg ? admin : null, counter);
    if (outcome.pending.length) late.push([t, outcome]);
    else rows.push(account(ctx, t, outcome));
    return outcome;
  };
  try {
    // A first import of each kind runs whole: it measures how long one takes, to aim the faults.
    // Each re-post that imports again re-times the next fault: the first import runs cold.
    let d = (await trial({ target: pg, fault: "none" })).longestMs;
    ctx.log(`  Postgres: the import's transaction lasted about ${Math.round(d)} ms`);
    const retime = (o: TrialOutcome) => {
      if (o.repost?.result === "success" && o.repost.longestMs > 0) d = o.repost.longestMs;
    };
    for (const share of SHARES)
      retime(
        await trial({ target: pg, fault: "connection killed", atAgeMs: Math.round(share * d) }),
      );
    await trial({ target: pg, fault: "server killed", atAgeMs: Math.round(0.5 * d) });
    // The first PGlite import runs cold (twice as long as the next): the second one aims.
    await trial({ target: pglite, fault: "none" });
    let total = (await trial({ target: pglite, fault: "none" })).answer.ms;
    ctx.log(`  PGlite: a warm import took ${Math.round(total)} ms to answer`);
    for (const share of [0.4, 0.7]) {
      const o = await trial({
        target: pglite,
        fault: "server killed",
        afterMs: Math.round(share * total),
      });
      if (o.repost?.result === "success") total = o.repost.answer.ms;
    }
    await withDatabase(pglite, async (c) => {
      for (const [, o] of late) for (const check of o.pending) await check(c);
    });
    for (const [t, o] of late) rows.push(account(ctx, t, o));
  } finally {
    await admin.end({ timeout: 5 });
  }
  ctx.sections.push({
    title: "Faults mid-import",
    method:
      `Each trial posts one event of ${READINGS.toLocaleString("en")} new readings (their own ` +
      "external ids, value = position) with a deduplication id. The import's backend on Postgres " +
      "is the one holding the most advisory locks (an import locks a bucket per key it names: " +
      `${BIG_IMPORT_LOCKS} or more here; a small event a handful), found in \`pg_locks\` and ` +
      "`pg_stat_activity`. A first import runs whole and is watched: its transaction's length " +
      "aims the faults (each re-post that imports again aims the next one). Then that backend is ended with `pg_terminate_backend` when the " +
      `transaction is ${SHARES.map((x) => `${Math.round(x * 100)} %`).join(", ")} of that long, ` +
      "while two loops post small events on other meters (each should succeed: a lost " +
      "connection must fail only the import that used it), and the server is killed (SIGKILL to " +
      "its process group) at 50 %. On PGlite, after two whole imports (the first runs cold), the " +
      "server is killed 40 % and 70 % of the second one's answer time after the post. After each fault the database must " +
      "hold the whole import (every row, all of one import whose record says it created them " +
      "all) or nothing of it (no row, no applied import record): anything else is a partial " +
      "write. A killed server is restarted on the same data, the same body is posted again and " +
      "every external id must then be stored exactly once with the value sent. For the killed " +
      "connection the answer must not be a 5xx and a failed event must be kept (status error) " +
      "for replay. A trial whose import ended before its fault came is shown as such.",
    results: [
      "| database | fault | when | answer | database after | failed events kept | re-post | collateral failures |",
      "|---|---|---|---|---|---|---|---|",
      ...rows,
    ],
  });
}
