import "server-only";
import { breathe } from "../../db/repository/sql-json";
import type {
  Action,
  Decision,
  EntityDecision,
  MatchedBy,
  Plan,
  PlannedReading,
  PlanSummary,
  PlanWarning,
  StoredReading,
} from "../engine";
import { gunzipJson, gzipJson } from "./gzip-json";

/**
 * How an import keeps its plan and its audit: compact tuples rather than the engine's objects
 * (a 100k-reading plan as objects is ~40 MB of JSON and took seconds to write). Nothing that
 * matters is lost; what is left out is derivable: the mapped values of written readings are in
 * the rows (and re-computable from the stored payload with the stored configuration version),
 * a change's "from" is in the audit and its "to" in the row.
 */
export const DECISIONS_FORMAT = "mms.decisions/2";
export const AUDIT_FORMAT = "mms.readings/1";

/** One stored decision: the tuple, decoded. `reading_id` is the real id (created or targeted). */
export interface RecordedDecision {
  item: number;
  index: number | null;
  action: Action;
  code?: string;
  reading_id?: string;
  meter_id?: string;
  counter_id?: string;
  matched_by?: MatchedBy;
  /** The attributes an update changed. */
  changed?: string[];
  message?: string;
  details?: Record<string, unknown>;
  /** The mapped reading, kept only where nothing was written (skip, error). */
  reading?: PlannedReading;
}

export const DECISION_COLUMNS = [
  "item",
  "index",
  "action",
  "code",
  "reading_id",
  "meter_id",
  "counter_id",
  "matched_by",
  "changed",
  "message",
  "details",
  "reading",
] as const satisfies readonly (keyof RecordedDecision)[];

export const READING_COLUMNS = [
  "id",
  "meter_id",
  "counter_id",
  "direction",
  "external_id",
  "timestamp",
  "value",
  "source",
  "reason",
  "attributes",
] as const satisfies readonly (keyof StoredReading)[];

export interface DecisionsRecord {
  format: typeof DECISIONS_FORMAT;
  summary: PlanSummary;
  warnings: PlanWarning[];
  entities: EntityDecision[];
  /** Provisional ids of created entities and the ids they were written with. */
  entity_ids: Record<string, string>;
  columns: typeof DECISION_COLUMNS;
  rows: unknown[][];
}

export interface AuditRecord {
  format: typeof AUDIT_FORMAT;
  columns: typeof READING_COLUMNS;
  rows: unknown[][];
}

const SLICE = 5000;

function decisionTuple(d: Decision, ids: Record<string, string>): unknown[] {
  const provisional = d.reading_id ?? d.target?.reading_id;
  const keepsReading = d.action === "skip" || d.action === "error";
  const row: unknown[] = [
    d.item,
    d.index,
    d.action,
    d.code ?? null,
    provisional === undefined ? null : (ids[provisional] ?? provisional),
    d.meter?.id ?? null,
    d.counter?.id ?? null,
    d.target?.matched_by ?? null,
    d.changes ? Object.keys(d.changes) : null,
    d.message ?? null,
    d.details ?? null,
    keepsReading ? (d.reading ?? null) : null,
  ];
  let end = row.length;
  while (end > 3 && row[end - 1] === null) end--;
  row.length = end;
  return row;
}

/** The plan as the import record keeps it, built in slices (the event loop keeps turning). */
export async function decisionsRecord(
  plan: Plan,
  ids: Record<string, string>,
): Promise<DecisionsRecord> {
  const rows: unknown[][] = new Array(plan.decisions.length);
  for (let i = 0; i < plan.decisions.length; i++) {
    rows[i] = decisionTuple(plan.decisions[i] as Decision, ids);
    if (i % SLICE === SLICE - 1) await breathe();
  }
  const entityIds: Record<string, string> = {};
  for (const e of plan.entities) if (e.id && ids[e.id]) entityIds[e.id] = ids[e.id] as string;
  return {
    format: DECISIONS_FORMAT,
    summary: plan.summary,
    warnings: plan.warnings,
    entities: plan.entities,
    entity_ids: entityIds,
    columns: DECISION_COLUMNS,
    rows,
  };
}

/** Every deleted or overwritten row as it was before, as tuples. */
export async function auditRecord(rows: readonly StoredReading[]): Promise<AuditRecord> {
  const tuples: unknown[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as StoredReading;
    tuples[i] = [
      r.id,
      r.meter_id,
      r.counter_id,
      r.direction,
      r.external_id,
      r.timestamp,
      r.value,
      r.source,
      r.reason,
      r.attributes,
    ];
    if (i % SLICE === SLICE - 1) await breathe();
  }
  return { format: AUDIT_FORMAT, columns: READING_COLUMNS, rows: tuples };
}

function objectsOf<T>(columns: readonly string[], rows: unknown[][]): T[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let c = 0; c < row.length; c++) {
      if (row[c] !== null) out[columns[c] as string] = row[c];
    }
    return out as T;
  });
}

export const encodeDecisions = async (plan: Plan, ids: Record<string, string>) =>
  gzipJson(await decisionsRecord(plan, ids));

export const encodeAudit = async (rows: readonly StoredReading[]) =>
  gzipJson(await auditRecord(rows));

/** An import's decisions as stored (imports.decisions), decoded. */
export async function decodeDecisions(blob: Uint8Array) {
  const record = await gunzipJson<DecisionsRecord>(blob);
  if (record.format !== DECISIONS_FORMAT)
    throw new Error(`unknown decisions format ${String(record.format)}`);
  const { rows, columns, ...rest } = record;
  // `index` is the one column where null means something (a decision about a whole item).
  const decisions = objectsOf<RecordedDecision>(columns, rows).map((d) => ({
    ...d,
    index: d.index ?? null,
  }));
  return { ...rest, decisions };
}

/** An import's audit as stored (imports.audit): the rows as they were before, decoded. */
export async function decodeAudit(blob: Uint8Array): Promise<StoredReading[]> {
  const record = await gunzipJson<AuditRecord>(blob);
  if (record.format !== AUDIT_FORMAT)
    throw new Error(`unknown audit format ${String(record.format)}`);
  return record.rows.map((row) => {
    const out: Record<string, unknown> = {};
    record.columns.forEach((c, i) => {
      out[c] = row[i] ?? null;
    });
    return out as unknown as StoredReading;
  });
}
