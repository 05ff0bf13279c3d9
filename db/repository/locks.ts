import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { jsonParam } from "./sql-json";

/**
 * Lock classes. An import takes its event's deduplication lock, then the keyed attributes (one
 * lock: shared by every writer of entities, exclusive while new ones are registered), then entity
 * key values, then meters.
 */
export const LOCK_CLASS = { entityKey: 1, meter: 2, deduplication: 3, keyAttributes: 4 } as const;

/** The lock name of an entity key value (class entityKey): what an import looks up or creates. */
export const entityKeyLockName = (schema: string, attribute: string, value: string) =>
  `${schema}\u0000${attribute}\u0000${value}`;

/** Keys hash into this many locks per class: bounded lock-table use, rare false sharing. */
const BUCKETS = 4096;

function bucket(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % BUCKETS;
}

/** The lock on a class's whole key space (no bucket is negative). */
const WHOLE_CLASS = -1;

/**
 * Past this many buckets, a class's whole key space is locked at once. Postgres keeps advisory
 * locks in a shared table with room for about 64 per connection: an import naming 10k meters took
 * 8k bucket locks, and a second such import at the same time failed with "out of shared memory".
 */
const MAX_BUCKETS = 256;

/**
 * Takes transaction-scoped advisory locks on the given keys, so concurrent imports touching the
 * same meters serialize and never deadlock (see import-service.ts). Few keys: the class's
 * whole-space lock shared, then their buckets, in sorted order. Many keys: the whole-space lock
 * alone, exclusively (one lock; it waits for every import holding any bucket of the class). Every
 * transaction takes a class's locks in the same order (whole space, then buckets ascending), and
 * the classes in one order, so they cannot deadlock.
 */
export async function lockKeys(db: Db, lockClass: number, keys: Iterable<string>) {
  // Hashed only until the whole space is due: a 40k-key import needs a few hundred of them.
  const distinct = new Set<number>();
  for (const key of keys) {
    distinct.add(bucket(key));
    if (distinct.size > MAX_BUCKETS) break;
  }
  const buckets = [...distinct].sort((a, b) => a - b);
  if (buckets.length === 0) return;
  if (buckets.length > MAX_BUCKETS) {
    await db.execute(sql`SELECT pg_advisory_xact_lock(${lockClass}::int, ${WHOLE_CLASS}::int)`);
    return;
  }
  await db.execute(
    sql`SELECT pg_advisory_xact_lock_shared(${lockClass}::int, ${WHOLE_CLASS}::int)`,
  );
  await db.execute(
    sql`SELECT count(pg_advisory_xact_lock(${lockClass}::int, k)) FROM
          (SELECT value::int AS k FROM jsonb_array_elements_text(${jsonParam(buckets)}) ORDER BY 1) AS s`,
  );
}
