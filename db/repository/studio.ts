import { and, eq, sql } from "drizzle-orm";
import type { StoredReading } from "../../lib/engine";
import type { Db } from "../client";
import { configVersions } from "../schema";
import { query } from "./sql-json";

/** One published version of a use case; null when the id belongs to another use case. */
export async function findVersion(db: Db, useCaseId: string, id: string) {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.useCaseId, useCaseId), eq(configVersions.id, id)));
  return row ?? null;
}

export interface ReadingDetailsRow extends StoredReading {
  import_id: string | null;
  created_at: string;
  updated_at: string;
  meter_attributes: Record<string, unknown> | null;
  counter_attributes: Record<string, unknown> | null;
}

/** A stored reading with its meter's and counter's attributes, for the studio's details drawer. */
export async function readingDetails(db: Db, id: string): Promise<ReadingDetailsRow | null> {
  const [row] = await query<ReadingDetailsRow>(
    db,
    sql`SELECT r.id, r.meter_id, r.counter_id, r.direction, r.external_id,
          to_char(r.timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
          r.berlin_day::text AS berlin_day, r.value::text AS value, r.source, r.reason, r.attributes,
          r.import_id,
          to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
          to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
          m.attributes AS meter_attributes, c.attributes AS counter_attributes
        FROM readings r
        LEFT JOIN entities m ON m.id = r.meter_id
        LEFT JOIN entities c ON c.id = r.counter_id
        WHERE r.id = ${id}::uuid`,
  );
  return row ?? null;
}
