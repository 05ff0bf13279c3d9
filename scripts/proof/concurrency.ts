import { type ProofContext, startServer, type Target, withDatabase } from "./context";
import { errorCode, postJson, send } from "./http";
import type { ProofServer } from "./proof-server";
import { checkRace, type RacePost } from "./race-checks";
import { EVENTS } from "./routes";
import { dayStamp, RACE_STORED, raceMeters, SLUG } from "./world";

const POSTS = 20;

/**
 * Post p's readings on the scenario's five meters and one that no post finds stored (the posts
 * create it): the stored S-0..S-9 again with values of its own (updates, the same external ids
 * in every post), N-0..N-2 that every post sends (one creates, the others update), P<p>-0/1 on
 * days every post uses with ids of its own (one creates, the others are DUPLICATE skips by the
 * Berlin-day rule) and U<p> on a day of its own (a create).
 */
export function racePost(scenario: string, p: number): RacePost {
  const value = (base: number) => 1000 * (p + 1) + base;
  const readings: RacePost["readings"] = [];
  for (const meterId of [...raceMeters(scenario), `RACE-${scenario}-NEW`]) {
    for (let k = 0; k < RACE_STORED; k++)
      readings.push({ meterId, id: `S-${k}`, timestamp: dayStamp(k), value: value(k) });
    for (let j = 0; j < 3; j++)
      readings.push({ meterId, id: `N-${j}`, timestamp: dayStamp(20 + j), value: value(50 + j) });
    for (let j = 0; j < 2; j++)
      readings.push({
        meterId,
        id: `P${p}-${j}`,
        timestamp: dayStamp(30 + j),
        value: value(60 + j),
      });
    readings.push({ meterId, id: `U${p}`, timestamp: dayStamp(40 + p), value: value(70) });
  }
  return { readings };
}

interface Outcome {
  name: string;
  ok: number;
  failed: string[];
  ms: number;
  check: Awaited<ReturnType<typeof checkRace>>;
}

/** 20 posts at once, spread over `servers` in turn; then the database is checked. */
async function race(
  ctx: ProofContext,
  name: string,
  target: Target,
  servers: ProofServer[],
  scenario: string,
): Promise<Outcome> {
  const posts = Array.from({ length: POSTS }, (_, p) => racePost(scenario, p));
  const t = performance.now();
  const answers = await Promise.all(
    posts.map((post, p) =>
      send(
        (servers[p % servers.length] as ProofServer).baseUrl,
        postJson(EVENTS, target.world.apiKey, {
          integration_id: target.world.integrationId,
          correlation_id: `race-${scenario}-${p}`,
          events: [
            {
              timestamp: new Date().toISOString(),
              format: "json",
              use_case_slug: SLUG,
              payload: { readings: post.readings.map((r) => ({ ...r, unit: "kWh" })) },
            },
          ],
        }),
        120_000,
      ),
    ),
  );
  const ms = performance.now() - t;
  const failed: string[] = [];
  for (const [p, answer] of answers.entries()) {
    let result: { status?: string; import_id?: string; error?: { code?: string } } | undefined;
    try {
      result = (JSON.parse(answer.body) as { results?: (typeof result)[] }).results?.[0];
    } catch {}
    if (answer.status === 200 && result?.status === "success") {
      (posts[p] as RacePost).importId = result.import_id;
      continue;
    }
    const why =
      `post ${p}: HTTP ${answer.status || answer.error} ${result?.status ?? errorCode(answer.body) ?? ""} ${result?.error?.code ?? ""}`.trim();
    failed.push(why);
    ctx.findings.add(
      `race:${name}:${answer.status}:${result?.error?.code ?? errorCode(answer.body)}`,
      {
        part: `concurrency, ${name}`,
        kind: answer.status >= 500 ? `HTTP ${answer.status}` : "a concurrent post failed",
        summary: `${why}: ${answer.body.slice(0, 200)}`,
        reproducer: `20 concurrent posts of 96 overlapping readings each (scripts/proof/concurrency.ts racePost), scenario ${scenario}`,
      },
    );
  }
  const check = await withDatabase(target, (client) =>
    checkRace(client, `RACE-${scenario}-`, posts),
  );
  return { name, ok: POSTS - failed.length, failed, ms, check };
}

