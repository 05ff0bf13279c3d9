import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";
import { SOFT_DELETE_DAYS } from "./entity-deletes";
import { jsonParam, query } from "./sql-json";

/** The deleted-entities list's filters (SPEC-ENTITIES 4.2: soft deletes, restorable for 30 days). */
export interface DeletedEntityFilter {
  schema?: string;
  /** A key value (entity_keys, exactly as stored) or the entity's id. */
  value?: string;
  /** Keyset: the last row shown, as `deleted_at` (ISO text with microseconds) and `id`. */
  before?: { at: string; id: string };
}

/** One soft-deleted entity, with the import that deleted it (its last writer). */
export interface DeletedEntityRow {
  id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
  meter_id: string | null;
  /** ISO text in UTC with microseconds (the keyset needs them). */
  deleted_at: string;
  /** When the sweep purges it: `deleted_at` plus SOFT_DELETE_DAYS. */
  purge_at: string;
  import_id: string | null;
  import_trigger: string | null;
  import_started_at: string | null;
  use_case_slug: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoText = (column: SQL) =>
  sql`to_char((${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * Soft-deleted entities, newest deletion first, `limit` of them: a scan of the partial index on
 * deleted_at (only deleted rows are in it), the key-value filter probes of entity_keys' index on
 * values (for the schema asked for, or any). The import that deleted each one is its last writer (`import_id`).
 */
export function listDeletedEntities(db: Db, f: DeletedEntityFilter, limit: number) {
  const where: SQL[] = [sql`e.deleted_at IS NOT NULL`];
  if (f.schema) where.push(sql`e.entity_schema = ${f.schema}`);
  if (f.value) {
    const byId = UUID.test(f.value) ? sql` OR e.id = ${f.value}::uuid` : sql``;
    where.push(
      sql`(e.id IN (SELECT k.entity_id FROM entity_keys k
        WHERE k.value = ${f.value}${f.schema ? sql` AND k.entity_schema = ${f.schema}` : sql``})${byId})`,
    );
  }
  if (f.before)
    where.push(sql`(e.deleted_at, e.id) < (${f.before.at}::timestamptz, ${f.before.id}::uuid)`);
  return query<DeletedEntityRow>(
    db,
    sql`SELECT e.id::text AS id, e.entity_schema, e.attributes, e.meter_id::text AS meter_id,
        ${isoText(sql`e.deleted_at`)} AS deleted_at,
        ${isoText(sql`e.deleted_at + make_interval(days => ${SOFT_DELETE_DAYS})`)} AS purge_at,
        e.import_id::text AS import_id, i.trigger AS import_trigger,
        ${isoText(sql`i.started_at`)} AS import_started_at, uc.slug AS use_case_slug
      FROM entities e
      LEFT JOIN imports i ON i.id = e.import_id
      LEFT JOIN use_cases uc ON uc.id = i.use_case_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY e.deleted_at DESC, e.id DESC LIMIT ${limit}`,
  );
}

/** The schemas that have soft-deleted entities now, for the list's filter. */
export async function deletedEntitySchemas(db: Db): Promise<string[]> {
  const rows = await query<{ entity_schema: string }>(
    db,
    sql`SELECT DISTINCT entity_schema FROM entities WHERE deleted_at IS NOT NULL ORDER BY 1`,
  );
  return rows.map((r) => r.entity_schema);
}

/** An entity a restore works on: as stored, deleted or not. */
export interface RestorableEntity {
  id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
  meter_id: string | null;
  deleted_at: string | null;
  /** Whether `deleted_at` is more than SOFT_DELETE_DAYS before `now` (the sweep's rule). */
  expired: boolean;
  import_id: string | null;
}

/**
 * The entity with this id, its row locked (`forUpdate`) so a sweep or a second restore waits for
 * this transaction; null when there is none (never stored, or purged).
 */
export async function findRestorableEntity(
  db: Db,
  id: string,
  now: Date,
  forUpdate = false,
): Promise<RestorableEntity | null> {
  if (!UUID.test(id)) return null;
  const [row] = await query<RestorableEntity>(
    db,
    sql`SELECT id::text AS id, entity_schema, attributes, meter_id::text AS meter_id,
        ${isoText(sql`deleted_at`)} AS deleted_at,
        coalesce(deleted_at < ${now.toISOString()}::timestamptz - make_interval(days => ${SOFT_DELETE_DAYS}), false) AS expired,
        import_id::text AS import_id
      FROM entities WHERE id = ${id}::uuid${forUpdate ? sql` FOR UPDATE` : sql``}`,
  );
  return row ?? null;
}

/**
 * Live entities of `schema`, other than `exceptId`, whose attributes hold every pair of `values`
 * (through entity_keys, as an import's lookup finds them: `valueKey` text of scalars, any item of
 * a repeatable attribute).
 */
export function liveEntitiesWith(
  db: Db,
  schema: string,
  values: Record<string, unknown>,
  exceptId: string,
) {
  const pairs = Object.entries(values).map(([attribute, v]) => ({
    attribute,
    value: typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v),
  }));
  return query<{ id: string; attributes: Record<string, unknown> }>(
    db,
    sql`SELECT e.id::text AS id, e.attributes FROM entities e
      WHERE e.deleted_at IS NULL AND e.entity_schema = ${schema} AND e.id <> ${exceptId}::uuid
        AND e.id IN (SELECT k.entity_id FROM entity_keys k
          JOIN jsonb_to_recordset(${jsonParam(pairs)}) AS q(attribute text, value text)
            ON k.entity_schema = ${schema} AND k.attribute = q.attribute AND k.value = q.value
          GROUP BY k.entity_id HAVING count(DISTINCT q.attribute) = ${pairs.length})
      ORDER BY e.created_at, e.id LIMIT 10`,
  );
}

/**
 * Brings a soft-deleted entity back into every lookup, relation and list (its keys and relation
 * rows stayed while it was deleted). `import_id` stays the import that deleted it: an undo of that
 * import then finds the row as it left it and puts it back as it was before, which is where the
 * restore brought it already. Returns whether a row changed.
 */
export async function undeleteEntity(db: Db, id: string): Promise<boolean> {
  const rows = await query<{ id: string }>(
    db,
    sql`UPDATE entities SET deleted_at = NULL, updated_at = now()
      WHERE id = ${id}::uuid AND deleted_at IS NOT NULL RETURNING id::text AS id`,
  );
  return rows.length > 0;
}

/** An import's gzipped decisions record alone (imports.decisions), or null. */
export async function findImportDecisions(db: Db, importId: string): Promise<Uint8Array | null> {
  if (!UUID.test(importId)) return null;
  const [row] = await query<{ decisions: string | null }>(
    db,
    sql`SELECT encode(decisions, 'base64') AS decisions FROM imports WHERE id = ${importId}::uuid`,
  );
  return row?.decisions ? Buffer.from(row.decisions, "base64") : null;
}
