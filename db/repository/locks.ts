import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { jsonParam } from "./sql-json";

/** Lock classes, always taken in this order: entity key values first, then meters. */
export const LOCK_CLASS = { entityKey: 1, meter: 2, deduplication: 3 } as const;

/** Keys hash into this many locks per class: bounded lock-table use, rare false sharing. */
const BUCKETS = 4096;

function bucket(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % BUCKETS;
}

/**
 * Takes transaction-scoped advisory locks on the given keys, in sorted order, so concurrent
 * imports touching the same meters serialize and never deadlock (see import-service.ts).
 */
export async function lockKeys(db: Db, lockClass: number, keys: Iterable<string>) {
  const buckets = [...new Set([...keys].map(bucket))].sort((a, b) => a - b);
  if (buckets.length === 0) return;
  await db.execute(
    sql`SELECT count(pg_advisory_xact_lock(${lockClass}::int, k)) FROM
          (SELECT value::int AS k FROM jsonb_array_elements_text(${jsonParam(buckets)}) ORDER BY 1) AS s`,
  );
}
