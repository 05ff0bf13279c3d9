import "server-only";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  type CounterRow,
  findMeter,
  findMeterCounters,
  listMeterImports,
  listMeterReadings,
  meterSeries,
  type ReadingFilter,
  type SeriesPoints,
  searchMeters,
} from "../../../db/repository";
import { type PlausibilityFlag, plausibilityFlags } from "./plausibility";
import { utcInstant } from "./utc-time";
import { isUuid } from "./uuid";

export const READINGS_PAGE_SIZE = 200;
export const READING_SOURCES = ["ERP", "ECP", "360", "journey-submission"] as const;

const text = z
  .string()
  .trim()
  .max(200)
  .transform((v) => v || undefined)
  .optional();

export const meterQuerySchema = z.object({
  counter: text.refine((v) => v === undefined || v === "none" || isUuid(v)).catch(undefined),
  source: z.enum(READING_SOURCES).optional().catch(undefined),
  from: text.refine((v) => v === undefined || !Number.isNaN(Date.parse(v))).catch(undefined),
  to: text.refine((v) => v === undefined || !Number.isNaN(Date.parse(v))).catch(undefined),
  import: text.refine((v) => v === undefined || isUuid(v)).catch(undefined),
});
export type MeterQuery = z.infer<typeof meterQuerySchema>;

export interface Series {
  counterId: string | null;
  direction: string | null;
  label: string;
  times: number[];
  values: number[];
  /** Epoch milliseconds of the points the chosen import wrote. */
  highlighted: number[];
  flags: PlausibilityFlag[];
}

const numbers = (text: string | null) => (text ? text.split(",").map(Number) : []);

const DIRECTIONS: Record<string, string> = { i: "feed-in", o: "feed-out" };

/** The points, in time order, split into one series per counter and direction. */
function splitSeries(points: SeriesPoints, counters: CounterRow[], now: number): Series[] {
  const times = numbers(points.times);
  const values = numbers(points.values);
  const keys = points.keys ? points.keys.split(",") : [];
  const marked = points.highlighted ? points.highlighted.split(",") : [];
  const byKey = new Map<string, Series>();
  for (let i = 0; i < times.length; i++) {
    const key = keys[i] ?? "0";
    let s = byKey.get(key);
    if (!s) {
      const counter = counters[Number.parseInt(key, 10) - 1];
      const direction = DIRECTIONS[key.replace(/^\d+/, "")] ?? null;
      const label = counterLabel(counter?.attributes, counter?.id ?? null);
      s = {
        counterId: counter?.id ?? null,
        direction,
        label: direction ? `${label} · ${direction}` : label,
        times: [],
        values: [],
        highlighted: [],
        flags: [],
      };
      byKey.set(key, s);
    }
    s.times.push(times[i] as number);
    s.values.push(values[i] as number);
    if (marked[i] === "1") s.highlighted.push(times[i] as number);
  }
  // Stable order: no counter first, then the meter's counters as listed, each direction apart.
  const series = [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
  for (const s of series) s.flags = plausibilityFlags(s.times, s.values, now);
  return series;
}

function filterOf(q: MeterQuery): ReadingFilter {
  return { counter: q.counter, source: q.source, from: utcInstant(q.from), to: utcInstant(q.to) };
}

function counterLabel(attributes: Record<string, unknown> | undefined, id: string | null) {
  if (!id) return "No counter";
  const named = attributes && Object.entries(attributes).find(([, v]) => typeof v === "string");
  return named ? `${named[0]} ${String(named[1])}` : id.slice(0, 8);
}

/** A page of readings after a keyset, for the virtualised table's "load more". */
export async function meterReadings(
  db: Db,
  meterId: string,
  query: MeterQuery,
  cursor: string | null,
) {
  if (!isUuid(meterId)) return { rows: [], next: null };
  const before = cursor ? decodeReadingCursor(cursor) : null;
  const rows = await listMeterReadings(
    db,
    meterId,
    filterOf(query),
    before,
    READINGS_PAGE_SIZE + 1,
  );
  const page = rows.slice(0, READINGS_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page,
    next: rows.length > READINGS_PAGE_SIZE && last ? `${last.timestamp}|${last.id}` : null,
  };
}

function decodeReadingCursor(cursor: string) {
  const [at, id] = cursor.split("|");
  return at && id && isUuid(id) && !Number.isNaN(Date.parse(at)) ? { at, id } : null;
}

/**
 * Everything the meter page shows: the meter, its counters, the first page of readings (newest
 * first) with their plausibility flags, one series per counter and direction for the charts, and
 * the imports that touched it. Null when no meter has this id.
 */
export async function meterPage(db: Db, meterId: string, query: MeterQuery, now = Date.now()) {
  if (!isUuid(meterId)) return null;
  const meter = await findMeter(db, meterId);
  if (!meter) return null;
  const filter = filterOf(query);
  const counters = await findMeterCounters(db, [meterId]);
  const [first, points, imports] = await Promise.all([
    meterReadings(db, meterId, query, null),
    meterSeries(
      db,
      meterId,
      filter,
      counters.map((c) => c.id),
      query.import ?? null,
    ),
    listMeterImports(db, meterId),
  ]);
  const series = splitSeries(points, counters, now);
  return {
    meter,
    counters,
    readings: first,
    series,
    imports,
  };
}

export type MeterPage = NonNullable<Awaited<ReturnType<typeof meterPage>>>;

/** The header's search: meters by any unique attribute value (their own or a counter's). */
export async function findMeters(db: Db, value: string) {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > 500) return [];
  return searchMeters(db, trimmed);
}
