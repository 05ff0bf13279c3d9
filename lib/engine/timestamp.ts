import { DateTime } from "luxon";
import { BERLIN_ZONE } from "./constants";

/** A parsed reading timestamp, as the plan shows it: raw value, instant, Berlin calendar day. */
export interface ParsedTimestamp {
  raw: string;
  /** The instant, ISO 8601 in UTC with milliseconds. */
  instant: string;
  /** The Europe/Berlin calendar day of the instant, `YYYY-MM-DD`. */
  berlin_day: string;
}

const HOUR_MS = 3_600_000;
const Z = 90;
const DOT = 46;
const PLUS = 43;
const MINUS = 45;

// One formatter, reused: creating one per call is 20x slower.
const berlinDayFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: BERLIN_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

// Berlin's offset is always whole hours, so the day only changes on hour boundaries: cache per hour.
const dayByHour = new Map<number, string>();

/** The Europe/Berlin calendar day of an instant in epoch milliseconds. */
export function berlinDay(ms: number): string {
  const hour = Math.floor(ms / HOUR_MS);
  let day = dayByHour.get(hour);
  if (day === undefined) {
    day = berlinDayFormat.format(hour * HOUR_MS);
    if (dayByHour.size > 200_000) dayByHour.clear();
    dayByHour.set(hour, day);
  }
  return day;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0);
}

/** The Berlin day of a stored instant (`...Z` or with an offset); falls back to the full parser. */
export function instantDay(timestamp: string): string | null {
  // Stored rows are UTC (`2024-01-15T08:00:00.000Z`): the day depends on the UTC hour only, so
  // read the digits instead of parsing the string (this runs once per stored reading).
  if (
    timestamp.length >= 20 &&
    timestamp.charCodeAt(timestamp.length - 1) === Z &&
    timestamp.charCodeAt(10) === 84
  ) {
    const year = digits(timestamp, 0, 4);
    const month = digits(timestamp, 5, 2);
    const day = digits(timestamp, 8, 2);
    const hour = digits(timestamp, 11, 2);
    if (
      year >= 0 &&
      month >= 1 &&
      day >= 1 &&
      hour >= 0 &&
      hour <= 23 &&
      isRealDate(year, month, day)
    ) {
      return berlinDay(Date.UTC(year, month - 1, day, hour));
    }
  }
  if (/[+-]\d{2}:\d{2}$/.test(timestamp)) {
    const ms = Date.parse(timestamp);
    if (Number.isFinite(ms)) return berlinDay(ms);
  }
  return parseTimestamp(timestamp)?.berlin_day ?? null;
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The instant of a Berlin wall time. A time in the spring-forward gap moves forward by the gap
 * (02:30 -> 03:30 CEST); a time in the autumn overlap is the earlier instant (02:30 CEST), as
 * Temporal's "compatible" disambiguation and java.time do.
 */
function berlinWallTime(
  ...[year, month, day, hour, minute, second, millisecond]: number[]
): number {
  const wall = { year, month, day, hour, minute, second, millisecond };
  const ms = DateTime.fromObject(wall, { zone: BERLIN_ZONE }).toMillis();
  const hourEarlier = DateTime.fromMillis(ms - HOUR_MS, { zone: BERLIN_ZONE });
  const same =
    hourEarlier.hour === hour && hourEarlier.minute === minute && hourEarlier.day === day;
  return same ? ms - HOUR_MS : ms;
}

/**
 * Parses the timestamp forms of SPEC 2: a date alone is midnight UTC; a date-time with an offset is
 * that instant; a date-time without one is wall time in Europe/Berlin. Null when invalid.
 * Grammar: YYYY-MM-DD[THH:mm[:ss[.fraction]][Z|±HH:mm]], on a real calendar date.
 */
export function parseTimestamp(raw: unknown): ParsedTimestamp | null {
  // A hand-written scanner: this runs once per reading, and a regex match costs 5x more.
  if (typeof raw !== "string" || raw.length < 10) return null;
  const year = digits(raw, 0, 4);
  const month = digits(raw, 5, 2);
  const day = digits(raw, 8, 2);
  if (
    year < 0 ||
    month < 0 ||
    day < 0 ||
    raw.charCodeAt(4) !== MINUS ||
    raw.charCodeAt(7) !== MINUS
  )
    return null;
  if (!isRealDate(year, month, day)) return null;
  if (raw.length === 10) return finish(raw, Date.UTC(year, month - 1, day));
  if (raw.charCodeAt(10) !== 84 /* T */ || raw.length < 16 || raw.charCodeAt(13) !== 58)
    return null;
  const hour = digits(raw, 11, 2);
  const minute = digits(raw, 14, 2);
  let second = 0;
  let milli = 0;
  let at = 16;
  if (raw.charCodeAt(at) === 58 /* : */) {
    second = digits(raw, at + 1, 2);
    at += 3;
    if (raw.charCodeAt(at) === DOT) {
      const from = at + 1;
      at = from;
      while (
        at < raw.length &&
        at - from < 9 &&
        raw.charCodeAt(at) >= 48 &&
        raw.charCodeAt(at) <= 57
      )
        at++;
      if (at === from) return null;
      milli = Number(raw.slice(from, Math.min(at, from + 3)).padEnd(3, "0"));
    }
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  if (at === raw.length) {
    return finish(raw, berlinWallTime(year, month, day, hour, minute, second, milli));
  }
  const sign = raw.charCodeAt(at);
  let offsetMinutes = 0;
  if (sign === Z) {
    if (at + 1 !== raw.length) return null;
  } else if (sign === PLUS || sign === MINUS) {
    if (raw.length !== at + 6 || raw.charCodeAt(at + 3) !== 58) return null;
    const oh = digits(raw, at + 1, 2);
    const om = digits(raw, at + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
    offsetMinutes = (sign === MINUS ? -1 : 1) * (oh * 60 + om);
  } else {
    return null;
  }
  return finish(
    raw,
    Date.UTC(year, month - 1, day, hour, minute, second, milli) - offsetMinutes * 60_000,
  );
}

function finish(raw: string, ms: number): ParsedTimestamp | null {
  if (!Number.isFinite(ms)) return null;
  // Already canonical (`2024-01-15T08:00:00.000Z`): keep the string instead of printing a new one.
  let instant: string;
  if (raw.length === 24 && raw.charCodeAt(23) === Z && raw.charCodeAt(19) === DOT) instant = raw;
  else if (raw.length === 20 && raw.charCodeAt(19) === Z) instant = `${raw.slice(0, 19)}.000Z`;
  else instant = new Date(ms).toISOString();
  return { raw, instant, berlin_day: berlinDay(ms) };
}
