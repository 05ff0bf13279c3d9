import { sql } from "drizzle-orm";
import type {
  EntityKeys,
  EntityWrite,
  StateCounter,
  StateEntity,
  StateMeter,
} from "../../lib/engine";
import type { Db } from "../client";
import { jsonParam, query } from "./sql-json";

export interface LoadedEntities {
  meters: StateMeter[];
  counters: StateCounter[];
  entities: StateEntity[];
}

interface EntityRow {
  id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
  meter_id: string | null;
}

function lookupRows(keys: EntityKeys, only?: (schema: string) => boolean) {
  const rows: { entity_schema: string; attribute: string; value: string }[] = [];
  for (const [schema, byAttribute] of keys) {
    if (only && !only(schema)) continue;
    for (const [attribute, values] of byAttribute)
      for (const value of values) rows.push({ entity_schema: schema, attribute, value });
  }
  return rows;
}

/**
 * The entities a payload refers to, found through entity_keys in set-based queries. Counters are
 * restricted to the loaded meters (and unattached ones) plus one foreign counter per looked-up
 * value, which is all the engine needs to tell COUNTER_METER_MISMATCH from COUNTER_NOT_FOUND
 * without loading every "HT" counter of the platform.
 */
export async function loadEntities(db: Db, keys: EntityKeys): Promise<LoadedEntities> {
  const lookups = lookupRows(keys, (s) => s !== "meter_counter");
  const found =
    lookups.length === 0
      ? []
      : await query<EntityRow>(
          db,
          sql`SELECT e.id, e.entity_schema, e.attributes, e.meter_id FROM entities e
        WHERE e.id IN (SELECT k.entity_id FROM entity_keys k
          JOIN jsonb_to_recordset(${jsonParam(lookups)}) AS q(entity_schema text, attribute text, value text)
            ON k.entity_schema = q.entity_schema AND k.attribute = q.attribute AND k.value = q.value)
        ORDER BY e.created_at, e.id`,
        );
  const meters = found.filter((e) => e.entity_schema === "meter");
  const counterLookups = lookupRows(keys, (s) => s === "meter_counter");
  let counters: EntityRow[] = [];
  if (counterLookups.length > 0) {
    const meterIds = jsonParam(meters.map((m) => m.id));
    counters = await query<EntityRow>(
      db,
      sql`WITH q AS (SELECT * FROM jsonb_to_recordset(${jsonParam(counterLookups)}) AS q(entity_schema text, attribute text, value text)),
          hits AS (SELECT k.entity_id, q.attribute, q.value, e.meter_id FROM entity_keys k
            JOIN q ON k.entity_schema = q.entity_schema AND k.attribute = q.attribute AND k.value = q.value
            JOIN entities e ON e.id = k.entity_id),
          own AS (SELECT entity_id FROM hits WHERE meter_id IS NULL
            OR meter_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${meterIds}))),
          foreign_one AS (SELECT DISTINCT ON (attribute, value) entity_id FROM hits ORDER BY attribute, value, entity_id)
          SELECT e.id, e.entity_schema, e.attributes, e.meter_id FROM entities e
          WHERE e.id IN (SELECT entity_id FROM own UNION SELECT entity_id FROM foreign_one)
          ORDER BY e.created_at, e.id`,
    );
  }
  return {
    meters: meters.map(({ id, attributes }) => ({ id, attributes })),
    counters: counters.map(({ id, attributes, meter_id }) => ({ id, attributes, meter_id })),
    entities: found
      .filter((e) => e.entity_schema !== "meter")
      .map(({ id, entity_schema, attributes }) => ({ id, entity_schema, attributes })),
  };
}

/** Rebuilds the lookup keys of entities from their attributes (scalars only, as text). */
async function refreshKeys(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  const idList = jsonParam(ids);
  await db.execute(
    sql`DELETE FROM entity_keys WHERE entity_id IN (SELECT value::uuid FROM jsonb_array_elements_text(${idList}))`,
  );
  await db.execute(
    sql`INSERT INTO entity_keys (entity_id, entity_schema, attribute, value)
        SELECT e.id, e.entity_schema, kv.key, kv.value #>> '{}' FROM entities e, jsonb_each(e.attributes) kv
        WHERE e.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${idList}))
          AND jsonb_typeof(kv.value) IN ('string', 'number', 'boolean')
        ON CONFLICT DO NOTHING`,
  );
}

/** Writes entity creates (ids already real) and updates (attributes merged over the stored ones). */
export async function writeEntities(db: Db, creates: EntityWrite[], updates: EntityWrite[]) {
  if (creates.length > 0) {
    await db.execute(
      sql`INSERT INTO entities (id, entity_schema, attributes, meter_id)
          SELECT id, entity_schema, attributes, meter_id
          FROM jsonb_to_recordset(${jsonParam(creates)}) AS x(id uuid, entity_schema text, attributes jsonb, meter_id uuid)`,
    );
  }
  if (updates.length > 0) {
    const rows = updates.map((u) => ({
      ...u,
      set_meter: u.meter_id !== undefined,
      meter_id: u.meter_id ?? null,
    }));
    await db.execute(
      sql`UPDATE entities e SET attributes = e.attributes || x.attributes,
            meter_id = CASE WHEN x.set_meter THEN x.meter_id ELSE e.meter_id END, updated_at = now()
          FROM jsonb_to_recordset(${jsonParam(rows)}) AS x(id uuid, attributes jsonb, set_meter boolean, meter_id uuid)
          WHERE e.id = x.id`,
    );
  }
  await refreshKeys(
    db,
    [...creates, ...updates].map((e) => e.id),
  );
}
