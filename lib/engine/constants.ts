/** Allowed values of the typed reading attributes (SPEC 2). */
export const READING_SOURCES = ["ERP", "ECP", "360", "journey-submission"] as const;
export const READING_REASONS = [
  "regular",
  "irregular",
  "last",
  "first",
  "meter_change",
  "contract_change",
  "meter_adjustment",
] as const;
export const READING_DIRECTIONS = ["feed-in", "feed-out"] as const;

export const READING_MODES = ["upsert", "delete", "upsert-prune-scope"] as const;
export const READING_MATCHING = ["external_id", "strict-date"] as const;

export type ReadingSource = (typeof READING_SOURCES)[number];
export type ReadingMode = (typeof READING_MODES)[number];
export type ReadingMatching = (typeof READING_MATCHING)[number];

/** The typed columns of a reading; every other mapped attribute is kept as a custom attribute. */
export const TYPED_READING_ATTRIBUTES = [
  "external_id",
  "timestamp",
  "value",
  "source",
  "reason",
  "direction",
] as const;

/** Order in which missing required attributes are named (SPEC 1.3). */
export const REQUIRED_ATTRIBUTE_ORDER = ["external_id", "timestamp", "source", "value"] as const;

/** Constants checked statically against their enum (SPEC 1.3), by attribute name (a Map: names are user text). */
export const ENUM_ATTRIBUTES: ReadonlyMap<string, readonly (string | null)[]> = new Map<
  string,
  readonly (string | null)[]
>([
  ["source", READING_SOURCES],
  ["reason", [...READING_REASONS, "", null]],
  ["direction", [...READING_DIRECTIONS, null]],
]);

export const BERLIN_ZONE = "Europe/Berlin";
