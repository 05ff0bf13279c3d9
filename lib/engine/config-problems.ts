/** One problem found in a configuration before anything runs (SPEC 1.3). */
export interface ConfigProblem {
  /** JSON pointer to the offending value, e.g. `/meter_readings/0/fields/2/constant`. */
  path: string;
  severity: "error" | "warning";
  code: ConfigProblemCode;
  message: string;
  /** For JSONata syntax errors: the 0-based character range inside the string. */
  range?: { start: number; end: number };
  /** Allowed values, where the fix is to pick one (editor quick fixes use them). */
  expected?: readonly (string | null)[];
  /** Missing attributes, for MISSING_REQUIRED_FIELDS (the editor inserts skeletons). */
  missing?: readonly string[];
}

export interface ValidationResult {
  valid: boolean;
  errors: ConfigProblem[];
  warnings: ConfigProblem[];
}

/** Stable codes of configuration problems; messages are built next to the check that finds them. */
export const CONFIG_PROBLEM_CODES = {
  NOT_AN_OBJECT: "The configuration must be a JSON object",
  UNKNOWN_KEY: "A key the schema does not know (typos are never ignored)",
  REQUIRED: "A required key is missing",
  INVALID_TYPE: "A value of the wrong type",
  INVALID_VALUE: "A value outside the allowed set",
  TOO_SMALL: "An empty list or string where one entry is needed",
  PURGE_NOT_SUPPORTED: "Mode purge is not supported for meter readings",
  UNSUPPORTED_ENTITY_MODE: "A mode entities do not have (upsert-prune-scope is for readings only)",
  MISSING_REQUIRED_FIELDS: "Required reading attributes are not mapped",
  INVALID_CONSTANT: "A constant outside the attribute's allowed values",
  JSONATA_SYNTAX: "A JSONata expression that does not parse",
  FIELD_VALUE_MISSING: "A mapping without field, constant or jsonataExpression",
  FIELD_VALUE_AMBIGUOUS: "A mapping with more than one of field, constant, jsonataExpression",
  DUPLICATE_ATTRIBUTE: "The same attribute mapped twice without enabled conditions",
  SCOPE_IGNORED: "scope is meaningful only with mode upsert-prune-scope",
  ENTITY_UNIQUE_ID_UNMAPPED: "An entity unique id that no field maps",
  FIELD_KINDS_CONFLICT:
    "An entity field mapping with two kinds of value (e.g. a field and relations)",
  RELATION_ITEMS_CONFLICT: "relations or relation_refs with both items and jsonataExpression",
  RELATION_ITEMS_MISSING: "relations or relation_refs with neither items nor jsonataExpression",
  RELATION_OPERATION_DEFAULTED: "relations or relation_refs without operation: _set is used",
  SCOPE_INVALID: "A scope key that does not belong to the scope_mode",
  DEPRECATED_CONDITION: "The legacy condition key: merge it into enabled",
  UNSUPPORTED_PRICING: "pricing is not supported here and is ignored",
  FILE_PROXY_UNAVAILABLE: "file_proxy_url: there is no file proxy here, the attribute is left out",
  PORTAL_REF_NO_MATCH: "portal_ref: there is no portal here, the attribute is left out",
  NOT_SUPPORTED_FOR_IMPORTS: "An entity feature the import cannot write yet (simulation only)",
  INVALID_TEXT: "Text the database cannot store: a NUL character or a lone surrogate",
  CONFIG_TOO_LARGE: "A configuration with more values than any mapping needs",
} as const;

export type ConfigProblemCode = keyof typeof CONFIG_PROBLEM_CODES;
