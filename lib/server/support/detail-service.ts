import "server-only";
import type { Db } from "../../../db/client";
import {
  type EventDetailRow,
  eventsOfCorrelation,
  findEventDetail,
  findEventOfImport,
  findImportDetail,
  findMeterIdsByValue,
  findVersionAndLatest,
  type ImportDetailRow,
  readingsByIds,
  uncoveredCounters,
  type VersionRow,
} from "../../../db/repository";
import type { StoredReading } from "../../engine";
import type { RecordedEntityDecision } from "../imports/import-record";
import { type DecisionFilter, type DecisionsPage, decisionsPage } from "./decisions-page";
import { recordedImport } from "./recorded-decisions";
import { isUuid } from "./uuid";

export const AUDIT_PAGE_SIZE = 200;
/** Entity decisions sent to the page (filtered there); the count covers all. */
export const ENTITY_DECISIONS_SHOWN = 5_000;

export interface AuditEntry {
  before: StoredReading;
  /** The row as stored now; null when it is gone (deleted by this import or later). */
  after: Record<string, unknown> | null;
}

export interface ImportDetail {
  import: ImportDetailRow;
  warnings: { code: string; message: string; path: string }[];
  decisions: DecisionsPage;
  entityCount: number;
  /** The first ENTITY_DECISIONS_SHOWN entity decisions, in plan order. */
  entities: RecordedEntityDecision[];
  audit: { total: number; rows: AuditEntry[] };
  versions: { ran: VersionRow | null; latest: VersionRow | null };
  uncovered: Awaited<ReturnType<typeof uncoveredCounters>>;
}

export interface SupportDetail {
  event: EventDetailRow | null;
  correlation: Awaited<ReturnType<typeof eventsOfCorrelation>>;
  import: ImportDetail | null;
}

async function importDetail(
  db: Db,
  row: ImportDetailRow,
  filter: DecisionFilter,
  offset: number,
): Promise<ImportDetail> {
  const record = await recordedImport(db, row.id);
  const meterIds = filter.meter
    ? isUuid(filter.meter)
      ? [filter.meter]
      : await findMeterIdsByValue(db, filter.meter)
    : null;
  const decisions = record
    ? await decisionsPage(db, record, filter, offset, meterIds)
    : { rows: [], matching: 0, offset: 0, codes: [], pruned: [], prunedCount: 0 };
  const auditRows = (record?.audit ?? []).slice(0, AUDIT_PAGE_SIZE);
  // Counters that got a reading: every decision that wrote or kept one.
  const covered = new Set<string>();
  for (let n = 0; n < (record?.count ?? 0); n++) {
    const counter = record?.counterAt(n);
    const action = record?.actionAt(n);
    // A counter the same payload created can be recorded under its provisional id: never cast.
    if (counter && isUuid(counter) && action !== "error" && action !== "delete")
      covered.add(counter);
  }
  const [after, versions, uncovered] = await Promise.all([
    readingsByIds(
      db,
      auditRows.map((r) => r.id),
    ),
    row.use_case_id
      ? findVersionAndLatest(db, row.config_version_id, row.use_case_id)
      : { ran: null, latest: null },
    uncoveredCounters(db, row.id, [...covered]),
  ]);
  const now = new Map(after.map((r) => [r.id, r as unknown as Record<string, unknown>]));
  return {
    import: row,
    warnings: record?.warnings ?? [],
    decisions,
    entityCount: record?.entities.length ?? 0,
    entities: (record?.entities ?? []).slice(0, ENTITY_DECISIONS_SHOWN),
    audit: {
      total: record?.audit.length ?? 0,
      rows: auditRows.map((before) => ({ before, after: now.get(before.id) ?? null })),
    },
    versions,
    uncovered,
  };
}

/**
 * What support sees of an id: the inbound event with that id (and the import it ran), or the
 * import with that id (and the event it belongs to). Null when neither exists.
 */
export async function supportDetail(
  db: Db,
  id: string,
  filter: DecisionFilter = {},
  offset = 0,
): Promise<SupportDetail | null> {
  if (!isUuid(id)) return null;
  let event = await findEventDetail(db, id);
  let importRow: ImportDetailRow | null = null;
  if (event) {
    // A skipped event names the earlier event's import; it is shown as a link, not as its own.
    if (event.import_id && event.status !== "skipped")
      importRow = await findImportDetail(db, event.import_id);
  } else {
    importRow = await findImportDetail(db, id);
    if (!importRow) return null;
    const eventId = await findEventOfImport(db, id);
    event = eventId ? await findEventDetail(db, eventId) : null;
  }
  const [correlation, detail] = await Promise.all([
    event?.correlation_id ? eventsOfCorrelation(db, event.correlation_id) : [],
    importRow ? importDetail(db, importRow, filter, offset) : null,
  ]);
  return { event, correlation, import: detail };
}
