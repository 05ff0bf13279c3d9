import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * Binary column (gzipped JSON blobs). PGlite hands back a Uint8Array and postgres-js a Buffer;
 * both are normalised to a Buffer so callers can pass it straight to `zlib.gunzipSync`.
 */
export const bytea = customType<{ data: Buffer; driverData: Uint8Array | string }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => {
    if (typeof value === "string") {
      // Text-format bytea ("\x0a1b..."): only seen if a parser is bypassed, but cheap to support.
      return Buffer.from(value.startsWith("\\x") ? value.slice(2) : value, "hex");
    }
    return Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.length);
  },
});

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const emptyObject = sql`'{}'::jsonb`;
/** `IN ('a', 'b')` list for a CHECK constraint over a closed set of text values. */
const oneOf = (values: readonly string[]) =>
  sql.raw(`(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")})`);

export const integrations = pgTable("integrations", {
  id: id(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

/** The key format of an integration variable (SPEC-ENTITIES 5, `env_var_ref`). */
export const INTEGRATION_VARIABLE_KEY = "^[a-z0-9][a-z0-9_.-]{0,127}$";

/**
 * An integration's variables (SPEC-ENTITIES 5): what `env_var_ref` resolves to in its imports, dry
 * runs and simulations. A secret's value is used by the engine but never shown again.
 */
export const integrationVariables = pgTable(
  "integration_variables",
  {
    id: id(),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    secret: boolean("secret").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("integration_variables_integration_key_unique").on(t.integrationId, t.key),
    check(
      "integration_variables_key_check",
      sql`${t.key} ~ ${sql.raw(`'${INTEGRATION_VARIABLE_KEY}'`)}`,
    ),
  ],
);

/** How a sample payload is written: XML samples keep the XML as text and the converted JSON. */
export const sampleFormats = ["json", "xml"] as const;

export const apiKeys = pgTable("api_keys", {
  id: id(),
  integrationId: uuid("integration_id")
    .notNull()
    .references(() => integrations.id, { onDelete: "cascade" }),
  /** sha256 hex of the key; the key itself is never stored. */
  keyHash: text("key_hash").notNull().unique(),
  /** First 12 characters of the key, for display. */
  keyPrefix: text("key_prefix").notNull(),
  name: text("name"),
  createdAt: createdAt(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export const useCases = pgTable(
  "use_cases",
  {
    id: id(),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    eventName: text("event_name"),
    draftConfig: jsonb("draft_config").notNull().default(emptyObject),
    /** The draft exactly as the consultant wrote it (jsonb reorders keys and drops formatting). */
    draftText: text("draft_text"),
    draftUpdatedAt: timestamp("draft_updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("use_cases_integration_slug_unique").on(t.integrationId, t.slug),
    unique("use_cases_integration_event_name_unique").on(t.integrationId, t.eventName),
  ],
);

export const configVersions = pgTable(
  "config_versions",
  {
    id: id(),
    useCaseId: uuid("use_case_id")
      .notNull()
      .references(() => useCases.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    config: jsonb("config").notNull(),
    /** The configuration as written when published, for history and diffs. */
    configText: text("config_text"),
    message: text("message").notNull().default(""),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("config_versions_use_case_version_unique").on(t.useCaseId, t.version)],
);

export const samplePayloads = pgTable(
  "sample_payloads",
  {
    id: id(),
    useCaseId: uuid("use_case_id")
      .notNull()
      .references(() => useCases.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    payload: jsonb("payload").notNull(),
    /** The payload as written or uploaded. */
    payloadText: text("payload_text"),
    /** "xml": payloadText is the XML, payload the JSON it converts to (SPEC-ENTITIES 7). */
    format: text("format", { enum: sampleFormats }).notNull().default("json"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("sample_payloads_use_case_name_unique").on(t.useCaseId, t.name),
    check("sample_payloads_format_check", sql`${t.format} in ${oneOf(sampleFormats)}`),
  ],
);

export const entities = pgTable(
  "entities",
  {
    id: id(),
    entitySchema: text("entity_schema").notNull(),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default(emptyObject),
    /**
     * For counters: the meter they belong to. Not a declared foreign key: migration 0012 checks it
     * once per statement and unsets it when the meter goes (a 20k-counter import paid a per-row RI
     * check for each).
     */
    meterId: uuid("meter_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * Soft delete (SPEC-ENTITIES 4.2): out of every lookup, relation and list; restorable for
     * 30 days, then purged by the sweep (purgeExpiredEntities).
     */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    /** The import that last wrote the row: an undo tells its own writes from later ones. */
    importId: uuid("import_id"),
  },
  (t) => [
    index("entities_entity_schema_idx").on(t.entitySchema),
    // A meter's counters, on its support page.
    index("entities_meter_idx").on(t.meterId),
    // Soft deletes only, which keeps it small: the sweep's expired ones, and the deleted-entities
    // page's keyset pages (newest first, by id within one instant).
    index("entities_deleted_at_idx").on(t.deletedAt, t.id).where(sql`${t.deletedAt} IS NOT NULL`),
  ],
);

/**
 * The relations and relation refs stored in entities' attributes (`$relation`, `$relation_ref`),
 * one row per item, so they can be followed in both directions (prune scope `relations`, the
 * meter page). Derived from the attributes on every write, like entity_keys. `to_id` has no
 * foreign key on purpose: a purge leaves the attribute that names the purged entity as it is,
 * and an undo that restores the entity finds its relations as they were; queries join the target
 * among live entities.
 */
export const entityRelations = pgTable(
  "entity_relations",
  {
    /**
     * The entity whose attribute holds the relation. Not a declared foreign key: like
     * entity_keys.entity_id, it is checked once per statement by migration 0011's triggers, and
     * its rows go when the entity goes.
     */
    fromId: uuid("from_id").notNull(),
    attribute: text("attribute").notNull(),
    position: integer("position").notNull(),
    /** `relation` or `ref` (a relation ref, pointing at one item of `path` by `_id`). */
    kind: text("kind").notNull(),
    toId: uuid("to_id").notNull(),
    toSchema: text("to_schema"),
    tags: jsonb("tags").$type<string[]>(),
    path: text("path"),
    itemId: text("item_id"),
  },
  // No primary key: the rows are derived, and the writer replaces an attribute's rows whole
  // (entity-derived.ts). One column per index: 30k rows took 200 ms against 275 with the
  // three-column key. B-trees, not hash indexes: many entities can relate to one (an account),
  // and a hash index walks a value's whole chain of pages for each entry it adds.
  (t) => [
    index("entity_relations_from_id_idx").on(t.fromId),
    index("entity_relations_to_id_idx").on(t.toId),
    check("entity_relations_kind_check", sql`${t.kind} in ('relation', 'ref')`),
  ],
);

/**
 * The (schema, attribute) pairs entity_keys holds keys for: those some configuration looks
 * entities up by (unique ids, relation items, prune scopes), registered before its first import
 * or dry run (registerKeyAttributes), with the keys of the entities stored by then. Keying every
 * scalar attribute cost a 40k-entity import 350 ms of key writes nobody would look up.
 */
export const entityKeyAttributes = pgTable(
  "entity_key_attributes",
  {
    entitySchema: text("entity_schema").notNull(),
    attribute: text("attribute").notNull(),
  },
  (t) => [primaryKey({ name: "entity_key_attributes_pk", columns: [t.entitySchema, t.attribute] })],
);

/**
 * Lookup of entities by scalar attribute value (stored as text), for the (schema, attribute)
 * pairs in entity_key_attributes only.
 */
export const entityKeys = pgTable(
  "entity_keys",
  {
    /**
     * Not a declared foreign key: per-row RI checks were a third of a 40k-entity import's key
     * writes, so migration 0011 enforces the same rules with statement-level triggers (one
     * set-based check per statement; the rows go when their entity goes).
     */
    entityId: uuid("entity_id").notNull(),
    entitySchema: text("entity_schema").notNull(),
    attribute: text("attribute").notNull(),
    value: text("value").notNull(),
  },
  // Every lookup, search and delete names a value or an entity by equality. The value alone is
  // indexed: a lookup also names the schema and attribute, which the rows it finds are checked
  // against; a search by value names neither (20k keys: 113 ms against 155 with the four-column
  // primary key). A B-tree, as a keyed attribute may hold one value for many entities (a prune
  // scope's `status`), where a hash index walks that value's whole chain of pages for each entry
  // it adds (20k more entries of one value behind 100k: 585 ms against 31). By entity, a hash
  // index: an entity has a few keys, and a hash entry costs less.
  (t) => [
    index("entity_keys_value_idx").on(t.value),
    index("entity_keys_entity_id_idx").using("hash", t.entityId),
  ],
);

export const readings = pgTable(
  "readings",
  {
    id: id(),
    /**
     * The meter and counter (entities). Not declared as foreign keys: per-row RI checks cost a
     * fifth of a bulk import's writes, so migration 0005 enforces the same rules with statement-
     * level triggers (one set-based check per statement; cascade and set-null on entity delete).
     */
    meterId: uuid("meter_id").notNull(),
    counterId: uuid("counter_id"),
    direction: text("direction"),
    externalId: text("external_id"),
    timestamp: timestamp("timestamp", { withTimezone: true, precision: 3 }).notNull(),
    /** Europe/Berlin calendar day of `timestamp`, written by the app (YYYY-MM-DD). */
    berlinDay: date("berlin_day", { mode: "string" }).notNull(),
    /** Exact decimal, kept as a string end to end. */
    value: numeric("value", { mode: "string" }).notNull(),
    source: text("source"),
    reason: text("reason"),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default(emptyObject),
    importId: uuid("import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("readings_meter_external_id_unique").on(t.meterId, t.externalId),
    index("readings_meter_berlin_day_idx").on(t.meterId, t.berlinDay),
    // The meter page: readings newest first, and the chart's series in time order.
    index("readings_meter_timestamp_idx").on(t.meterId, t.timestamp),
  ],
);

export const inboundEventStatuses = [
  "success",
  "error",
  "skipped",
  "ignored",
  "processing",
] as const;
export type InboundEventStatus = (typeof inboundEventStatuses)[number];

/**
 * One POST of the events route as it arrived: the raw body, gzipped, stored once however many
 * events it carries (an event's payload is `events[event_index].payload` of its request). Keeping
 * the bytes as sent, rather than re-serialising each payload, costs no main-thread time and
 * shows support exactly what the ERP posted.
 */
export const inboundRequests = pgTable("inbound_requests", {
  id: id(),
  integrationId: uuid("integration_id")
    .notNull()
    .references(() => integrations.id, { onDelete: "cascade" }),
  correlationId: text("correlation_id"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  /** gzip of the request body's bytes; null until compressed (set before the response). */
  body: bytea("body"),
  bodyBytes: integer("body_bytes").notNull(),
});

export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: id(),
    integrationId: uuid("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    useCaseId: uuid("use_case_id").references(() => useCases.id, { onDelete: "set null" }),
    deduplicationId: text("deduplication_id"),
    correlationId: text("correlation_id"),
    eventName: text("event_name"),
    useCaseSlug: text("use_case_slug"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status").$type<InboundEventStatus>().notNull(),
    /** The request that carried the event, and the event's position in it. */
    requestId: uuid("request_id").references(() => inboundRequests.id, { onDelete: "cascade" }),
    eventIndex: integer("event_index"),
    importId: uuid("import_id"),
    /** Why an `error` event failed (the event result's code and message), for support. */
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
  },
  (t) => [
    // Support's list pages newest first, on its own or within one filter (keyset on time, id).
    index("inbound_events_received_idx").on(t.receivedAt, t.id),
    index("inbound_events_status_received_idx").on(t.status, t.receivedAt),
    index("inbound_events_use_case_received_idx").on(t.useCaseId, t.receivedAt),
    index("inbound_events_integration_received_idx").on(t.integrationId, t.receivedAt),
    index("inbound_events_correlation_idx").on(t.correlationId),
    index("inbound_events_error_code_received_idx").on(t.errorCode, t.receivedAt),
    index("inbound_events_import_idx").on(t.importId),
    index("inbound_events_integration_dedup_received_idx").on(
      t.integrationId,
      t.deduplicationId,
      t.receivedAt,
    ),
    check("inbound_events_status_check", sql`${t.status} in ${oneOf(inboundEventStatuses)}`),
  ],
);

export const importTriggers = ["api", "studio", "replay", "undo", "cli"] as const;
export type ImportTrigger = (typeof importTriggers)[number];
export const importStatuses = ["applied", "failed", "undone"] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const imports = pgTable(
  "imports",
  {
    id: id(),
    useCaseId: uuid("use_case_id").references(() => useCases.id, { onDelete: "set null" }),
    configVersionId: uuid("config_version_id").references(() => configVersions.id, {
      onDelete: "set null",
    }),
    configVersion: integer("config_version"),
    trigger: text("trigger").$type<ImportTrigger>().notNull(),
    status: text("status").$type<ImportStatus>().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    /** The plan summary. */
    counts: jsonb("counts").notNull(),
    /** gzipped JSON of the plan's decisions and entity decisions. */
    decisions: bytea("decisions"),
    /** gzipped JSON: every deleted or overwritten row as it was before. */
    audit: bytea("audit"),
    error: text("error"),
    inboundEventId: uuid("inbound_event_id"),
    replayOf: uuid("replay_of"),
    undoneBy: uuid("undone_by"),
  },
  (t) => [
    index("imports_use_case_started_idx").on(t.useCaseId, t.startedAt.desc().nullsFirst()),
    // The undo of an import is found from the import it undid (imports/[id]/undo).
    index("imports_undone_by_idx").on(t.undoneBy).where(sql`${t.undoneBy} IS NOT NULL`),
    // Imports that are not an API event's own (studio, replay, undo, CLI) list on their own.
    index("imports_standalone_started_idx").on(t.startedAt, t.id).where(sql`trigger <> 'api'`),
    index("imports_trigger_started_idx").on(t.trigger, t.startedAt),
    index("imports_inbound_event_idx").on(t.inboundEventId),
    check("imports_trigger_check", sql`${t.trigger} in ${oneOf(importTriggers)}`),
    check("imports_status_check", sql`${t.status} in ${oneOf(importStatuses)}`),
  ],
);

/**
 * The meters an import touched (its decisions' meters), so support finds every import of a meter
 * with one index probe instead of decoding every import's gzipped decisions.
 */
export const importMeters = pgTable(
  "import_meters",
  {
    meterId: uuid("meter_id").notNull(),
    /**
     * Not a declared foreign key: an import touching 10k meters paid a per-row RI check for each
     * (100 ms of 150), so migration 0014 checks it once per statement, and its rows go when their
     * import goes.
     */
    importId: uuid("import_id").notNull(),
  },
  (t) => [
    primaryKey({ name: "import_meters_pk", columns: [t.meterId, t.importId] }),
    index("import_meters_import_idx").on(t.importId),
  ],
);

/** How often each decision code occurs in an import: the list's error-code filter and counts. */
export const importCodes = pgTable(
  "import_codes",
  {
    code: text("code").notNull(),
    importId: uuid("import_id")
      .notNull()
      .references(() => imports.id, { onDelete: "cascade" }),
    /** The action its decisions took (error, skip, delete...): the overview ranks error codes. */
    action: text("action").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ name: "import_codes_pk", columns: [t.code, t.importId] }),
    index("import_codes_import_idx").on(t.importId),
  ],
);

export type InboundRequest = typeof inboundRequests.$inferSelect;
export type Integration = typeof integrations.$inferSelect;
export type NewIntegration = typeof integrations.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type UseCase = typeof useCases.$inferSelect;
export type NewUseCase = typeof useCases.$inferInsert;
export type ConfigVersion = typeof configVersions.$inferSelect;
export type NewConfigVersion = typeof configVersions.$inferInsert;
export type SamplePayload = typeof samplePayloads.$inferSelect;
export type NewSamplePayload = typeof samplePayloads.$inferInsert;
export type Entity = typeof entities.$inferSelect;
export type NewEntity = typeof entities.$inferInsert;
export type EntityKey = typeof entityKeys.$inferSelect;
export type EntityRelation = typeof entityRelations.$inferSelect;
export type NewEntityKey = typeof entityKeys.$inferInsert;
export type Reading = typeof readings.$inferSelect;
export type NewReading = typeof readings.$inferInsert;
export type InboundEvent = typeof inboundEvents.$inferSelect;
export type NewInboundEvent = typeof inboundEvents.$inferInsert;
export type Import = typeof imports.$inferSelect;
export type NewImport = typeof imports.$inferInsert;

export * from "./auth-schema";
