import type { EvaluationBudget } from "./evaluation-budget";

/** Existing state, as plain JSON (SPEC 4). */
export interface StateMeter {
  id: string;
  attributes: Record<string, unknown>;
  /** Set when soft-deleted: out of every lookup (its readings get METER_NOT_FOUND). */
  deleted_at?: string | null;
}
export interface StateCounter {
  id: string;
  meter_id?: string | null;
  attributes: Record<string, unknown>;
  deleted_at?: string | null;
}
export interface StateEntity {
  id: string;
  entity_schema: string;
  /**
   * Attributes as stored: relations as `{ "$relation": [{ "entity_id", "_schema", "_tags"? }] }`,
   * references as `{ "$relation_ref": [{ "entity_id", "path", "_id" }] }`, repeatable attributes
   * as `[{ "email": ... }]` (SPEC-ENTITIES 2, 3).
   */
  attributes: Record<string, unknown>;
  /** Set when soft-deleted: the entity is out of every lookup until restored. */
  deleted_at?: string | null;
}
export interface StateReading {
  id: string;
  meter_id: string;
  counter_id?: string | null;
  direction?: string | null;
  external_id?: string | null;
  timestamp: string;
  value: string | number;
  source?: string | null;
  reason?: string | null;
  attributes?: Record<string, unknown> | null;
}
export interface ExistingState {
  meters?: StateMeter[];
  counters?: StateCounter[];
  /** Entities of other schemas (contracts, ...), optional. */
  entities?: StateEntity[];
  readings?: StateReading[];
}

export type Action = "create" | "update" | "unchanged" | "skip" | "delete" | "error";
export type MatchedBy = "external_id" | "strict-date" | "dedup" | "scope";

export interface ResolvedRef {
  id: string;
  unique_ids: Record<string, unknown>;
}

/** A mapped, validated reading: typed attributes first, custom attributes beside them. */
export interface PlannedReading {
  external_id?: string;
  timestamp?: string;
  value?: string;
  source?: string;
  reason?: string | null;
  direction?: string;
  [custom: string]: unknown;
}

export interface ReadingTime {
  raw: unknown;
  instant: string;
  berlin_day: string;
}

export interface Decision {
  item: number;
  /** Position in the extracted list; null for decisions about a whole item (prune, extraction). */
  index: number | null;
  action: Action;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  meter?: ResolvedRef | null;
  counter?: ResolvedRef | null;
  reading?: PlannedReading;
  time?: ReadingTime;
  /** Provisional id of a created reading (`new:item:index`), referenced by later decisions. */
  reading_id?: string;
  target?: { reading_id: string; matched_by: MatchedBy };
  changes?: Record<string, { from: unknown; to: unknown }>;
  /** The stored row as it was before an update or delete: the audit and undo keep it. */
  previous?: StoredReading;
}

export interface EntityDecision {
  item: number;
  index: number | null;
  entity_schema: string;
  action: "create" | "update" | "unchanged" | "skip" | "delete" | "error";
  /** On deletions only: soft `delete` (restorable for 30 days) or `purge` (for good). */
  mode?: "delete" | "purge";
  id?: string;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  unique_ids: Record<string, unknown>;
  attributes: Record<string, unknown>;
  /** For counters: the meter they belong to. */
  meter_id?: string | null;
  changes?: Record<string, { from: unknown; to: unknown }>;
}

export interface PlanWarning {
  code: string;
  message: string;
  path: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  unchanged: number;
  skip: number;
  delete: number;
  error: number;
}

export interface Plan {
  summary: PlanSummary;
  decisions: Decision[];
  entities: EntityDecision[];
  warnings: PlanWarning[];
}

/** A reading as the engine keeps it while planning (stored or provisional). */
export interface StoredReading {
  id: string;
  meter_id: string;
  counter_id: string | null;
  direction: string | null;
  external_id: string | null;
  timestamp: string;
  value: string;
  source: string | null;
  reason: string | null;
  attributes: Record<string, unknown>;
  /** The Europe/Berlin day of `timestamp`, when the loader already knows it. */
  berlin_day?: string;
  /**
   * The import that last wrote the stored row, when loaded from the database: the audit keeps
   * it, so an undo puts back the row's writer too and a later undo can tell who wrote it.
   */
  import_id?: string | null;
}

/** The integration's variables, by key (SPEC-ENTITIES 5): a secret one is never resolved. */
export type IntegrationVariables = Readonly<Record<string, { value: string; secret: boolean }>>;

export interface PlanOptions {
  /** The integration's variables, for `env_var_ref` (none when absent). */
  variables?: IntegrationVariables;
  /** The clock, as data: the engine never reads it itself. Reserved for time-relative rules. */
  now?: string;
  /** Yield to the event loop when a synchronous slice has run this long (ms). */
  sliceMs?: number;
  /** The request's JSONata budget (a fresh one when absent). */
  budget?: EvaluationBudget;
}
