import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { plainArrayLiteral } from "./driver";
import { jsonParam } from "./sql-json";

export interface ImportTouches {
  meterIds: string[];
  codes: { code: string; action: string; count: number }[];
}

/**
 * Records which meters an import touched and how often each decision code occurred, in two
 * set-based statements, so support's list filters by meter or code through an index instead of
 * decoding every import's gzipped decisions.
 */
export async function insertImportTouches(db: Db, importId: string, touches: ImportTouches) {
  if (touches.meterIds.length > 0) {
    await db.execute(
      sql`INSERT INTO import_meters (meter_id, import_id)
        SELECT m, ${importId}::uuid FROM unnest(${plainArrayLiteral([...new Set(touches.meterIds)])}::uuid[]) AS m`,
    );
  }
  if (touches.codes.length > 0) {
    await db.execute(
      sql`INSERT INTO import_codes (code, import_id, action, count)
        SELECT q.code, ${importId}::uuid, q.action, q.count
        FROM jsonb_to_recordset(${jsonParam(touches.codes)}) AS q(code text, action text, count int)
        ON CONFLICT DO NOTHING`,
    );
  }
}
