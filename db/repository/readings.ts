import { sql } from "drizzle-orm";
import type { ReadingKeys, StoredReading } from "../../lib/engine";
import { instantDay } from "../../lib/engine/timestamp";
import { parseJsonLarge } from "../../lib/json/parse-json-large";
import { type Db, rowsOf } from "../client";
import { copyInto, copyText } from "./copy-rows";
import { batches, breathe, jsonParam } from "./sql-json";

const BATCH = 5000;

/** The columns of a StoredReading, in order, as one JSON array per row. */
const READING_ARRAY = `json_build_array(r.id, r.meter_id, r.counter_id, r.direction, r.external_id,
  to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), r.value::text, r.source, r.reason,
  r.attributes, r.berlin_day::text)`;

type ReadingTuple = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string,
  string | null,
  string | null,
  Record<string, unknown>,
  string,
];

/**
 * Readings as one JSON text built by the server (arrays, not objects: half the bytes): one value
 * for the driver to decode instead of one per column and row, parsed natively in pieces so the
 * event loop keeps turning. `where` must not take parameters.
 */
async function readingRows(db: Db, where: string): Promise<StoredReading[]> {
  const [row] = rowsOf<{ rows: string }>(
    await db.execute(
      sql.raw(
        `SELECT coalesce(json_agg(${READING_ARRAY} ORDER BY r.timestamp, r.id), '[]')::text AS rows FROM readings r WHERE ${where}`,
      ),
    ),
  );
  const parsed = await parseJsonLarge(row?.rows ?? "[]", breathe);
  if (!parsed.ok) throw new Error(`unreadable readings JSON: ${parsed.error.message}`);
  const tuples = parsed.value as ReadingTuple[];
  const out: StoredReading[] = new Array(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i] as ReadingTuple;
    out[i] = {
      id: t[0],
      meter_id: t[1],
      counter_id: t[2],
      direction: t[3],
      external_id: t[4],
      timestamp: t[5],
      value: t[6],
      source: t[7],
      reason: t[8],
      attributes: t[9],
      berlin_day: t[10],
    };
  }
  return out;
}

/**
 * The stored readings a payload can touch, in one statement over its keys (COPYed into a temp
 * table): the readings its external ids find, then, only for keys whose external id found
 * nothing, the readings of that meter on that Berlin day (deduplication, strict-date), plus
 * every reading of the meters a prune scope covers. Joins on the payload's keys rather than
 * loading whole meters (PGlite is slow at returning many rows). Must run inside a transaction.
 */
export async function loadReadings(db: Db, keys: ReadingKeys): Promise<StoredReading[]> {
  if (keys.keys.length === 0 && keys.wholeMeters.length === 0) return [];
  await db.execute(
    sql`CREATE TEMP TABLE IF NOT EXISTS reading_keys (meter_id uuid, external_id text, berlin_day date, whole boolean) ON COMMIT DELETE ROWS`,
  );
  const rows = [
    ...keys.keys.map((k) => [k.meter_id, k.external_id, k.berlin_day, false]),
    ...keys.wholeMeters.map((m) => [m, null, null, true]),
  ];
  for (const batch of batches(rows, BATCH * 4)) {
    await copyInto(
      db,
      "reading_keys",
      ["meter_id", "external_id", "berlin_day", "whole"],
      copyText(batch),
    );
  }
  // The planner knows nothing of a fresh temp table; per-key LATERAL lookups keep it on the
  // indexes whatever the statistics say (a hash or nested seq scan over an un-analysed table
  // after a bulk load took minutes).
  await db.execute(sql`ANALYZE reading_keys`);
  const daysForAll = keys.daysForAll ? "true" : "false";
  const readings = await readingRows(
    db,
    `r.id IN (
      WITH hit AS (
        SELECT h.id, k.meter_id, k.external_id FROM reading_keys k
          CROSS JOIN LATERAL (SELECT r.id FROM readings r
            WHERE r.meter_id = k.meter_id AND r.external_id = k.external_id) h),
      miss AS (
        SELECT DISTINCT k.meter_id, k.berlin_day FROM reading_keys k
        WHERE k.berlin_day IS NOT NULL AND (${daysForAll} OR NOT EXISTS (
          SELECT 1 FROM hit h WHERE h.meter_id = k.meter_id AND h.external_id = k.external_id)))
      SELECT id FROM hit
      UNION
      SELECT d.id FROM miss CROSS JOIN LATERAL (SELECT r.id FROM readings r
        WHERE r.meter_id = miss.meter_id AND r.berlin_day = miss.berlin_day) d
      UNION
      SELECT w.id FROM reading_keys k CROSS JOIN LATERAL (SELECT r.id FROM readings r
        WHERE r.meter_id = k.meter_id) w WHERE k.whole)`,
  );
  await db.execute(sql`TRUNCATE reading_keys`);
  return readings;
}