/** The races: on PGlite, on Postgres, and over two server instances on one Postgres database. */
export async function concurrencyPart(ctx: ProofContext, targets: Target[]): Promise<void> {
  const [pglite, postgres] = targets as [Target, Target];
  const outcomes: Outcome[] = [];
  outcomes.push(await race(ctx, "PGlite", pglite, [pglite.server], "single"));
  outcomes.push(await race(ctx, "Postgres", postgres, [postgres.server], "single"));
  const second = await startServer(ctx, "Postgres #2", postgres.database, postgres.world);
  try {
    outcomes.push(
      await race(ctx, "Postgres, two instances", postgres, [postgres.server, second], "pair"),
    );
  } finally {
    await second.stop();
  }
  const rows: string[] = [];
  for (const o of outcomes) {
    const c = o.check;
    const duplicates = c.idDuplicates + c.dayDuplicates + c.entityDuplicates;
    ctx.figures.concurrent_duplicates += duplicates;
    ctx.figures.concurrent_lost_updates += c.lostUpdates + c.lostImports;
    ctx.figures.concurrent_failed_posts += o.failed.length;
    ctx.log(
      `  ${o.name}: ${o.ok}/${POSTS} posts applied in ${(o.ms / 1000).toFixed(1)} s; duplicates ${duplicates} (external id ${c.idDuplicates}, Berlin day ${c.dayDuplicates}, meter ${c.entityDuplicates}); lost updates ${c.lostUpdates + c.lostImports}; ${c.contested} readings written by several posts`,
    );
    for (const e of [...o.failed, ...c.examples].slice(0, 10)) ctx.log(`    ${e}`);
    rows.push(
      `| ${o.name} | ${o.ok}/${POSTS} | ${(o.ms / 1000).toFixed(1)} s | ${c.contested} | ${c.idDuplicates} | ${c.dayDuplicates} | ${c.entityDuplicates} | ${c.lostUpdates + c.lostImports} |`,
    );
  }
  ctx.sections.push({
    title: "Concurrent posts",
    method:
      `${POSTS} posts sent at once, each one event of 96 readings on six meters (five with ten ` +
      "stored readings, one that the posts themselves create through the use case's entity " +
      "item): the ten stored external ids again with values of the post's own, three new ids " +
      "every post sends (one creates, the rest update), two new ids per post on days all posts " +
      "share (one creates, the rest must be skipped as Berlin-day duplicates) and one id on a " +
      "day of the post's own. On PGlite, on Postgres, and on Postgres with the posts alternating " +
      "between two server instances on the same database. Then, in the database: **duplicates** " +
      "are extra rows of one (meter, external id), extra rows of one meter + counter + direction " +
      "+ Berlin day, and extra meters of one meter number. **Lost update**: for each stored " +
      "reading, the successful posts whose import recorded a create, update or unchanged " +
      "decision for that row are its writers; the value it must hold is the one sent by the " +
      "writer whose import committed last. Commit order is the database's own: a deferred " +
      "constraint trigger the proof adds to `imports` in its own databases numbers each import " +
      "as its transaction commits (imports that touch the same rows wait for each other's locks, " +
      "which only the commit releases, so the numbers order them). A row with another value, a " +
      "written row that is gone, or a successful post whose import is not in the database counts " +
      "as a lost update. A post that does not succeed (error result, 5xx, no answer) is counted " +
      "as a failed post.",
    results: [
      "| scenario | posts applied | wall time | readings with several writers | duplicate external ids | Berlin-day duplicates | duplicate meters | lost updates |",
      "|---|---|---|---|---|---|---|---|",
      ...rows,
    ],
  });
}
