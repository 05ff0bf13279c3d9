/** Entity modes (SPEC-ENTITIES 4); `upsert-prune-scope` is for readings only. */
export const ENTITY_MODES = [
  "upsert",
  "delete",
  "purge",
  "upsert-prune-scope-delete",
  "upsert-prune-scope-purge",
] as const;
export type EntityMode = (typeof ENTITY_MODES)[number];

/** Array operations on stored arrays and relation lists (SPEC-ENTITIES 2, 3). */
export const ARRAY_OPERATIONS = ["_set", "_append", "_append_all"] as const;
export type ArrayOperation = (typeof ARRAY_OPERATIONS)[number];

/** `_type` of a repeatable attribute: stored as `[{ [type]: value }]`. */
export const REPEATABLE_TYPES = ["email", "phone"] as const;
export type RepeatableType = (typeof REPEATABLE_TYPES)[number];

/** The kinds of value a field mapping of an entity can have besides a value source. */
export const ENTITY_FIELD_KINDS = [
  "relations",
  "relation_refs",
  "file_proxy_url",
  "env_var_ref",
  "portal_ref",
] as const;
export type EntityFieldKind = (typeof ENTITY_FIELD_KINDS)[number];
