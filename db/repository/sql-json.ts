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

/**
 * A bytea value as base64 text decoded by the database. PGlite took ~200 ms per MB to take a
 * Buffer parameter (synchronously, on the event loop's thread); `decode(..., 'base64')` of the same
 * bytes took a tenth of that. Postgres is indifferent.
 */
export function byteaValue(bytes: Uint8Array | null | undefined): SQL | null {
  if (!bytes) return null;
  return sql`decode(${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}, 'base64')`;
}

export async function query<T>(db: Db, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await db.execute(statement));
}

/** A macrotask break between batches, so big writes never block the event loop for long. */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
