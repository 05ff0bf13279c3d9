import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { query } from "./sql-json";

/** Events per Berlin day and status since `since` (a range scan of received_at). */
export function eventsPerDay(db: Db, since: string) {
  return query<{ day: string; status: string; n: number }>(
    db,
    sql`SELECT (received_at AT TIME ZONE 'Europe/Berlin')::date::text AS day, status, count(*)::int AS n
      FROM inbound_events WHERE received_at >= ${since}::timestamptz
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
}

/** The most frequent error codes since `since`: failed events' codes and error decisions' codes. */
export function topErrorCodes(db: Db, since: string, limit = 10) {
  return query<{ code: string; events: number; imports: number; decisions: number }>(
    db,
    sql`SELECT code, sum(events)::int AS events, sum(imports)::int AS imports, sum(decisions)::int AS decisions FROM (
        SELECT error_code AS code, count(*) AS events, 0 AS imports, 0 AS decisions FROM inbound_events
          WHERE received_at >= ${since}::timestamptz AND status = 'error' AND error_code IS NOT NULL
          GROUP BY error_code
        UNION ALL
        SELECT c.code, 0, count(*), sum(c.count) FROM import_codes c
          JOIN imports i ON i.id = c.import_id
          WHERE c.action = 'error' AND i.started_at >= ${since}::timestamptz
          GROUP BY c.code) t
      GROUP BY code ORDER BY sum(events) + sum(imports) DESC, sum(decisions) DESC, code LIMIT ${limit}`,
  );
}

/** Use cases ranked by failed events plus imports with failing readings since `since`. */
export function erringUseCases(db: Db, since: string, limit = 10) {
  return query<{
    use_case_id: string;
    slug: string;
    integration_id: string;
    integration_name: string;
    failed_events: number;
    failing_readings: number;
  }>(
    db,
    sql`WITH per AS (
        SELECT use_case_id, count(*) AS failed_events, 0 AS failing_readings FROM inbound_events
          WHERE received_at >= ${since}::timestamptz AND status = 'error' AND use_case_id IS NOT NULL
          GROUP BY use_case_id
        UNION ALL
        SELECT use_case_id, 0, sum((counts->>'error')::int) FROM imports
          WHERE started_at >= ${since}::timestamptz AND use_case_id IS NOT NULL AND (counts->>'error')::int > 0
          GROUP BY use_case_id)
      SELECT uc.id AS use_case_id, uc.slug, g.id AS integration_id, g.name AS integration_name,
        sum(per.failed_events)::int AS failed_events, sum(per.failing_readings)::int AS failing_readings
      FROM per JOIN use_cases uc ON uc.id = per.use_case_id JOIN integrations g ON g.id = uc.integration_id
      GROUP BY uc.id, uc.slug, g.id, g.name
      ORDER BY sum(per.failed_events) DESC, sum(per.failing_readings) DESC LIMIT ${limit}`,
  );
}

/** Each integration's last successful event (an index probe per integration, newest first). */
export function lastSuccessPerIntegration(db: Db) {
  return query<{
    integration_id: string;
    integration_name: string;
    event_id: string | null;
    received_at: string | null;
    use_case_slug: string | null;
  }>(
    db,
    sql`SELECT g.id AS integration_id, g.name AS integration_name, last.id AS event_id,
        to_char(last.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received_at,
        last.use_case_slug
      FROM integrations g
      LEFT JOIN LATERAL (SELECT e.id, e.received_at, coalesce(e.use_case_slug, uc.slug) AS use_case_slug
        FROM inbound_events e LEFT JOIN use_cases uc ON uc.id = e.use_case_id
        WHERE e.integration_id = g.id AND e.status = 'success'
        ORDER BY e.received_at DESC LIMIT 1) last ON TRUE
      ORDER BY last.received_at DESC NULLS LAST, g.name`,
  );
}

/** Integrations and use cases, for the list's filter menus. */
export function filterChoices(db: Db) {
  return query<{
    integration_id: string;
    integration_name: string;
    use_case_id: string | null;
    slug: string | null;
  }>(
    db,
    sql`SELECT g.id AS integration_id, g.name AS integration_name, uc.id AS use_case_id, uc.slug
      FROM integrations g LEFT JOIN use_cases uc ON uc.integration_id = g.id
      ORDER BY g.name, uc.slug LIMIT 1000`,
  );
}
