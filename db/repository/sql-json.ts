import { type SQL, sql } from "drizzle-orm";
import { type Db, rowsOf } from "../client";

/**
 * Bulk parameters travel as one JSON text parameter (`$1::jsonb`): both drivers pass it as-is, and
 * `jsonb_to_recordset` turns it into rows set-based (PERFORMANCE.md: 1.8-2x COPY, no SQL building
 * per row in JS).
 */
export function jsonParam(value: unknown): SQL {
  return sql`${JSON.stringify(value)}::jsonb`;
}

export async function query<T>(db: Db, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement));
}

/** Splits rows into batches so no single statement or JSON.stringify grows unbounded. */
export function* batches<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** A macrotask break between batches, so big writes never block the event loop for long. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
