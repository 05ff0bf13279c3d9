/**
 * npm run bench:support — support's pages on the server, in process: seeds, set-based
 * (generate_series), 100k events and imports (70k events: success, error, skipped, ignored; 30k
 * studio, CLI and replay imports) whose counts add up to about 1M decisions, with the meters and
 * codes they touched, plus one real import of 100k decisions (through applyImport, so its record
 * is the real gzipped one) that gives one meter 100k readings. Then it times the services the
 * pages call: the list's first page, the list filtered by a meter value and by an error code,
 * the 100k-decision import's detail (first page, its record decoded cold) and the meter page
 * (first page of readings and the chart's 100k points). Medians of BENCH_RUNS (5) after a
 * warm-up, on the local Postgres server (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and on PGlite. Goals: list <= 100 ms, filtered lists <= 150, detail <= 300, meter page <= 300.
 * The last line is one JSON object: { postgres: {...}, pglite: {...} }.
 *
 * Run with `tsx --conditions=react-server` (server-only modules need that condition outside Next).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { DbClient } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { query } from "../db/repository";
import { applyImport } from "../lib/server/imports/import-service";
import { supportDetail } from "../lib/server/support/detail-service";
import { activityPage } from "../lib/server/support/list-service";
import { meterPage } from "../lib/server/support/meter-service";
import { forgetRecordedImports } from "../lib/server/support/recorded-decisions";
import { freshDatabase, LOCAL_POSTGRES_URL, openDatabase } from "./fresh-database";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const EVENTS = 70_000;
const STANDALONE = 30_000;
const METERS = 1_000;
const BIG = 100_000;
const log = (...args: unknown[]) => console.error(...args);
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function seed(client: DbClient) {
  const db = client.db;
  const integrationId = randomUUID();
  const useCaseId = randomUUID();
  await db.execute(sql`INSERT INTO integrations (id, name) VALUES (${integrationId}, 'Bench ERP')`);
  await db.execute(
    sql`INSERT INTO use_cases (id, integration_id, slug, name) VALUES (${useCaseId}, ${integrationId}, 'bench', 'Bench')`,
  );
  await db.execute(sql`INSERT INTO entities (entity_schema, attributes)
    SELECT 'meter', jsonb_build_object('meter_number', 'B' || lpad(g::text, 5, '0')) FROM generate_series(1, ${METERS}) g
    UNION ALL SELECT 'meter', '{"meter_number": "BIG"}'::jsonb`);
  await db.execute(sql`INSERT INTO entity_keys (entity_id, entity_schema, attribute, value)
    SELECT id, 'meter', 'meter_number', attributes->>'meter_number' FROM entities WHERE entity_schema = 'meter'`);
  // Events newest first, 9 s apart: every 20th an error, then an ignored and a skipped one.
  await db.execute(sql`INSERT INTO inbound_events (id, integration_id, use_case_id, use_case_slug, deduplication_id,
      correlation_id, received_at, status, import_id, error_code, error_message)
    SELECT md5('e' || g)::uuid, ${integrationId},
      CASE WHEN g % 20 = 1 THEN NULL ELSE ${useCaseId}::uuid END,
      CASE WHEN g % 20 = 1 THEN 'bnech' ELSE 'bench' END, 'd' || g, 'run-' || (g / 10),
      now() - g * interval '9 seconds',
      CASE g % 20 WHEN 0 THEN 'error' WHEN 1 THEN 'ignored' WHEN 2 THEN 'skipped' ELSE 'success' END,
      CASE WHEN g % 20 > 2 THEN md5('i' || g)::uuid END,
      CASE WHEN g % 20 = 0 THEN (CASE WHEN g % 40 = 0 THEN 'PAYLOAD_INVALID' ELSE 'CONFIG_INVALID' END) END,
      CASE WHEN g % 20 = 0 THEN 'The event failed' END
    FROM generate_series(1, ${EVENTS}) g`);
  const counts = sql`jsonb_build_object('create', 7, 'update', 2, 'unchanged', 1, 'skip', CASE WHEN g % 5 = 0 THEN 1 ELSE 0 END, 'delete', 0, 'error', CASE WHEN g % 10 = 0 THEN 1 ELSE 0 END)`;
  await db.execute(sql`INSERT INTO imports (id, use_case_id, config_version, trigger, status, started_at, finished_at, duration_ms, counts, inbound_event_id)
    SELECT md5('i' || g)::uuid, ${useCaseId}::uuid, 1, 'api', 'applied', now() - g * interval '9 seconds',
      now() - g * interval '9 seconds', 10 + g % 50, ${counts}, md5('e' || g)::uuid
    FROM generate_series(1, ${EVENTS}) g WHERE g % 20 > 2
    UNION ALL
    SELECT md5('s' || g)::uuid, ${useCaseId}::uuid, 1, (ARRAY['studio', 'cli', 'replay'])[1 + g % 3], 'applied',
      now() - g * interval '21 seconds', now() - g * interval '21 seconds', 10 + g % 50, ${counts}, NULL
    FROM generate_series(1, ${STANDALONE}) g`);
  // Each import touched 10 of the 1,000 meters (so each meter about 1% of the imports).
  await db.execute(sql`WITH m AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM entities WHERE attributes->>'meter_number' LIKE 'B0%')
    INSERT INTO import_meters (meter_id, import_id)
    SELECT DISTINCT m.id, i.id FROM imports i CROSS JOIN generate_series(0, 9) k
      JOIN m ON m.n = 1 + (abs(hashtext(i.id::text)) + k * 97) % ${METERS}`);
  await db.execute(sql`INSERT INTO import_codes (code, import_id, action, count)
    SELECT 'INVALID_READING_VALUE', id, 'error', 1 FROM imports WHERE (counts->>'error')::int > 0
    UNION ALL SELECT 'DUPLICATE', id, 'skip', 1 FROM imports WHERE (counts->>'skip')::int > 0
    UNION ALL SELECT 'METER_NOT_FOUND', id, 'error', 1 FROM imports WHERE abs(hashtext(id::text)) % 50 = 0`);
  return useCaseId;
}

/** One real import of 100k readings on meter BIG, one a day from 1750 on; a few fail or go down. */
async function bigImport(client: DbClient, useCaseId: string) {
  const day = 24 * 60 * 60 * 1000;
  const start = Date.parse("1750-01-01T00:00:00Z");
  const readings = Array.from({ length: BIG }, (_, i) => ({
    m: "BIG",
    id: `r${i}`,
    at: new Date(start + i * day).toISOString(),
    v: i % 997 === 996 ? "not-a-number" : String(i % 5000 === 4999 ? i * 10 - 500 : i * 10),
  }));
  const outcome = await applyImport(client, {
    useCaseId,
    trigger: "cli",
    config: {
      meter_readings: [
        {
          jsonataExpression: "readings",
          meter: { unique_ids: [{ attribute: "meter_number", field: "m" }] },
          fields: [
            { attribute: "external_id", field: "id" },
            { attribute: "timestamp", field: "at" },
            { attribute: "value", field: "v" },
            { attribute: "source", constant: "ERP" },
          ],
        },
      ],
    },
    payload: { readings },
  });
  return outcome.importId;
}

