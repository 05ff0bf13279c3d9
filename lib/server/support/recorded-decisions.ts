import "server-only";
import type { Db } from "../../../db/client";
import { findImportBlobs } from "../../../db/repository";
import type { Action, PlanSummary, PlanWarning, StoredReading } from "../../engine";
import {
  type DecisionsRecord,
  decodeAudit,
  decodeDecisionsRecord,
  type RecordedDecision,
  type RecordedEntityDecision,
  recordedActionAt,
  recordedDecisionAt,
  recordedEntities,
} from "../imports/import-record";

/**
 * An import's record, kept column-wise as stored: filtering 100k decisions reads the columns it
 * needs, and only the page shown is built as objects (building all 100k took most of a second).
 */
export interface RecordedImport {
  summary: PlanSummary;
  warnings: PlanWarning[];
  entities: RecordedEntityDecision[];
  count: number;
  at: (i: number) => RecordedDecision;
  actionAt: (i: number) => Action;
  codeAt: (i: number) => string | undefined;
  meterAt: (i: number) => string | undefined;
  counterAt: (i: number) => string | undefined;
  detailsAt: (i: number) => Record<string, unknown> | undefined;
  audit: StoredReading[];
}

const EMPTY_SUMMARY: PlanSummary = {
  create: 0,
  update: 0,
  unchanged: 0,
  skip: 0,
  delete: 0,
  error: 0,
};

function columnWise(r: DecisionsRecord | null, audit: StoredReading[]): RecordedImport {
  const ref = (list: string[], at: number | null | undefined) =>
    at == null ? undefined : list[at];
  return {
    summary: r?.summary ?? EMPTY_SUMMARY,
    warnings: r?.warnings ?? [],
    entities: r ? recordedEntities(r) : [],
    count: r?.count ?? 0,
    at: (i) => recordedDecisionAt(r as DecisionsRecord, i),
    actionAt: (i) => recordedActionAt(r as DecisionsRecord, i),
    codeAt: (i) => r?.code[i],
    meterAt: (i) => (r ? ref(r.meters, r.meter[i]) : undefined),
    counterAt: (i) => (r ? ref(r.counters, r.counter[i]) : undefined),
    detailsAt: (i) => r?.details[i],
    audit,
  };
}

/*
 * An import's record never changes once written, so the few decoded last are kept: paging
 * through a 100k-decision import decodes its blobs once, not on every page.
 */
const KEEP = 3;
const decoded = new Map<string, Promise<RecordedImport | null>>();

async function load(db: Db, importId: string): Promise<RecordedImport | null> {
  const blobs = await findImportBlobs(db, importId);
  if (!blobs) return null;
  const [record, audit] = await Promise.all([
    blobs.decisions ? decodeDecisionsRecord(blobs.decisions) : null,
    blobs.audit ? decodeAudit(blobs.audit) : [],
  ]);
  return columnWise(record, audit);
}

/** An import's decisions and audit as stored (imports.decisions, imports.audit), decoded. */
export function recordedImport(db: Db, importId: string): Promise<RecordedImport | null> {
  const cached = decoded.get(importId);
  if (cached) {
    decoded.delete(importId);
    decoded.set(importId, cached);
    return cached;
  }
  const loading = load(db, importId);
  decoded.set(importId, loading);
  loading.catch(() => decoded.delete(importId));
  while (decoded.size > KEEP) decoded.delete(decoded.keys().next().value as string);
  return loading;
}

/** Forgets the decoded records (tests and benchmarks measure a cold read). */
export function forgetRecordedImports() {
  decoded.clear();
}
