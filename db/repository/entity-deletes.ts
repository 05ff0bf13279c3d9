import { sql } from "drizzle-orm";
import type { EntityDeletion } from "../../lib/engine";
import type { Db } from "../client";
import { plainArrayLiteral } from "./driver";
import { writeDerivedRows } from "./entity-derived";
import { jsonParam, query } from "./sql-json";
import type { CurrentReading } from "./undo";

/** How long a soft-deleted entity can be restored before the sweep purges it (SPEC-ENTITIES 4.2). */
export const SOFT_DELETE_DAYS = 30;

/**
 * An entity row exactly as stored, for the import's audit: timestamps as Postgres prints them
 * (microseconds and offset), so putting the row back restores it to the last digit.
 */
export interface EntitySnapshot {
  id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
  meter_id: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  import_id: string | null;
}

/** The columns of a snapshot, of `entities e`. */
export const SNAPSHOT =
  sql.raw(`e.id::text AS id, e.entity_schema, e.attributes, e.meter_id::text AS meter_id,
  e.created_at::text AS created_at, e.updated_at::text AS updated_at,
  e.deleted_at::text AS deleted_at, e.import_id::text AS import_id`);

/**
 * The rows an import is about to change, as they are: `ids`, and the counters of `purged` meters
 * (a purge sets their meter to null).
 */
export async function entitySnapshots(
  db: Db,
  ids: readonly string[],
  purged: readonly string[] = [],
): Promise<EntitySnapshot[]> {
  if (ids.length === 0 && purged.length === 0) return [];
  return query<EntitySnapshot>(
    db,
    sql`SELECT ${SNAPSHOT} FROM entities e
        WHERE e.id = ANY(${plainArrayLiteral(ids)}::uuid[])
           OR e.meter_id = ANY(${plainArrayLiteral(purged)}::uuid[])
        ORDER BY e.created_at, e.id`,
  );
}

/** The readings of these meters and counters as stored, in one query (a purge takes them along). */
export async function readingsOfEntities(
  db: Db,
  ids: readonly string[],
): Promise<CurrentReading[]> {
  if (ids.length === 0) return [];
  const list = sql`${plainArrayLiteral(ids)}::uuid[]`;
  return query<CurrentReading>(
    db,
    sql`SELECT r.id::text, r.meter_id::text, r.counter_id::text, r.direction, r.external_id,
          to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
          r.value::text AS value, r.source, r.reason, r.attributes, r.berlin_day::text AS berlin_day,
          r.import_id::text
        FROM readings r WHERE r.meter_id = ANY(${list}) OR r.counter_id = ANY(${list})`,
  );
}

/**
 * Applies a plan's deletions set-based: soft deletes set `deleted_at` (out of every lookup from
 * now on), purges remove the rows for good with their lookup keys, relation rows and the readings
 * of purged meters and counters (the caller keeps those in the audit first).
 */
export async function deleteEntities(
  db: Db,
  deletions: readonly EntityDeletion[],
  importId: string | null,
) {
  const soft = deletions.filter((d) => d.mode === "delete").map((d) => d.id);
  const purge = deletions.filter((d) => d.mode === "purge").map((d) => d.id);
  if (soft.length > 0)
    await db.execute(
      sql`UPDATE entities SET deleted_at = now(), import_id = ${importId}::uuid
          WHERE id = ANY(${plainArrayLiteral(soft)}::uuid[]) AND deleted_at IS NULL`,
    );
  if (purge.length > 0) await purgeEntities(db, purge);
}

/** Removes entities for good, with their readings (a counter's too: SPEC-ENTITIES 4.2). */
export async function purgeEntities(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return;
  const list = sql`${plainArrayLiteral(ids)}::uuid[]`;
  await db.execute(
    sql`DELETE FROM readings WHERE meter_id = ANY(${list}) OR counter_id = ANY(${list})`,
  );
  await db.execute(sql`DELETE FROM entities WHERE id = ANY(${list})`);
}

/**
 * Purges the entities soft-deleted more than 30 days before `now`, in one statement (through the
 * partial index on deleted_at). Returns how many went.
 */
export async function purgeExpiredEntities(db: Db, now: Date = new Date()): Promise<number> {
  const expired = await query<{ id: string }>(
    db,
    sql`SELECT id::text FROM entities
        WHERE deleted_at IS NOT NULL AND deleted_at < ${now.toISOString()}::timestamptz - make_interval(days => ${SOFT_DELETE_DAYS})`,
  );
  await purgeEntities(
    db,
    expired.map((e) => e.id),
  );
  return expired.length;
}

/**
 * Puts entity rows back exactly as a snapshot holds them (inserting those that are gone), then
 * rebuilds their lookup keys and relation rows: an undo.
 */
export async function restoreEntities(db: Db, rows: readonly EntitySnapshot[]) {
  if (rows.length === 0) return;
  await db.execute(
    sql`INSERT INTO entities (id, entity_schema, attributes, meter_id, created_at, updated_at, deleted_at, import_id)
        SELECT id, entity_schema, attributes, meter_id, created_at, updated_at, deleted_at, import_id
        FROM jsonb_to_recordset(${jsonParam(rows)}) AS x(id uuid, entity_schema text, attributes jsonb,
          meter_id uuid, created_at timestamptz, updated_at timestamptz, deleted_at timestamptz, import_id uuid)
        ORDER BY (meter_id IS NOT NULL)
        ON CONFLICT (id) DO UPDATE SET entity_schema = excluded.entity_schema,
          attributes = excluded.attributes, meter_id = excluded.meter_id,
          created_at = excluded.created_at, updated_at = excluded.updated_at,
          deleted_at = excluded.deleted_at, import_id = excluded.import_id`,
  );
  await writeDerivedRows(db, rows, "all");
}
