import { sql } from "drizzle-orm";
import type { Db } from "../client";
import type { InboundEventStatus } from "../schema";
import { attributeKeys } from "./entity-derived";
import { jsonParam, query } from "./sql-json";

export interface EventDetailRow {
  id: string;
  integration_id: string;
  integration_name: string | null;
  use_case_id: string | null;
  use_case_slug: string | null;
  use_case_name: string | null;
  event_name: string | null;
  requested_slug: string | null;
  deduplication_id: string | null;
  correlation_id: string | null;
  received_at: string;
  status: InboundEventStatus;
  error_code: string | null;
  error_message: string | null;
  import_id: string | null;
  request_id: string | null;
  event_index: number | null;
  body_bytes: number | null;
  has_body: boolean;
}

const iso = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export async function findEventDetail(db: Db, id: string) {
  const [row] = await query<EventDetailRow>(
    db,
    sql`SELECT e.id, e.integration_id, g.name AS integration_name, e.use_case_id,
        uc.slug AS use_case_slug, uc.name AS use_case_name, e.event_name,
        e.use_case_slug AS requested_slug, e.deduplication_id, e.correlation_id,
        ${iso("e.received_at")} AS received_at, e.status, e.error_code, e.error_message, e.import_id,
        e.request_id, e.event_index, r.body_bytes, (r.body IS NOT NULL) AS has_body
      FROM inbound_events e
      LEFT JOIN integrations g ON g.id = e.integration_id
      LEFT JOIN use_cases uc ON uc.id = e.use_case_id
      LEFT JOIN inbound_requests r ON r.id = e.request_id
      WHERE e.id = ${id}`,
  );
  return row ?? null;
}

/** The event an import belongs to (the event whose own import it is). */
export async function findEventOfImport(db: Db, importId: string) {
  const [row] = await query<{ id: string }>(
    db,
    sql`SELECT e.id FROM imports i JOIN inbound_events e ON e.id = i.inbound_event_id AND e.import_id = i.id
      WHERE i.id = ${importId}`,
  );
  return row?.id ?? null;
}

export interface ImportDetailRow {
  id: string;
  use_case_id: string | null;
  use_case_slug: string | null;
  use_case_name: string | null;
  integration_id: string | null;
  integration_name: string | null;
  config_version_id: string | null;
  config_version: number | null;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  counts: Record<string, number>;
  error: string | null;
  inbound_event_id: string | null;
  replay_of: string | null;
  undone_by: string | null;
}

export async function findImportDetail(db: Db, id: string) {
  const [row] = await query<ImportDetailRow>(
    db,
    sql`SELECT i.id, i.use_case_id, uc.slug AS use_case_slug, uc.name AS use_case_name,
        uc.integration_id, g.name AS integration_name, i.config_version_id, i.config_version,
        i.trigger, i.status, ${iso("i.started_at")} AS started_at, ${iso("i.finished_at")} AS finished_at,
        i.duration_ms, i.counts, i.error, i.inbound_event_id, i.replay_of, i.undone_by
      FROM imports i
      LEFT JOIN use_cases uc ON uc.id = i.use_case_id
      LEFT JOIN integrations g ON g.id = uc.integration_id
      WHERE i.id = ${id}`,
  );
  return row ?? null;
}

/** An import's stored blobs: the gzipped decisions and audit. */
export async function findImportBlobs(db: Db, id: string) {
  const [row] = await query<{ decisions: unknown; audit: unknown }>(
    db,
    sql`SELECT encode(decisions, 'base64') AS decisions, encode(audit, 'base64') AS audit FROM imports WHERE id = ${id}`,
  );
  if (!row) return null;
  const bytes = (v: unknown) => (typeof v === "string" ? Buffer.from(v, "base64") : null);
  return { decisions: bytes(row.decisions), audit: bytes(row.audit) };
}

/** The gzipped body of an inbound request (null when it has none). */
export async function findRequestBody(db: Db, requestId: string) {
  const [row] = await query<{ body: string | null }>(
    db,
    sql`SELECT encode(body, 'base64') AS body FROM inbound_requests WHERE id = ${requestId}`,
  );
  return row?.body ? Buffer.from(row.body, "base64") : null;
}

