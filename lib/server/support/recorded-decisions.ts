import "server-only";
import type { Db } from "../../../db/client";
import { findImportBlobs } from "../../../db/repository";
import type { StoredReading } from "../../engine";
import { decodeAudit, decodeDecisions, type RecordedDecision } from "../imports/import-record";

export interface RecordedImport {
  summary: Awaited<ReturnType<typeof decodeDecisions>>["summary"];
  warnings: Awaited<ReturnType<typeof decodeDecisions>>["warnings"];
  entities: Awaited<ReturnType<typeof decodeDecisions>>["entities"];
  decisions: RecordedDecision[];
  audit: StoredReading[];
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
  const [plan, audit] = await Promise.all([
    blobs.decisions ? decodeDecisions(blobs.decisions) : null,
    blobs.audit ? decodeAudit(blobs.audit) : [],
  ]);
  return {
    summary: plan?.summary ?? { create: 0, update: 0, unchanged: 0, skip: 0, delete: 0, error: 0 },
    warnings: plan?.warnings ?? [],
    entities: plan?.entities ?? [],
    decisions: plan?.decisions ?? [],
    audit,
  };
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
