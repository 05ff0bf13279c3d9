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
  // entities (SPEC-ENTITIES 8)
  MISSING_IDENTIFIER: "Entity unique id value missing",
  AMBIGUOUS_ENTITY: "Several entities match the unique ids",
  ENTITY_NOT_FOUND: "No entity has this _id",
  ENTITY_SCHEMA_MISMATCH: "The entity with this _id is of another schema",
  AMBIGUOUS_RELATION: "Several entities match the unique ids of a relation",
  RELATION_STUB: "Created as a stub with just its unique ids: a relation points at it",
  AMBIGUOUS_SCOPE: "Several entities match the unique ids of the prune scope: nothing pruned",
  ENV_VAR_REF_JSONATA_FAILED: "The env_var_ref jsonataExpression failed",
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
