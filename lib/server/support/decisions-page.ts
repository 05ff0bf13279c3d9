import "server-only";
import type { Db } from "../../../db/client";
import { type CurrentReadingRow, entityKeyValues, readingsByIds } from "../../../db/repository";
import type { Action, Decision, StoredReading } from "../../engine";
import type { RecordedDecision } from "../imports/import-record";
import type { RecordedImport } from "./recorded-decisions";
import { isUuid } from "./uuid";

export const DECISIONS_PAGE_SIZE = 500;

export interface DecisionFilter {
  action?: Action;
  code?: string;
  /** A meter id, or a value of one of its unique ids (as the decisions name meters). */
  meter?: string;
}

export interface DecisionsPage {
  /** The page's decisions, in the studio preview's shape, with their position in the plan. */
  rows: { n: number; decision: Decision }[];
  /** How many decisions match the filter. */
  matching: number;
  offset: number;
  /** Each code with its count and the first examples (plan positions). */
  codes: { code: string; action: Action; count: number; examples: number[] }[];
  /** Prune deletions, apart (at most a page of them). */
  pruned: { n: number; decision: Decision }[];
  prunedCount: number;
}

/** Names of entities as `attribute: value`, a few per entity, id-like attributes first. */
async function entityNames(db: Db, ids: string[]) {
  const rows = await entityKeyValues(db, ids);
  const names = new Map<string, Record<string, unknown>>();
  const rank = (a: string) => (/(number|_id|id$|code|name)/i.test(a) ? 0 : 1);
  for (const r of rows) {
    const seen = names.get(r.entity_id) ?? {};
    seen[r.attribute] = r.value;
    names.set(r.entity_id, seen);
  }
  for (const [id, all] of names) {
    const keep = Object.keys(all)
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .slice(0, 3);
    names.set(id, Object.fromEntries(keep.map((k) => [k, all[k]])));
  }
  return names;
}

const readingOf = (row: CurrentReadingRow | StoredReading) => ({
  external_id: row.external_id ?? undefined,
  timestamp: row.timestamp,
  value: row.value,
  source: row.source ?? undefined,
  reason: row.reason,
  ...(row.direction ? { direction: row.direction } : {}),
  ...row.attributes,
});

/** A recorded decision in the preview's shape: names, the values written, what was before. */
function toDecision(
  d: RecordedDecision,
  names: Map<string, Record<string, unknown>>,
  current: Map<string, CurrentReadingRow>,
  before: Map<string, StoredReading>,
): Decision {
  const ref = (id: string | undefined) => (id ? { id, unique_ids: names.get(id) ?? {} } : null);
  const row = d.reading_id ? current.get(d.reading_id) : undefined;
  const previous = d.reading_id ? before.get(d.reading_id) : undefined;
  const out: Decision = {
    item: d.item,
    index: d.index,
    action: d.action,
    ...(d.code ? { code: d.code } : {}),
    ...(d.message ? { message: d.message } : {}),
    ...(d.details ? { details: d.details } : {}),
    meter: ref(d.meter_id),
    counter: ref(d.counter_id),
  };
  // Written values live in the row (while it is stored); the record keeps skips' and errors'.
  const reading = d.reading ?? (row && d.action !== "delete" ? readingOf(row) : undefined);
  if (reading) out.reading = reading;
  if (row && d.action !== "delete")
    out.time = { raw: row.timestamp, instant: row.timestamp, berlin_day: row.berlin_day };
  if (d.reading_id && d.action === "create") out.reading_id = d.reading_id;
  if (d.reading_id && d.matched_by)
    out.target = { reading_id: d.reading_id, matched_by: d.matched_by };
  if (previous) out.previous = { ...previous };
  if (d.changed && previous) {
    const now = row as unknown as Record<string, unknown> | undefined;
    out.changes = Object.fromEntries(
      d.changed.map((k) => [
        k,
        {
          from: (previous as unknown as Record<string, unknown>)[k],
          to: now?.[k] ?? "(no longer stored)",
        },
      ]),
    );
  }
  return out;
}

/** Turns plan positions into preview rows with one query for names and one for stored values. */
export async function enrichDecisions(
  db: Db,
  record: RecordedImport,
  positions: number[],
): Promise<{ n: number; decision: Decision }[]> {
  const picked = positions.map((n) => ({ n, d: record.at(n) }));
  const entityIds = new Set<string>();
  const readingIds = new Set<string>();
  // A meter the same payload created can be recorded under its provisional id (`new:entity:2:0`):
  // it has no stored name to look up, and must never reach a uuid cast.
  for (const { d } of picked) {
    if (d.meter_id && isUuid(d.meter_id)) entityIds.add(d.meter_id);
    if (d.counter_id && isUuid(d.counter_id)) entityIds.add(d.counter_id);
    if (d.reading_id && isUuid(d.reading_id)) readingIds.add(d.reading_id);
  }
  const [names, rows] = await Promise.all([
    entityNames(db, [...entityIds]),
    readingsByIds(db, [...readingIds]),
  ]);
  const current = new Map(rows.map((r) => [r.id, r]));
  const before = new Map<string, StoredReading>();
  if (readingIds.size > 0)
    for (const r of record.audit) if (readingIds.has(r.id)) before.set(r.id, r);
  return picked.map(({ n, d }) => ({ n, decision: toDecision(d, names, current, before) }));
}

/** Whether decision `n` passes the filter, read from the record's columns. */
function matches(
  record: RecordedImport,
  n: number,
  f: DecisionFilter,
  meterIds: Set<string> | null,
) {
  if (f.action && record.actionAt(n) !== f.action) return false;
  if (f.code && record.codeAt(n) !== f.code) return false;
  if (meterIds) {
    const meter = record.meterAt(n);
    if (meter && meterIds.has(meter)) return true;
    // Decisions without a resolved meter name the values they looked for in details.
    const details = record.detailsAt(n);
    const looked = details ? Object.values(details).map(String) : [];
    return f.meter !== undefined && looked.includes(f.meter);
  }
  return true;
}

/** One page of an import's recorded decisions, filtered, with codes grouped and pruning apart. */
export async function decisionsPage(
  db: Db,
  record: RecordedImport,
  f: DecisionFilter,
  offset: number,
  meterIds: string[] | null,
): Promise<DecisionsPage> {
  const meterSet = meterIds ? new Set(meterIds) : null;
  const hits: number[] = [];
  const pruned: number[] = [];
  const codes = new Map<string, DecisionsPage["codes"][number]>();
  for (let n = 0; n < record.count; n++) {
    const code = record.codeAt(n);
    if (code) {
      const group = codes.get(code) ?? { code, action: record.actionAt(n), count: 0, examples: [] };
      group.count++;
      if (group.examples.length < 3) group.examples.push(n);
      codes.set(code, group);
    }
    if (code === "PRUNED") pruned.push(n);
    if (matches(record, n, f, meterSet)) hits.push(n);
  }
  const start = Math.max(0, Math.min(offset, hits.length));
  const page = hits.slice(start, start + DECISIONS_PAGE_SIZE);
  const [rows, prunedRows] = await Promise.all([
    enrichDecisions(db, record, page),
    enrichDecisions(db, record, pruned.slice(0, DECISIONS_PAGE_SIZE)),
  ]);
  return {
    rows,
    matching: hits.length,
    offset: start,
    codes: [...codes.values()].sort((a, b) => b.count - a.count),
    pruned: prunedRows,
    prunedCount: pruned.length,
  };
}