export interface VersionRow {
  id: string;
  version: number;
  config: unknown;
  config_text: string | null;
  message: string;
  published_at: string;
}

/** A configuration version by id, and the latest published version of its use case. */
export async function findVersionAndLatest(db: Db, versionId: string | null, useCaseId: string) {
  const rows = await query<VersionRow & { which: "ran" | "latest" }>(
    db,
    sql`(SELECT 'ran' AS which, id, version, config, config_text, message, ${iso("published_at")} AS published_at
        FROM config_versions WHERE id = ${versionId})
      UNION ALL
      (SELECT 'latest' AS which, id, version, config, config_text, message, ${iso("published_at")} AS published_at
        FROM config_versions WHERE use_case_id = ${useCaseId} ORDER BY version DESC LIMIT 1)`,
  );
  return {
    ran: rows.find((r) => r.which === "ran") ?? null,
    latest: rows.find((r) => r.which === "latest") ?? null,
  };
}

/**
 * Scalar attribute values of these entities (for naming meters and counters in decisions), from
 * their attributes: entity_keys holds only the attributes lookups use.
 */
export async function entityKeyValues(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  const rows = await query<{ entity_id: string; attributes: Record<string, unknown> }>(
    db,
    sql`SELECT id::text AS entity_id, attributes FROM entities
      WHERE id IN (SELECT v::uuid FROM jsonb_array_elements_text(${jsonParam(ids)}) AS v)
      ORDER BY id`,
  );
  const values: { entity_id: string; attribute: string; value: string }[] = [];
  for (const { entity_id, attributes } of rows)
    for (const attribute of Object.keys(attributes).sort())
      for (const value of attributeKeys(attributes[attribute]))
        values.push({ entity_id, attribute, value });
  return values;
}

export interface CurrentReadingRow {
  id: string;
  meter_id: string;
  counter_id: string | null;
  direction: string | null;
  external_id: string | null;
  timestamp: string;
  berlin_day: string;
  value: string;
  source: string | null;
  reason: string | null;
  attributes: Record<string, unknown>;
  import_id: string | null;
}

/** The readings with these ids as stored now (the "after" of an audit, a decision's values). */
export function readingsByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return query<CurrentReadingRow>(
    db,
    sql`SELECT id, meter_id, counter_id, direction, external_id,
        to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS timestamp,
        berlin_day::text AS berlin_day, value::text AS value, source, reason, attributes, import_id
      FROM readings WHERE id IN (SELECT v::uuid FROM jsonb_array_elements_text(${jsonParam(ids)}) AS v)`,
  );
}

/** The counters of an import's meters that got no reading from it (register coverage). */
export function uncoveredCounters(db: Db, importId: string, coveredCounterIds: string[]) {
  return query<{
    id: string;
    meter_id: string;
    attributes: Record<string, unknown>;
    meter_attributes: Record<string, unknown>;
  }>(
    db,
    sql`SELECT c.id, c.meter_id, c.attributes, m.attributes AS meter_attributes FROM import_meters im
      JOIN entities c ON c.meter_id = im.meter_id AND c.entity_schema = 'meter_counter'
      JOIN entities m ON m.id = im.meter_id
      WHERE im.import_id = ${importId}
        AND c.id NOT IN (SELECT v::uuid FROM jsonb_array_elements_text(${jsonParam(coveredCounterIds)}) AS v)
      ORDER BY c.meter_id, c.created_at LIMIT 500`,
  );
}

/** Every event of one ERP run (its correlation id), in the order they arrived. */
export function eventsOfCorrelation(db: Db, correlationId: string) {
  return query<{ id: string; status: string; received_at: string; use_case_slug: string | null }>(
    db,
    sql`SELECT id, status, ${iso("received_at")} AS received_at, use_case_slug FROM inbound_events
      WHERE correlation_id = ${correlationId} ORDER BY received_at, id LIMIT 200`,
  );
}
