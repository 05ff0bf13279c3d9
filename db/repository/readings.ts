import { sql } from "drizzle-orm";
import type { ReadingKeys, StoredReading } from "../../lib/engine";
import { instantDay } from "../../lib/engine/timestamp";
import type { Db } from "../client";
import { batches, breathe, jsonParam, query } from "./sql-json";

/** Rows exactly in the engine's StoredReading shape, so it uses them without copying. */
const READING_COLUMNS = sql.raw(`r.id, r.meter_id, r.counter_id, r.direction, r.external_id,
  to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
  r.value::text AS value, r.source, r.reason, r.attributes`);

/**
 * The stored readings a payload can touch, in one statement: by (meter, external id) pairs, by
 * (meter, Berlin day) pairs, and every reading of meters a prune scope covers. Joins on the
 * payload's keys rather than loading whole meters (PGlite is slow at returning many rows).
 */
export async function loadReadings(db: Db, keys: ReadingKeys): Promise<StoredReading[]> {
  if (keys.byExternalId.length === 0 && keys.byDay.length === 0 && keys.wholeMeters.length === 0)
    return [];
  return query<StoredReading>(
    db,
    sql`SELECT ${READING_COLUMNS} FROM readings r WHERE r.id IN (
          SELECT r.id FROM readings r
            JOIN jsonb_to_recordset(${jsonParam(keys.byExternalId)}) AS k(meter_id uuid, external_id text)
              ON r.meter_id = k.meter_id AND r.external_id = k.external_id
          UNION
          SELECT r.id FROM readings r
            JOIN jsonb_to_recordset(${jsonParam(keys.byDay)}) AS k(meter_id uuid, berlin_day date)
              ON r.meter_id = k.meter_id AND r.berlin_day = k.berlin_day
          UNION
          SELECT r.id FROM readings r
            WHERE r.meter_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(keys.wholeMeters)})))
        ORDER BY r.timestamp, r.id`,
  );
}

export async function readingsByIds(db: Db, ids: string[]): Promise<StoredReading[]> {
  if (ids.length === 0) return [];
  return query<StoredReading>(
    db,
    sql`SELECT ${READING_COLUMNS} FROM readings r
        WHERE r.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(ids)})) ORDER BY r.timestamp, r.id`,
  );
}

const BATCH = 5000;

function toRecord(row: StoredReading, importId: string) {
  return { ...row, berlin_day: instantDay(row.timestamp), import_id: importId };
}

const RECORD_TYPE =
  sql.raw(`x(id uuid, meter_id uuid, counter_id uuid, direction text, external_id text,
  timestamp timestamptz, berlin_day date, value numeric, source text, reason text, attributes jsonb, import_id uuid)`);

/**
 * Applies reading writes set-based: deletes first, then updates, then inserts, so a plan that
 * deletes a reading and creates one with the same external id never trips the unique key.
 */
export async function writeReadings(
  db: Db,
  writes: { inserts: StoredReading[]; updates: StoredReading[]; deletes: string[] },
  importId: string,
) {
  for (const ids of batches(writes.deletes, BATCH)) {
    await db.execute(
      sql`DELETE FROM readings WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(ids)}))`,
    );
    await breathe();
  }
  for (const rows of batches(writes.updates, BATCH)) {
    const records = jsonParam(rows.map((r) => toRecord(r, importId)));
    await db.execute(
      sql`UPDATE readings r SET counter_id = x.counter_id, direction = x.direction, external_id = x.external_id,
            timestamp = x.timestamp, berlin_day = x.berlin_day, value = x.value, source = x.source, reason = x.reason,
            attributes = x.attributes, import_id = x.import_id, updated_at = now()
          FROM jsonb_to_recordset(${records}) AS ${RECORD_TYPE} WHERE r.id = x.id`,
    );
    await breathe();
  }
  for (const rows of batches(writes.inserts, BATCH)) {
    const records = jsonParam(rows.map((r) => toRecord(r, importId)));
    await db.execute(
      sql`INSERT INTO readings (id, meter_id, counter_id, direction, external_id, timestamp, berlin_day, value,
            source, reason, attributes, import_id)
          SELECT id, meter_id, counter_id, direction, external_id, timestamp, berlin_day, value, source, reason,
            attributes, import_id FROM jsonb_to_recordset(${records}) AS ${RECORD_TYPE}`,
    );
    await breathe();
  }
}
