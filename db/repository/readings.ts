import { sql } from "drizzle-orm";
import type { ReadingKeys, StoredReading } from "../../lib/engine";
import { instantDay } from "../../lib/engine/timestamp";
import type { Db } from "../client";
import { copyField, copyInto, copyOut, copyText } from "./copy-rows";
import { batches, breathe, jsonParam } from "./sql-json";

const BATCH = 5000;

/** The columns of a StoredReading, in order, as COPY text. */
const READING_SELECT = `r.id, r.meter_id, r.counter_id, r.direction, r.external_id,
  to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), r.value::text, r.source, r.reason,
  r.attributes::text, r.berlin_day::text`;

/** Parses COPY text of READING_SELECT rows into StoredReadings, yielding between slices. */
async function parseReadingRows(text: string): Promise<StoredReading[]> {
  const rows: StoredReading[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    // Escapes are rare (COPY writes \N for null and escapes backslashes and control characters).
    const f: (string | null)[] = line.split("\t");
    for (let k = 0; k < f.length; k++) {
      const field = f[k] as string;
      if (field.includes("\\")) f[k] = copyField(field);
    }
    start = end + 1;
    if (f.length !== 11) continue;
    rows.push({
      id: f[0] as string,
      meter_id: f[1] as string,
      counter_id: f[2] ?? null,
      direction: f[3] ?? null,
      external_id: f[4] ?? null,
      timestamp: f[5] as string,
      value: f[6] as string,
      source: f[7] ?? null,
      reason: f[8] ?? null,
      attributes: JSON.parse(f[9] ?? "{}") as Record<string, unknown>,
      berlin_day: f[10] as string,
    });
    if (rows.length % 5000 === 0) await breathe();
  }
  return rows;
}

/**
 * Readings by COPY TO STDOUT of a parameter-free query: for tens of thousands of rows several
 * times faster than the driver's per-row, per-column decoding, parsed in slices.
 */
async function readingRows(db: Db, where: string): Promise<StoredReading[]> {
  return parseReadingRows(
    await copyOut(
      db,
      `SELECT ${READING_SELECT} FROM readings r WHERE ${where} ORDER BY r.timestamp, r.id`,
    ),
  );
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
  const daysForAll = keys.daysForAll ? "true" : "false";
  const readings = await readingRows(
    db,
    `r.id IN (
      WITH hit AS (
        SELECT r.id, k.meter_id, k.external_id FROM reading_keys k
          JOIN readings r ON r.meter_id = k.meter_id AND r.external_id = k.external_id),
      miss AS (
        SELECT DISTINCT k.meter_id, k.berlin_day FROM reading_keys k
        WHERE k.berlin_day IS NOT NULL AND (${daysForAll} OR NOT EXISTS (
          SELECT 1 FROM hit h WHERE h.meter_id = k.meter_id AND h.external_id = k.external_id)))
      SELECT id FROM hit
      UNION
      SELECT r.id FROM miss JOIN readings r ON r.meter_id = miss.meter_id AND r.berlin_day = miss.berlin_day
      UNION
      SELECT r.id FROM reading_keys k JOIN readings r ON r.meter_id = k.meter_id WHERE k.whole)`,
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
