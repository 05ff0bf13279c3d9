import { type SQL, sql } from "drizzle-orm";
import type { ReadingKeys, StoredReading } from "../../lib/engine";
import { instantDay } from "../../lib/engine/timestamp";
import { parseJsonLarge } from "../../lib/json/parse-json-large";
import type { Db } from "../client";
import { copyInto, copyText } from "./copy-rows";
import { batches, breathe, jsonParam, query } from "./sql-json";

const BATCH = 5000;

/** Rows exactly in the engine's StoredReading shape, built as JSON by the server. */
const READING_JSON =
  sql.raw(`json_build_object('id', r.id, 'meter_id', r.meter_id, 'counter_id', r.counter_id,
  'direction', r.direction, 'external_id', r.external_id,
  'timestamp', to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'value', r.value::text, 'source', r.source, 'reason', r.reason, 'attributes', r.attributes,
  'berlin_day', r.berlin_day::text)`);

/**
 * Readings as one JSON array text: the server builds it, and one native parse (in pieces, so
 * the event loop keeps turning) replaces the driver's per-row, per-column decoding, which is
 * several times slower for tens of thousands of rows.
 */
async function readingRows(db: Db, where: SQL): Promise<StoredReading[]> {
  const [row] = await query<{ rows: string }>(
    db,
    sql`SELECT coalesce(json_agg(${READING_JSON} ORDER BY r.timestamp, r.id), '[]')::text AS rows
        FROM readings r WHERE ${where}`,
  );
  const parsed = await parseJsonLarge(row?.rows ?? "[]", breathe);
  if (!parsed.ok) throw new Error(`unreadable readings JSON: ${parsed.error.message}`);
  return parsed.value as StoredReading[];
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
    sql`CREATE TEMP TABLE IF NOT EXISTS reading_keys (meter_id uuid, external_id text, berlin_day date) ON COMMIT DELETE ROWS`,
  );
  for (const batch of batches(keys.keys, BATCH * 4)) {
    await copyInto(
      db,
      "reading_keys",
      ["meter_id", "external_id", "berlin_day"],
      copyText(batch.map((k) => [k.meter_id, k.external_id, k.berlin_day])),
    );
  }
  const rows = await readingRows(
    db,
    sql`r.id IN (
          WITH hit AS (
            SELECT r.id, k.meter_id, k.external_id FROM reading_keys k
              JOIN readings r ON r.meter_id = k.meter_id AND r.external_id = k.external_id),
          miss AS (
            SELECT DISTINCT k.meter_id, k.berlin_day FROM reading_keys k
            WHERE k.berlin_day IS NOT NULL AND (${keys.daysForAll} OR NOT EXISTS (
              SELECT 1 FROM hit h WHERE h.meter_id = k.meter_id AND h.external_id = k.external_id)))
          SELECT id FROM hit
          UNION
          SELECT r.id FROM miss JOIN readings r ON r.meter_id = miss.meter_id AND r.berlin_day = miss.berlin_day
          UNION
          SELECT r.id FROM readings r
            WHERE r.meter_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(keys.wholeMeters)})))`,
  );
  await db.execute(sql`TRUNCATE reading_keys`);
  return rows;
}

export async function readingsByIds(db: Db, ids: string[]): Promise<StoredReading[]> {
  if (ids.length === 0) return [];
  return readingRows(
    db,
    sql`r.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(ids)}))`,
  );
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
  for (const batch of batches(writes.inserts, BATCH * 4)) {
    await copyInto(db, "readings", COLUMNS, copyRows(batch, importId, ids));
    await breathe();
  }
  if (writes.updates.length === 0) return;
  await db.execute(
    sql`CREATE TEMP TABLE IF NOT EXISTS reading_stage (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
  );
  for (const batch of batches(writes.updates, BATCH * 4)) {
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
