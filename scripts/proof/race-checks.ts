import { sql } from "drizzle-orm";
import type { DbClient } from "../../db/client";
import { query } from "../../db/repository";
import { decodeDecisions } from "../../lib/server/imports/import-record";
import { commitOrder } from "./commit-order";

/** A post of the race, as sent and as answered. */
export interface RacePost {
  readings: { meterId: string; id: string; timestamp: string; value: number }[];
  importId?: string;
}

export interface RaceCheck {
  /** Extra rows of one (meter, external id). */
  idDuplicates: number;
  /** Extra rows of one meter + counter + direction + Berlin day. */
  dayDuplicates: number;
  /** Extra meters of one meter number. */
  entityDuplicates: number;
  /** Readings whose stored value is not the last committed writer's (or that vanished). */
  lostUpdates: number;
  /** Successful posts whose import is not in the database. */
  lostImports: number;
  /** Readings written by more than one post: how much the posts really overlapped. */
  contested: number;
  examples: string[];
}

interface Row {
  id: string;
  meter: string;
  meter_id: string;
  counter_id: string | null;
  direction: string | null;
  external_id: string | null;
  berlin_day: string;
  value: string;
}

const WRITES = new Set(["create", "update", "unchanged"]);

/**
 * Checks the race's meters (meter numbers starting with `prefix`) in the database after the
 * posts. A lost update, precisely: for a stored reading, take the successful posts whose import
 * decided to create, update or leave unchanged that very row (the import's recorded decisions);
 * the post whose import committed last among them (the proof's commit order, see
 * commit-order.ts) sent the value the row must hold. A row holding another value, or missing
 * while an import says it wrote it, is a lost update.
 */
export async function checkRace(
  client: DbClient,
  prefix: string,
  posts: RacePost[],
): Promise<RaceCheck> {
  const rows = await query<Row>(
    client.db,
    sql`SELECT r.id, e.attributes->>'meter_number' AS meter, r.meter_id, r.counter_id, r.direction,
          r.external_id, r.berlin_day::text AS berlin_day, r.value::text AS value
        FROM readings r JOIN entities e ON e.id = r.meter_id
        WHERE e.attributes->>'meter_number' LIKE ${`${prefix}%`}`,
  );
  const check: RaceCheck = {
    idDuplicates: 0,
    dayDuplicates: 0,
    entityDuplicates: 0,
    lostUpdates: 0,
    lostImports: 0,
    contested: 0,
    examples: [],
  };
  const extra = (keys: string[]) => {
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    return [...counts.entries()].filter(([, n]) => n > 1);
  };
  for (const [k, n] of extra(
    rows.filter((r) => r.external_id !== null).map((r) => `${r.meter} ${r.external_id}`),
  )) {
    check.idDuplicates += n - 1;
    check.examples.push(`${n} rows of (meter, external id) ${k}`);
  }
  for (const [k, n] of extra(
    rows.map((r) => `${r.meter} ${r.counter_id} ${r.direction} ${r.berlin_day}`),
  )) {
    check.dayDuplicates += n - 1;
    check.examples.push(`${n} rows on one Berlin day: ${k}`);
  }
  const meters = await query<{ value: string; n: string }>(
    client.db,
    sql`SELECT value, count(DISTINCT entity_id) AS n FROM entity_keys
        WHERE entity_schema = 'meter' AND attribute = 'meter_number' AND value LIKE ${`${prefix}%`}
        GROUP BY value HAVING count(DISTINCT entity_id) > 1`,
  );
  for (const m of meters) {
    check.entityDuplicates += Number(m.n) - 1;
    check.examples.push(`${m.n} meters numbered ${m.value}`);
  }

  const order = await commitOrder(client);
  const writers = new Map<string, { seq: number; value: number; post: number }[]>();
  for (const [p, post] of posts.entries()) {
    if (!post.importId) continue;
    const [record] = await query<{ decisions: Uint8Array | null; status: string }>(
      client.db,
      sql`SELECT decisions, status FROM imports WHERE id = ${post.importId}`,
    );
    const seq = order.get(post.importId);
    if (!record?.decisions || record.status !== "applied" || seq === undefined) {
      check.lostImports++;
      check.examples.push(
        `post ${p} succeeded with import ${post.importId}, which is not in the database as applied`,
      );
      continue;
    }
    const { decisions } = await decodeDecisions(record.decisions);
    for (const d of decisions) {
      if (d.item !== 0 || d.index === null || !d.reading_id || !WRITES.has(d.action)) continue;
      const sent = post.readings[d.index];
      if (!sent) continue;
      const list = writers.get(d.reading_id) ?? [];
      list.push({ seq, value: sent.value, post: p });
      writers.set(d.reading_id, list);
    }
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [id, list] of writers) {
    if (list.length > 1) check.contested++;
    const last = list.reduce((a, b) => (b.seq > a.seq ? b : a));
    const row = byId.get(id);
    if (row && Number(row.value) === last.value) continue;
    check.lostUpdates++;
    if (check.examples.length < 20)
      check.examples.push(
        row
          ? `reading ${row.meter} ${row.external_id} holds ${row.value}, but post ${last.post} (committed last of ${list.length} writers) sent ${last.value}`
          : `reading ${id} was written by ${list.length} posts but is not stored`,
      );
  }
  return check;
}
