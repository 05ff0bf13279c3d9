import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { jsonParam, query } from "./sql-json";

export interface MeterMatch {
  id: string;
  attributes: Record<string, unknown>;
  /** The attribute whose value matched (of the meter itself or of one of its counters). */
  matched: string;
  via: "meter" | "meter_counter" | "id";
}

/**
 * Meters whose unique attribute value (or one of whose counters' value) is exactly `value`, or
 * the meter with this id: a probe of entity_keys' index on values. Soft-deleted
 * meters and counters are out of sight (SPEC-ENTITIES 4.2).
 */
export function searchMeters(db: Db, value: string, limit = 20) {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
  return query<MeterMatch>(
    db,
    sql`WITH hits AS (
        SELECT coalesce(c.meter_id, k.entity_id) AS id, k.attribute AS matched, k.entity_schema AS via
        FROM entity_keys k LEFT JOIN entities c ON k.entity_schema = 'meter_counter' AND c.id = k.entity_id
        WHERE k.value = ${value} AND k.entity_schema IN ('meter', 'meter_counter')
        ${uuid ? sql`UNION ALL SELECT id, 'id', 'id' FROM entities WHERE id = ${value}::uuid AND entity_schema = 'meter'` : sql``})
      SELECT DISTINCT ON (m.id) m.id, m.attributes, h.matched, h.via
      FROM hits h JOIN entities m ON m.id = h.id AND m.entity_schema = 'meter'
        AND m.deleted_at IS NULL
      ORDER BY m.id, h.via LIMIT ${limit}`,
  );
}

export interface MeterRow {
  id: string;
  attributes: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export async function findMeter(db: Db, meterId: string) {
  const [row] = await query<MeterRow>(
    db,
    sql`SELECT id, attributes, created_at::text, updated_at::text FROM entities
      WHERE id = ${meterId} AND entity_schema = 'meter' AND deleted_at IS NULL`,
  );
  return row ?? null;
}

export interface CounterRow {
  id: string;
  attributes: Record<string, unknown>;
}

export function findMeterCounters(db: Db, meterIds: string[]) {
  return query<CounterRow & { meter_id: string }>(
    db,
    sql`SELECT id, attributes, meter_id FROM entities
      WHERE meter_id IN (SELECT m::uuid FROM jsonb_array_elements_text(${jsonParam(meterIds)}) AS m)
        AND entity_schema = 'meter_counter' AND deleted_at IS NULL
      ORDER BY created_at, id`,
  );
}

export interface ReadingFilter {
  /** A counter id, or "none" for readings without a counter. */
  counter?: string;
  source?: string;
  from?: string;
  to?: string;
}

function readingWhere(meterId: string, f: ReadingFilter): SQL {
  const where: SQL[] = [sql`r.meter_id = ${meterId}`];
  if (f.counter === "none") where.push(sql`r.counter_id IS NULL`);
  else if (f.counter) where.push(sql`r.counter_id = ${f.counter}`);
  if (f.source) where.push(sql`r.source = ${f.source}`);
  if (f.from) where.push(sql`r.timestamp >= ${f.from}::timestamptz`);
  if (f.to) where.push(sql`r.timestamp < ${f.to}::timestamptz`);
  return sql.join(where, sql` AND `);
}

export interface MeterReadingRow {
  id: string;
  counter_id: string | null;
  direction: string | null;
  external_id: string | null;
  timestamp: string;
  berlin_day: string;
  value: string;
  source: string | null;
  reason: string | null;
  attributes: Record<string, unknown>;
  import_id: string | null;
}

/** A page of a meter's readings, newest first, after the keyset (timestamp, id) when given. */
export function listMeterReadings(
  db: Db,
  meterId: string,
  f: ReadingFilter,
  before: { at: string; id: string } | null,
  limit: number,
) {
  const after = before
    ? sql` AND (r.timestamp, r.id) < (${before.at}::timestamptz, ${before.id}::uuid)`
    : sql``;
  return query<MeterReadingRow>(
    db,
    sql`SELECT r.id, r.counter_id, r.direction, r.external_id,
        to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
        r.berlin_day::text AS berlin_day, r.value::text AS value, r.source, r.reason, r.attributes, r.import_id
      FROM readings r WHERE ${readingWhere(meterId, f)}${after}
      ORDER BY r.timestamp DESC, r.id DESC LIMIT ${limit}`,
  );
}

export interface SeriesPoints {
  /** Comma-separated epoch milliseconds, in time order. */
  times: string | null;
  /** Comma-separated decimal values, same order. */
  values: string | null;
  /**
   * Comma-separated series keys, same order: the counter's 1-based position in `counterIds` (0:
   * no counter or another one) and the direction's letter (i feed-in, o feed-out).
   */
  keys: string | null;
  /** Comma-separated 1 (written by the highlighted import) or 0, same order. */
  highlighted: string | null;
}

/**
 * The chart's data, every reading of the meter in time order as four texts: one pass over the
 * (meter_id, timestamp) index into one plain aggregate, no sort and no grouping (grouping by
 * counter sorted 100k rows on disk). PGlite returns rows slowly (PERFORMANCE.md); one row of text
 * splits in JS far faster than 100k row objects are built.
 */
export async function meterSeries(
  db: Db,
  meterId: string,
  f: ReadingFilter,
  counterIds: string[],
  importId: string | null,
) {
  // Every counter gets its chart, whichever one the table is filtered to.
  const rest = { ...f, counter: undefined };
  const [row] = await query<SeriesPoints>(
    db,
    sql`SELECT string_agg(t, ',') AS times, string_agg(v, ',') AS values, string_agg(k, ',') AS keys,
        ${importId ? sql`string_agg(h, ',')` : sql`NULL`} AS highlighted
      FROM (SELECT ((extract(epoch from r.timestamp) * 1000)::bigint)::text AS t, r.value::text AS v,
          coalesce(array_position(${`{${counterIds.join(",")}}`}::uuid[], r.counter_id), 0)::text
            || CASE r.direction WHEN 'feed-in' THEN 'i' WHEN 'feed-out' THEN 'o' ELSE '' END AS k,
          ${importId ? sql`CASE WHEN r.import_id = ${importId}::uuid THEN '1' ELSE '0' END` : sql`NULL`} AS h
        FROM readings r WHERE ${readingWhere(meterId, rest)}
        ORDER BY r.timestamp) s`,
  );
  return row ?? { times: null, values: null, keys: null, highlighted: null };
}

export interface MeterImportRow {
  id: string;
  trigger: string;
  status: string;
  started_at: string;
  counts: Record<string, number>;
  use_case_slug: string | null;
  inbound_event_id: string | null;
}

/** The imports that touched a meter, newest first. */
export function listMeterImports(db: Db, meterId: string, limit = 50) {
  return query<MeterImportRow>(
    db,
    sql`SELECT i.id, i.trigger, i.status, to_char(i.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at,
        i.counts, uc.slug AS use_case_slug, i.inbound_event_id
      FROM import_meters im JOIN imports i ON i.id = im.import_id
      LEFT JOIN use_cases uc ON uc.id = i.use_case_id
      WHERE im.meter_id = ${meterId}
      ORDER BY i.started_at DESC, i.id DESC LIMIT ${limit}`,
  );
}
