/** Every code a decision can carry, with its standard message: one catalogue (SPEC 2-4). */
export const READING_CODES = {
  // errors: the reading is reported and never written
  EXTRACTION_ERROR: "The item's jsonataExpression failed on the payload",
  INVALID_ITEM: "Extracted item is not an object",
  METER_ID_MISSING: "Meter unique id value missing",
  METER_NOT_FOUND: "Meter not found",
  AMBIGUOUS_METER: "Several meters match the unique ids",
  COUNTER_ID_MISSING: "Counter unique id value missing",
  COUNTER_NOT_FOUND: "Meter counter not found",
  AMBIGUOUS_COUNTER: "Several counters of the meter match the unique ids",
  COUNTER_METER_MISMATCH: "The counter belongs to a different meter",
  MAPPING_ERROR: "Mapping failed",
  MISSING_EXTERNAL_ID: "Missing external id",
  INVALID_TIMESTAMP: "Invalid timestamp",
  INVALID_READING_VALUE: "Invalid reading value",
  INVALID_SOURCE: "Invalid source",
  INVALID_REASON: "Invalid reason",
  INVALID_DIRECTION: "Invalid direction",
  INVALID_TEXT: "Text the database cannot store: a NUL character or a lone surrogate",
  AMBIGUOUS_MATCH: "Several stored readings match on the same Europe/Berlin day",
  // entities
  ENTITY_ID_MISSING: "Entity unique id value missing",
  AMBIGUOUS_ENTITY: "Several entities match the unique ids",
  // not errors
  REPLACED_BY_DATE: "Replaced the stored reading of the same Europe/Berlin day",
  DUPLICATE: "Duplicate of a stored reading on the same Europe/Berlin day",
  NOT_FOUND: "No stored reading to delete",
  PRUNED: "Not in the payload for its scope: pruned",
  NO_SCOPE:
    "The payload has no readings and no scope could be resolved from the root: nothing pruned",
} as const;

export type ReadingCode = keyof typeof READING_CODES;

export interface ReadingProblem {
  code: ReadingCode;
  message: string;
  details?: Record<string, unknown>;
}

export function problem(
  code: ReadingCode,
  details?: Record<string, unknown>,
  message?: string,
): ReadingProblem {
  return details === undefined
    ? { code, message: message ?? READING_CODES[code] }
    : { code, message: message ?? READING_CODES[code], details };
}
