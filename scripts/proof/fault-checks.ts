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

/**
 * The big import holds an advisory lock per key bucket it touches (about 200 for 100 meters and
 * their numbers); a small import beside it a handful. Lock counts, not ages, tell them apart: a
 * small import can sit idle in its transaction for a second while its thread plans the big one.
 */
export const BIG_IMPORT_LOCKS = 50;

/** The backend of the transaction holding the most advisory locks, if it is the big import's. */
async function bigImport(admin: postgres.Sql, database: string) {
  const [row] = await admin<{ pid: number; age_ms: number }[]>`
    SELECT a.pid, extract(epoch FROM clock_timestamp() - a.xact_start) * 1000 AS age_ms
    FROM pg_stat_activity a
    JOIN (SELECT pid, count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
          GROUP BY pid) l ON l.pid = a.pid
    WHERE a.datname = ${database} AND a.xact_start IS NOT NULL AND l.n >= ${BIG_IMPORT_LOCKS}
    ORDER BY l.n DESC LIMIT 1`;
  return row ? { pid: row.pid, ageMs: Number(row.age_ms) } : null;
}

/**
 * Waits until the big import's transaction is `ageMs` old: its backend's pid; null when `until`
 * (the import's request) settles first.
 */
export async function importBackend(
  admin: postgres.Sql,
  database: string,
  ageMs: number,
  until: Promise<unknown>,
): Promise<number | null> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const row = await bigImport(admin, database);
    if (row && row.ageMs >= ageMs) return row.pid;
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

/** The age the big import's transaction reached while `until` ran: how long it lasts. */
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
    const row = await bigImport(admin, database);
    if (row) longest = Math.max(longest, row.ageMs);
    await new Promise((r) => setTimeout(r, 5));
  }
  return longest;
}
