import { eq, sql } from "drizzle-orm";
import type { StoredReading } from "../../lib/engine";
import type { Db } from "../client";
import { imports } from "../schema";
import { arrayLiteral, plainArrayLiteral } from "./driver";
import { jsonParam, query } from "./sql-json";

/** A stored reading as an undo compares it: its columns and the import that last wrote it. */
export interface CurrentReading extends StoredReading {
  import_id: string | null;
}

/**
 * The import to undo, locked for the rest of the transaction (FOR UPDATE), so two undos of one
 * import queue and the second sees the first's "undone".
 */
export async function lockImportForUndo(db: Db, importId: string) {
  const [row] = await query<{
    id: string;
    status: string;
    trigger: string;
    use_case_id: string | null;
    undone_by: string | null;
  }>(
    db,
    sql`SELECT id, status, trigger, use_case_id, undone_by FROM imports
        WHERE id = ${importId}::uuid FOR UPDATE`,
  );
  return row ?? null;
}

/** The readings with these ids as stored now, in one query (missing ids are simply absent). */
export async function currentReadings(db: Db, ids: readonly string[]): Promise<CurrentReading[]> {
  if (ids.length === 0) return [];
  const rows = await query<CurrentReading & { attributes: Record<string, unknown> }>(
    db,
    sql`SELECT r.id::text, r.meter_id::text, r.counter_id::text, r.direction, r.external_id,
          to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
          r.value::text AS value, r.source, r.reason, r.attributes, r.berlin_day::text AS berlin_day,
          r.import_id::text
        FROM readings r WHERE r.id = ANY(${plainArrayLiteral(ids)}::uuid[])`,
  );
  return rows;
}

/**
 * Stored readings other than `except` that hold the (meter, external id) of a row to restore:
 * restoring it would break the unique key, so the undo must refuse. One set-based probe of the
 * unique index.
 */
export async function externalIdHolders(
  db: Db,
  rows: readonly { meter_id: string; external_id: string | null }[],
  except: readonly string[],
) {
  const keyed = rows.filter((r) => r.external_id !== null);
  if (keyed.length === 0) return [];
  return query<{ id: string; meter_id: string; external_id: string; import_id: string | null }>(
    db,
    sql`SELECT r.id::text, r.meter_id::text, r.external_id, r.import_id::text
        FROM unnest(${plainArrayLiteral(keyed.map((r) => r.meter_id))}::uuid[],
                    ${arrayLiteral(keyed.map((r) => r.external_id))}::text[]) AS k(meter_id, external_id)
        JOIN readings r ON r.meter_id = k.meter_id AND r.external_id = k.external_id
        WHERE NOT (r.id = ANY(${plainArrayLiteral(except)}::uuid[]))`,
  );
}

/** Which of these entity ids no longer exist (a restored reading must name a stored meter). */
export async function missingEntities(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await query<{ id: string }>(
    db,
    sql`SELECT k.id::text FROM unnest(${plainArrayLiteral(ids)}::uuid[]) AS k(id)
        WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = k.id)`,
  );
  return rows.map((r) => r.id);
}

/** The attributes of these meters (and counters), to name readings by what people know. */
export async function entityAttributes(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, Record<string, unknown>>();
  const rows = await query<{ id: string; attributes: Record<string, unknown> }>(
    db,
    sql`SELECT e.id::text, e.attributes FROM entities e
        WHERE e.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${jsonParam(ids)}))`,
  );
  return new Map(rows.map((r) => [r.id, r.attributes]));
}

/** Trigger and start of these imports, to name the imports that changed a reading since. */
export async function importLabels(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { trigger: string; started_at: string }>();
  const rows = await query<{ id: string; trigger: string; started_at: string }>(
    db,
    sql`SELECT id::text, trigger,
          to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at
        FROM imports WHERE id = ANY(${plainArrayLiteral(ids)}::uuid[])`,
  );
  return new Map(rows.map(({ id, ...rest }) => [id, rest]));
}

/** Sets the import that wrote each of these readings (an undo puts the earlier writers back). */
export async function setReadingWriters(
  db: Db,
  rows: readonly { id: string; import_id: string | null }[],
) {
  if (rows.length === 0) return;
  await db.execute(
    sql`UPDATE readings r SET import_id = k.import_id
        FROM unnest(${plainArrayLiteral(rows.map((r) => r.id))}::uuid[],
                    ${plainArrayLiteral(rows.map((r) => r.import_id))}::uuid[]) AS k(id, import_id)
        WHERE r.id = k.id`,
  );
}

/** Marks an import as undone by `undoId` (inside the undo's transaction). */
export async function markImportUndone(db: Db, importId: string, undoId: string) {
  await db
    .update(imports)
    .set({ status: "undone", undoneBy: undoId })
    .where(eq(imports.id, importId));
}

/** The import an undo reverted (null when `undoId` is no undo). */
export async function findImportUndoneBy(db: Db, undoId: string) {
  const [row] = await db
    .select({ id: imports.id, trigger: imports.trigger, startedAt: imports.startedAt })
    .from(imports)
    .where(eq(imports.undoneBy, undoId));
  return row ?? null;
}