async function time<T>(run: () => Promise<T>, before?: () => void) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    before?.();
    const started = performance.now();
    await run();
    if (i >= 2) ms.push(performance.now() - started);
  }
  return Math.round(median(ms));
}

async function benchOn(serverUrl: string | undefined) {
  const database = await freshDatabase(serverUrl, "mms_bench_support_");
  const client = openDatabase(database);
  try {
    await migrateDatabase(client);
    let started = performance.now();
    const useCaseId = await seed(client);
    log(
      `${database.kind}: seeded ${EVENTS + STANDALONE} events and imports in ${Math.round(performance.now() - started)} ms`,
    );
    started = performance.now();
    const importId = await bigImport(client, useCaseId);
    log(
      `${database.kind}: the 100k-decision import took ${Math.round(performance.now() - started)} ms`,
    );
    // As autovacuum would have: the visibility map lets the lookups of ids run index-only.
    await client.db.execute(sql`VACUUM ANALYZE`);
    const [big] = await query<{ id: string }>(
      client.db,
      sql`SELECT id FROM entities WHERE attributes->>'meter_number' = 'BIG'`,
    );
    const [sums] = await query<{
      events: number;
      imports: number;
      decisions: number;
      meter_imports: number;
    }>(
      client.db,
      sql`SELECT (SELECT count(*) FROM inbound_events)::int AS events, (SELECT count(*) FROM imports)::int AS imports,
        (SELECT sum((SELECT sum(v::int) FROM jsonb_each_text(counts) AS c(k, v))) FROM imports)::int AS decisions,
        (SELECT count(*) FROM import_meters im JOIN entities e ON e.id = im.meter_id WHERE e.attributes->>'meter_number' = 'B00042')::int AS meter_imports`,
    );
    log(`${database.kind}:`, sums);
    const db = client.db;
    const figures = {
      list_ms: await time(() => activityPage(db, {})),
      list_by_meter_ms: await time(() => activityPage(db, { meter: "B00042" })),
      list_by_code_ms: await time(() => activityPage(db, { code: "METER_NOT_FOUND" })),
      detail_ms: await time(() => supportDetail(db, importId), forgetRecordedImports),
      detail_warm_ms: await time(() => supportDetail(db, importId, {}, 500)),
      meter_page_ms: await time(() => meterPage(db, big?.id as string, {})),
    };
    const checks = {
      list_rows: (await activityPage(db, {})).rows.length,
      by_meter_rows: (await activityPage(db, { meter: "B00042" })).rows.length,
      by_code_rows: (await activityPage(db, { code: "METER_NOT_FOUND" })).rows.length,
      detail_decisions: (await supportDetail(db, importId))?.import?.decisions.matching,
      meter_points: (await meterPage(db, big?.id as string, {}))?.series[0]?.times.length,
    };
    log(`${database.kind}:`, figures, checks);
    return { ...figures, ...checks, decisions_in_all: sums?.decisions };
  } finally {
    await client.close();
    // BENCH_KEEP_DB=1 keeps the Postgres database, to EXPLAIN the list's queries on it.
    if (process.env.BENCH_KEEP_DB === "1" && database.name) log(`kept database ${database.name}`);
    else await database.drop();
  }
}

const postgresUrl = process.env.BENCH_POSTGRES_URL ?? LOCAL_POSTGRES_URL;
const postgresFigures = process.env.BENCH_SKIP_POSTGRES === "1" ? null : await benchOn(postgresUrl);
const pgliteFigures = process.env.BENCH_SKIP_PGLITE === "1" ? null : await benchOn(undefined);
const goals = {
  list_ms: 100,
  list_by_meter_ms: 150,
  list_by_code_ms: 150,
  detail_ms: 300,
  meter_page_ms: 300,
};
console.log(JSON.stringify({ postgres: postgresFigures, pglite: pgliteFigures, goals }));
