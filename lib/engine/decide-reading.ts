import type { CompiledReadingItem } from "./compile-config";
import { TYPED_READING_ATTRIBUTES } from "./constants";
import { decimalEquals } from "./decimal";
import { deepEqual } from "./deep-equal";
import type { NormalizedReading } from "./normalize-reading";
import { ownValue, setOwnValue } from "./own-property";
import { problem } from "./reading-codes";
import { rowAfter } from "./reading-row";
import type { ReadingStore } from "./reading-store";
import type { Decision, ResolvedRef, StoredReading } from "./types";

export interface ReadingContext {
  item: CompiledReadingItem;
  index: number;
  meter: ResolvedRef;
  counter: ResolvedRef | null;
  normalized: NormalizedReading;
}

type Changes = Record<string, { from: unknown; to: unknown }>;

function sameTyped(key: string, from: unknown, to: unknown): boolean {
  if (from === to) return true;
  if (key === "value") return decimalEquals(from as string | null, to as string | null);
  if (key === "timestamp") {
    if (typeof from !== "string" || typeof to !== "string") return false;
    // Two canonical UTC stamps (`...T08:00:00.000Z`) that differ as strings differ as instants.
    if (from.length === 24 && to.length === 24 && from.endsWith("Z") && to.endsWith("Z"))
      return false;
    return Date.parse(from) === Date.parse(to);
  }
  return (from ?? null) === (to ?? null);
}

const TYPED_KEYS = TYPED_READING_ATTRIBUTES;
const TYPED = new Set<string>(TYPED_KEYS);

/** What writing the mapped attributes over a stored row would change; only mapped attributes count. */
function changesOf(existing: StoredReading, ctx: ReadingContext): Changes | null {
  const { reading } = ctx.normalized;
  let changes: Changes | null = null;
  for (const key of TYPED_KEYS) {
    if (!Object.hasOwn(reading, key)) continue;
    const to = reading[key] ?? null;
    if (!sameTyped(key, existing[key], to)) changes = noteChange(changes, key, existing[key], to);
  }
  if (ctx.item.counter) {
    const to = ctx.counter?.id ?? null;
    if (existing.counter_id !== to)
      changes = noteChange(changes, "counter_id", existing.counter_id, to);
  }
  for (const key in reading) {
    if (TYPED.has(key)) continue;
    const from = ownValue(existing.attributes, key);
    if (!deepEqual(from, reading[key])) changes = noteChange(changes, key, from, reading[key]);
  }
  return changes;
}

function noteChange(changes: Changes | null, key: string, from: unknown, to: unknown): Changes {
  const out = changes ?? {};
  setOwnValue(out, key, { from: from ?? null, to });
  return out;
}

function base(ctx: ReadingContext): Decision {
  const { normalized } = ctx;
  const d: Decision = {
    item: ctx.item.index,
    index: ctx.index,
    action: "create",
    meter: ctx.meter,
    counter: ctx.counter,
    reading: normalized.reading,
  };
  if (normalized.time) {
    d.time = normalized.time;
  }
  return d;
}

function sameScope(r: StoredReading, ctx: ReadingContext): boolean {
  return (
    r.counter_id === (ctx.counter?.id ?? null) &&
    r.direction === (ctx.normalized.reading.direction ?? null)
  );
}

function update(
  store: ReadingStore,
  ctx: ReadingContext,
  existing: StoredReading,
  matchedBy: "external_id" | "strict-date",
): Decision {
  const changes = changesOf(existing, ctx);
  const d = base(ctx);
  d.target = { reading_id: existing.id, matched_by: matchedBy };
  d.previous = existing;
  if (changes === null) {
    d.action = "unchanged";
    return d;
  }
  d.action = "update";
  d.changes = changes;
  if (matchedBy === "strict-date") {
    const replaced = existing.external_id;
    d.code = "REPLACED_BY_DATE";
    d.message =
      replaced === null
        ? "Replaced a reading without external id on the same Europe/Berlin day"
        : `Replaced reading ${replaced} on the same Europe/Berlin day`;
    d.details = {
      replaced_external_id: replaced,
      berlin_day: ctx.normalized.time?.berlin_day ?? null,
    };
  }
  store.replace(existing, rowAfter(d, existing, existing.id));
  return d;
}

function storedSummary(r: StoredReading) {
  return { reading_id: r.id, external_id: r.external_id, timestamp: r.timestamp, value: r.value };
}

/** Upsert (SPEC 3.1): external id match, then strict-date, then deduplication guards the create. */
export function decideUpsert(store: ReadingStore, ctx: ReadingContext): Decision {
  const { reading, time } = ctx.normalized;
  const meterId = ctx.meter.id;
  const existing = store.byExternalId(meterId, reading.external_id as string);
  if (existing) return update(store, ctx, existing, "external_id");

  const day = (time as NonNullable<typeof time>).berlin_day;
  const sameDay = store.onDay(meterId, day).filter((r) => sameScope(r, ctx));
  if (ctx.item.matching === "strict-date" && sameDay.length > 0) {
    if (sameDay.length === 1) return update(store, ctx, sameDay[0] as StoredReading, "strict-date");
    const d = base(ctx);
    d.action = "error";
    Object.assign(
      d,
      problem("AMBIGUOUS_MATCH", { berlin_day: day, candidates: sameDay.map(storedSummary) }),
    );
    return d;
  }

  const hasType = Object.hasOwn(reading, "reading_type");
  const duplicates = hasType
    ? sameDay.filter((r) => deepEqual(r.attributes.reading_type, reading.reading_type))
    : sameDay;
  if (duplicates.length > 0) {
    const original = duplicates[0] as StoredReading;
    const d = base(ctx);
    d.action = "skip";
    d.code = "DUPLICATE";
    d.message = `Duplicate of reading ${original.external_id ?? original.id} on ${day} (Europe/Berlin)`;
    d.details = { berlin_day: day, duplicate_of: storedSummary(original) };
    d.target = { reading_id: original.id, matched_by: "dedup" };
    return d;
  }

  const d = base(ctx);
  d.reading_id = `new:${ctx.item.index}:${ctx.index}`;
  store.add(rowAfter(d, null, d.reading_id));
  return d;
}

/** Delete (SPEC 3.2): by external id; with strict-date, by day when no external id matches. */
export function decideDelete(store: ReadingStore, ctx: ReadingContext): Decision {
  const { reading, time } = ctx.normalized;
  const d = base(ctx);
  let target = store.byExternalId(ctx.meter.id, reading.external_id as string);
  let matchedBy: "external_id" | "strict-date" = "external_id";
  if (!target && ctx.item.matching === "strict-date" && time) {
    const direction = reading.direction;
    const candidates = store
      .onDay(ctx.meter.id, time.berlin_day)
      .filter((r) => !ctx.item.counter || r.counter_id === (ctx.counter?.id ?? null))
      .filter((r) => direction === undefined || r.direction === direction);
    if (candidates.length > 1) {
      d.action = "error";
      Object.assign(
        d,
        problem("AMBIGUOUS_MATCH", {
          berlin_day: time.berlin_day,
          candidates: candidates.map(storedSummary),
        }),
      );
      return d;
    }
    target = candidates[0];
    matchedBy = "strict-date";
  }
  if (!target) {
    d.action = "skip";
    Object.assign(d, problem("NOT_FOUND", { external_id: reading.external_id ?? null }));
    return d;
  }
  d.action = "delete";
  d.target = { reading_id: target.id, matched_by: matchedBy };
  d.previous = target;
  store.remove(target.id, target.meter_id);
  return d;
}
