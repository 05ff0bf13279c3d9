import "server-only";
import type { Action, Decision, Plan, PlannedReading } from "../../engine";
import { deepEqual } from "../../engine/deep-equal";
import type { RecordedDecision } from "./import-record";

/**
 * How one reading's decision differs between the original import and the replay: `action`
 * (create became unchanged, error became create...), `code` (same action, another reason),
 * `value` (same action and code, other mapped values), `new` (only the replay has it), `vanished`
 * (only the original had it), `same`.
 */
export type DiffKind = "action" | "code" | "value" | "new" | "vanished" | "same";
export const DIFF_KINDS: readonly DiffKind[] = [
  "action",
  "code",
  "value",
  "new",
  "vanished",
  "same",
];

/** One side of a diff row: what that run decided for the reading. */
export interface DiffSide {
  action: Action;
  code?: string;
  message?: string;
  /** The mapped reading, when known (the original's is mapped again from its configuration). */
  reading?: PlannedReading;
  meter_id?: string;
  /** The stored reading it created, updated or deleted. */
  reading_id?: string;
}

export interface DiffRow {
  /** `item:index` of the extracted list, or the reading a prune deleted. */
  key: string;
  item: number;
  index: number | null;
  kind: DiffKind;
  before: DiffSide | null;
  after: DiffSide | null;
  /** Mapped attributes whose values differ (kind `value`, or alongside another change). */
  changed: string[];
  /** The meter's unique ids as the replay resolved them (for the table). */
  meter?: Record<string, unknown>;
}

export interface ReplayDiff {
  /** Every kind counted over all readings. */
  counts: Record<DiffKind, number>;
  /** Rows that differ, at most `limit`, in plan order (vanished ones after). */
  rows: DiffRow[];
  /** How many rows differ in all. */
  total: number;
  /** Whether the original's mapped values were known (its configuration version still exists). */
  valuesCompared: boolean;
}

/** Where a decision belongs: its reading's place in the payload, or the stored row it prunes. */
function keyOf(d: { item: number; index: number | null; code?: string; reading_id?: string }) {
  if (d.index !== null) return `${d.item}:${d.index}`;
  if (d.reading_id) return `${d.item}:reading:${d.reading_id}`;
  return `${d.item}:${d.code ?? "item"}`;
}

function sideOfPlan(d: Decision): DiffSide {
  const side: DiffSide = { action: d.action };
  if (d.code !== undefined) side.code = d.code;
  if (d.message !== undefined) side.message = d.message;
  if (d.reading) side.reading = d.reading;
  if (d.meter) side.meter_id = d.meter.id;
  const id = d.reading_id ?? d.target?.reading_id;
  if (id) side.reading_id = id;
  return side;
}

function changedAttributes(a?: PlannedReading, b?: PlannedReading): string[] {
  if (!a || !b) return [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !deepEqual(a[k] ?? null, b[k] ?? null));
}

function kindOf(before: DiffSide, after: DiffSide, changed: string[]): DiffKind {
  if (before.action !== after.action) return "action";
  if ((before.code ?? null) !== (after.code ?? null)) return "code";
  if (
    changed.length > 0 ||
    (before.meter_id && after.meter_id && before.meter_id !== after.meter_id)
  )
    return "value";
  return "same";
}

/**
 * Compares the original import's recorded decisions with the replay's plan reading by reading.
 * `originalMapped` is the original configuration's plan for the same payload (only its mapped
 * readings are used: the record keeps them for skips and errors alone); null when that version
 * is gone, and then values are compared where the record kept them.
 */
export function diffReplay(
  original: readonly RecordedDecision[] | null,
  originalMapped: Plan | null,
  replay: Plan,
  limit = 50_000,
): ReplayDiff {
  const mapped = new Map<string, PlannedReading>();
  for (const d of originalMapped?.decisions ?? [])
    if (d.reading && d.index !== null) mapped.set(keyOf(d), d.reading);
  const before = new Map<string, DiffSide & { item: number; index: number | null }>();
  for (const d of original ?? []) {
    const key = keyOf(d);
    const side: DiffSide & { item: number; index: number | null } = {
      item: d.item,
      index: d.index,
      action: d.action,
    };
    if (d.code !== undefined) side.code = d.code;
    if (d.message !== undefined) side.message = d.message;
    const reading = d.reading ?? mapped.get(key);
    if (reading) side.reading = reading;
    if (d.meter_id) side.meter_id = d.meter_id;
    if (d.reading_id) side.reading_id = d.reading_id;
    if (!before.has(key)) before.set(key, side);
  }
  const counts = Object.fromEntries(DIFF_KINDS.map((k) => [k, 0])) as Record<DiffKind, number>;
  const rows: DiffRow[] = [];
  const push = (row: DiffRow) => {
    counts[row.kind]++;
    if (row.kind !== "same" && rows.length < limit) rows.push(row);
  };
  const seen = new Set<string>();
  for (const d of replay.decisions) {
    const key = keyOf({ ...d, reading_id: d.index === null ? d.target?.reading_id : undefined });
    if (seen.has(key)) continue;
    seen.add(key);
    const after = sideOfPlan(d);
    const was = before.get(key) ?? null;
    const changed = was ? changedAttributes(was.reading, after.reading) : [];
    const row: DiffRow = {
      key,
      item: d.item,
      index: d.index,
      kind: was ? kindOf(was, after, changed) : "new",
      before: was ? stripPlace(was) : null,
      after,
      changed,
    };
    if (d.meter) row.meter = d.meter.unique_ids;
    push(row);
  }
  for (const [key, was] of before) {
    if (seen.has(key)) continue;
    push({
      key,
      item: was.item,
      index: was.index,
      kind: "vanished",
      before: stripPlace(was),
      after: null,
      changed: [],
    });
  }
  return {
    counts,
    rows,
    total: DIFF_KINDS.reduce((n, k) => n + (k === "same" ? 0 : counts[k]), 0),
    valuesCompared: originalMapped !== null || original === null,
  };
}

function stripPlace({
  item: _i,
  index: _x,
  ...side
}: DiffSide & { item: number; index: number | null }) {
  return side as DiffSide;
}
