import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { sendAhead, settleInOrder, uuidArrayLiteral, uuidLiteral } from "./driver";
import { jsonParam } from "./sql-json";

export interface ImportTouches {
  meterIds: string[];
  codes: { code: string; action: string; count: number }[];
}

/**
 * Records which meters an import touched and how often each decision code occurred, in two
 * set-based statements, so support's list filters by meter or code through an index instead of
 * decoding every import's gzipped decisions. Resolves once both are sent (on PGlite: run), with
 * `done` for when they have run: what the caller sends next queues behind them.
 */
export async function sendImportTouches(
  db: Db,
  importId: string,
  touches: ImportTouches,
): Promise<{ done: Promise<void> }> {
  const sent: Promise<void>[] = [];
  if (touches.meterIds.length > 0) {
    // Its values written into the statement: it goes out at once, where a statement with
    // parameters waited for the server to describe it first (postgres.js), at the end of every
    // import.
    sent.push(
      (
        await sendAhead(
          db,
          sql`INSERT INTO import_meters (meter_id, import_id)
            SELECT m, ${uuidLiteral(importId)} FROM unnest(${uuidArrayLiteral([...new Set(touches.meterIds)])}) AS m`,
        )
      ).done,
    );
  }
  if (touches.codes.length > 0) {
    sent.push(
      (
        await sendAhead(
          db,
          sql`INSERT INTO import_codes (code, import_id, action, count)
            SELECT q.code, ${importId}::uuid, q.action, q.count
            FROM jsonb_to_recordset(${jsonParam(touches.codes)}) AS q(code text, action text, count int)
            ON CONFLICT DO NOTHING`,
        )
      ).done,
    );
  }
  const done = settleInOrder(sent);
  done.catch(() => {});
  return { done };
}

/** sendImportTouches, resolved once both statements have run. */
export async function insertImportTouches(db: Db, importId: string, touches: ImportTouches) {
  await (await sendImportTouches(db, importId, touches)).done;
}
