import type { CompiledReadingItem } from "./compile-config";
import {
  READING_DIRECTIONS,
  READING_REASONS,
  READING_SOURCES,
  TYPED_READING_ATTRIBUTES,
} from "./constants";
import { toDecimal } from "./decimal";
import { problem, type ReadingProblem } from "./reading-codes";
import { escapedText, isStorableText } from "./storable-text";
import { unstorableAttribute } from "./text-problems";
import { type ParsedTimestamp, parseTimestamp } from "./timestamp";
import type { PlannedReading } from "./types";

export interface NormalizedReading {
  reading: PlannedReading;
  /** Parsed timestamp, when one is mapped and valid. */
  time: ParsedTimestamp | null;
}

const SOURCES: readonly unknown[] = READING_SOURCES;
const REASONS: readonly unknown[] = READING_REASONS;
const DIRECTIONS: readonly unknown[] = READING_DIRECTIONS;
const TYPED = new Set<string>(TYPED_READING_ATTRIBUTES);

function invalid(
  code: Parameters<typeof problem>[0],
  field: string,
  received: unknown,
): ReadingProblem {
  return problem(code, { field, received: received === undefined ? null : received });
}

/**
 * The external id as a string (numbers become strings), or null when missing or not usable: text
 * the database cannot store never matches a stored reading and is never sent in a lookup.
 */
export function externalIdOf(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "" && isStorableText(value)) return value;
  return null;
}

/**
 * Validates and normalizes mapped values into a reading (SPEC 2), in place: the mapped values
 * object becomes the reading. Attributes a mode does not need (value and source for delete) are
 * checked only when mapped, and dropped when invalid there.
 */
export function normalizeReading(
  values: Record<string, unknown>,
  item: CompiledReadingItem,
): NormalizedReading | ReadingProblem {
  const isDelete = item.mode === "delete";
  const reading = values as PlannedReading;

  const externalId = externalIdOf(values.external_id);
  if (externalId === null) {
    const raw = values.external_id;
    return typeof raw === "string" && !isStorableText(raw)
      ? problem("INVALID_TEXT", { field: "external_id", received: escapedText(raw) })
      : invalid("MISSING_EXTERNAL_ID", "external_id", raw);
  }

  let time: ParsedTimestamp | null = null;
  const needsTime = !isDelete || item.matching === "strict-date";
  if (needsTime || values.timestamp !== undefined) {
    time = parseTimestamp(values.timestamp);
    if (time === null && needsTime)
      return invalid("INVALID_TIMESTAMP", "timestamp", values.timestamp);
  }

  let value: string | null | undefined;
  if (!isDelete || values.value !== undefined) {
    value = toDecimal(values.value);
    if (value === null && !isDelete) return invalid("INVALID_READING_VALUE", "value", values.value);
  }

  const source = values.source;
  const sourceOk = SOURCES.includes(source);
  if (!isDelete && !sourceOk) return invalid("INVALID_SOURCE", "source", source);

  const reason = values.reason;
  if (reason !== undefined && reason !== null && reason !== "" && !REASONS.includes(reason)) {
    return invalid("INVALID_REASON", "reason", reason);
  }
  const direction = values.direction;
  if (direction !== undefined && direction !== null && !DIRECTIONS.includes(direction)) {
    return invalid("INVALID_DIRECTION", "direction", direction);
  }
  // The typed attributes are checked above (enums, a decimal, a parsed instant); custom ones are
  // written as they are, so their text must be storable. A delete writes none of them.
  if (!isDelete) {
    const text = unstorableAttribute(values, TYPED);
    if (text) return text;
  }

  reading.external_id = externalId;
  if (time) reading.timestamp = time.instant;
  else delete reading.timestamp;
  if (typeof value === "string") reading.value = value;
  else delete reading.value;
  if (!sourceOk) delete reading.source;
  if (reason === "") reading.reason = null;
  if (direction === null) delete reading.direction;

  return { reading, time };
}