/** Readings by id (support views). Must run inside a transaction. */
export async function readingsByIds(db: Db, ids: string[]): Promise<StoredReading[]> {
  if (ids.length === 0) return [];
  const uuid = /^[0-9a-f-]{36}$/i;
  const list = ids.filter((id) => uuid.test(id)).map((id) => `'${id}'`);
  if (list.length === 0) return [];
  return readingRows(db, `r.id IN (${list.join(", ")})`);
}
const COLUMNS = [
  "id",
  "meter_id",
  "counter_id",
  "direction",
  "external_id",
  "timestamp",
  "berlin_day",
  "value",
  "source",
  "reason",
  "attributes",
  "import_id",
] as const;

/** COPY text of rows, with provisional plan ids (`new:...`) replaced by the ids they are written with. */
function copyRows(
  rows: readonly StoredReading[],
  importId: string,
  ids: Record<string, string>,
): string {
  const real = (id: string | null) => (id?.startsWith("new:") ? (ids[id] ?? id) : id);
  return copyText(
    rows.map((r) => [
      real(r.id),
      real(r.meter_id),
      real(r.counter_id),
      r.direction,
      r.external_id,
      r.timestamp,
      r.berlin_day ?? instantDay(r.timestamp),
      r.value,
      r.source,
      r.reason,
      r.attributes,
      importId,
    ]),
  );
}

/**
 * Applies reading writes set-based: deletes first (so a plan that deletes a reading and creates
 * one with the same external id never trips the unique key), then new rows by COPY straight into
 * readings (they carry fresh ids: nothing to conflict with), then updates by COPY into a staging
 * table and one UPDATE ... FROM, which stays heap-only (HOT, no index writes) when no indexed
 * column changes (readings has fillfactor 70 for that).
 */
export async function writeReadings(
  db: Db,
  writes: { inserts: StoredReading[]; updates: StoredReading[]; deletes: string[] },
  importId: string,
  ids: Record<string, string> = {},
) {
  for (const batch of batches(writes.deletes, BATCH)) {
    await db.execute(
      sql`DELETE FROM readings WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(batch)}))`,
    );
    await breathe();
  }
  // Batches of 5k rows: building one batch's COPY text is a synchronous slice of the event loop.
  for (const batch of batches(writes.inserts, BATCH)) {
    await copyInto(db, "readings", COLUMNS, copyRows(batch, importId, ids));
    await breathe();
  }
  if (writes.updates.length === 0) return;
  await db.execute(
    sql`CREATE TEMP TABLE IF NOT EXISTS reading_stage (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
  );
  for (const batch of batches(writes.updates, BATCH)) {
    await copyInto(db, "reading_stage", COLUMNS, copyRows(batch, importId, ids));
    await breathe();
  }
  const set = sql.raw(
    COLUMNS.filter((c) => c !== "id" && c !== "meter_id")
      .map((c) => `${c} = s.${c}`)
      .join(", "),
  );
  await db.execute(
    sql`UPDATE readings r SET ${set}, updated_at = now() FROM reading_stage s WHERE r.id = s.id`,
  );
  await db.execute(sql`TRUNCATE reading_stage`);
}
