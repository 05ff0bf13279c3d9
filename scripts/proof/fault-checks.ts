import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { DbClient } from "../../db/client";
import { query } from "../../db/repository";

export type Landed = "whole" | "nothing" | "partial";

export interface TrialState {
  landed: Landed;
  /** Rows of the trial's readings, and what they say. */
  rows: number;
  detail: string;
  /** Events of the trial recorded with status error (kept for replay). */
  failedEvents: number;
  /** Whether every external id is stored exactly once with the value that was sent. */
  exactlyOnce: boolean;
}

/**
 * What the database holds of fault trial `prefix` (external ids `<prefix>-...`, `n` of them,
 * each sent with value = its position): the whole import (n rows, all of one import whose
 * record says it created n), nothing of it (no rows and no applied import record), or anything
 * else, a partial write.
 */
export async function trialState(
  client: DbClient,
  prefix: string,
  correlationId: string,
  n: number,
): Promise<TrialState> {
  const groups = await query<{
    import_id: string | null;
    n: string;
    distinct_ids: string;
    wrong: string;
  }>(
    client.db,
    sql`SELECT import_id, count(*) AS n, count(DISTINCT external_id) AS distinct_ids,
          count(*) FILTER (WHERE value <> split_part(external_id, '-', 3)::numeric) AS wrong
        FROM readings WHERE external_id LIKE ${`${prefix}-%`} GROUP BY import_id`,
  );
  const records = await query<{ id: string; status: string; created: string | null }>(
    client.db,
    sql`SELECT i.id, i.status, i.counts->>'create' AS created FROM imports i
        JOIN inbound_events e ON e.id = i.inbound_event_id WHERE e.correlation_id = ${correlationId}`,
  );
  const [{ failed } = { failed: "0" }] = await query<{ failed: string }>(
    client.db,
    sql`SELECT count(*) AS failed FROM inbound_events WHERE correlation_id = ${correlationId} AND status = 'error'`,
  );
  const rows = groups.reduce((s, g) => s + Number(g.n), 0);
  const applied = records.filter((r) => r.status === "applied");
  const distinct = groups.reduce((s, g) => s + Number(g.distinct_ids), 0);
  const wrong = groups.reduce((s, g) => s + Number(g.wrong), 0);
  const exactlyOnce = rows === n && distinct === n && wrong === 0 && groups.length === 1;
  const detail = `${rows} of ${n} rows in ${groups.length} import(s); ${applied.length} applied import record(s) (created ${applied.map((r) => r.created).join(", ") || "-"})`;
  let landed: Landed = "partial";
  if (rows === 0 && applied.length === 0) landed = "nothing";
  else if (
    exactlyOnce &&
    applied.length === 1 &&
    groups[0]?.import_id === applied[0]?.id &&
    Number(applied[0]?.created) === n
  )
    landed = "whole";
  return { landed, rows, detail, failedEvents: Number(failed), exactlyOnce };
}

/** Small imports beside the big one take well under this; the big one's backend is older. */
export const MIN_IMPORT_AGE_MS = 250;

/**
 * The backend of the database's oldest client transaction that holds advisory locks (imports
 * lock their keys first thing) and is not waiting for a lock, with its age: the big import
 * once it is older than MIN_IMPORT_AGE_MS (small imports beside it end sooner, or wait for it).
 */
async function oldestImport(admin: postgres.Sql, database: string) {
  const [row] = await admin<{ pid: number; age_ms: number }[]>`
    SELECT a.pid, extract(epoch FROM clock_timestamp() - a.xact_start) * 1000 AS age_ms
    FROM pg_stat_activity a
    WHERE a.datname = ${database} AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
      AND a.wait_event_type IS DISTINCT FROM 'Lock'
      AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory')
    ORDER BY a.xact_start LIMIT 1`;
  return row ? { pid: row.pid, ageMs: Number(row.age_ms) } : null;
}

/** Waits until the big import's transaction is `ageMs` old (at least MIN_IMPORT_AGE_MS): its pid. */
export async function importBackend(
  admin: postgres.Sql,
  database: string,
  ageMs: number,
  timeoutMs: number,
): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  const wanted = Math.max(ageMs, MIN_IMPORT_AGE_MS);
  while (Date.now() < deadline) {
    const row = await oldestImport(admin, database);
    if (row && row.ageMs >= wanted) return row.pid;
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

/** The age the oldest import transaction reached while `until` ran: how long an import lasts. */
export async function longestImport(
  admin: postgres.Sql,
  database: string,
  until: Promise<unknown>,
): Promise<number> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  let longest = 0;
  while (!done) {
    const row = await oldestImport(admin, database);
    if (row) longest = Math.max(longest, row.ageMs);
    await new Promise((r) => setTimeout(r, 5));
  }
  return longest;
}
