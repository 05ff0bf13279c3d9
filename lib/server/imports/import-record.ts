import "server-only";
import {
  type Action,
  type Decision,
  type EntityDecision,
  type MatchedBy,
  type Plan,
  type PlannedReading,
  type PlanSummary,
  type PlanWarning,
  type StoredReading,
  UPDATABLE_COLUMNS,
} from "../../engine";
import { defaultSlice, Slicer } from "../../engine/cooperative";
import { gunzipJson, gzipJson } from "../platform/gzip-json";
import type { EntityAudit } from "./entity-writes";

/**
 * How an import keeps its plan and its audit: compact columns rather than the engine's objects
 * (a 100k-reading plan as objects is ~40 MB of JSON and took seconds to write). Nothing that
 * matters is lost; what is left out is derivable: the mapped values of written readings are in
 * the rows (and re-computable from the stored payload with the stored configuration version),
 * a change's "from" is in the audit and its "to" in the row.
 */
export const DECISIONS_FORMAT = "mms.decisions/3";
/** The format before entity decisions were kept column by column (still read). */
const DECISIONS_FORMAT_2 = "mms.decisions/2";
export const AUDIT_FORMAT = "mms.readings/1";

/** One stored decision, decoded. `reading_id` is the real id (created or targeted). */
export interface RecordedDecision {
  item: number;
  index: number | null;
  action: Action;
  code?: string;
  reading_id?: string;
  meter_id?: string;
  counter_id?: string;
  matched_by?: MatchedBy;
  /** The attributes an update changed. */
  changed?: string[];
  message?: string;
  details?: Record<string, unknown>;
  /** The mapped reading, kept only where nothing was written (skip, error). */
  reading?: PlannedReading;
}

/**
 * One stored entity decision, decoded. `id` is the real id (created, updated or deleted). As for
 * readings, the mapped attributes are kept only where nothing was written (skip, error): a
 * written entity's are in its row (the audit keeps the row as it was before), and re-computable
 * from the stored payload with the stored configuration version.
 */
export interface RecordedEntityDecision {
  item: number;
  index: number | null;
  entity_schema: string;
  action: EntityDecision["action"];
  mode?: "delete" | "purge";
  id?: string;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  unique_ids: Record<string, unknown>;
  /** The attributes an update changed (`meter_id` for a counter moved to another meter). */
  changed?: string[];
  attributes?: Record<string, unknown>;
  meter_id?: string | null;
}

/** Entity decisions column by column, like the readings' (see DecisionsRecord). */
export interface EntityColumns {
  count: number;
  schemas: string[];
  schema: number[];
  /** One letter per decision, as for readings. */
  actions: string;
  /** One letter per decision: d delete, p purge, - none. */
  modes: string;
  item: number[];
  index: (number | null)[];
  id: (string | null)[];
  unique_ids: Record<string, unknown>[];
  change_sets: string[];
  changed: (number | null)[];
  code: Record<number, string>;
  message: Record<number, string>;
  details: Record<number, Record<string, unknown>>;
  attributes: Record<number, Record<string, unknown>>;
  meter_id: Record<number, string | null>;
}

const ACTION_LETTERS: Record<Action, string> = {
  create: "c",
  update: "u",
  unchanged: "n",
  skip: "s",
  delete: "d",
  error: "e",
};
const MATCH_LETTERS: Record<MatchedBy, string> = {
  external_id: "x",
  "strict-date": "t",
  dedup: "d",
  scope: "p",
};
const invert = <K extends string>(letters: Record<K, string>) =>
  Object.fromEntries(Object.entries(letters).map(([k, v]) => [v, k])) as Record<string, K>;
const ACTIONS = invert(ACTION_LETTERS);
const MATCHES = invert(MATCH_LETTERS);

/** The audit's columns; records written before `import_id` was kept decode without it. */
export const READING_COLUMNS = [
  "id",
  "meter_id",
  ...UPDATABLE_COLUMNS,
  "import_id",
] as const satisfies readonly (keyof StoredReading)[];

/**
 * The decisions column by column (one array per field, one entry per decision): no object or
 * array per decision to build, and native JSON for each column. Letters stand for actions and
 * match kinds; ids that repeat (meters, counters, change sets) are listed once and referenced by
 * position; rare fields are sparse, by decision number.
 */
export interface DecisionsRecord {
  format: typeof DECISIONS_FORMAT | typeof DECISIONS_FORMAT_2;
  summary: PlanSummary;
  warnings: PlanWarning[];
  /** Format 2 kept the engine's objects, with `entity_ids` (provisional id to real id) beside. */
  entities: EntityColumns | EntityDecision[];
  entity_ids?: Record<string, string>;
  count: number;
  /** One letter per decision: c create, u update, n unchanged, s skip, d delete, e error. */
  actions: string;
  item: number[];
  index: (number | null)[];
  reading_id: (string | null)[];
  meters: string[];
  meter: (number | null)[];
  counters: string[];
  counter: (number | null)[];
  /** One letter per decision: x external_id, t strict-date, d dedup, p scope, - none. */
  matched_by: string;
  /** Changed attribute lists, comma-joined, referenced by `changed`. */
  change_sets: string[];
  changed: (number | null)[];
  code: Record<number, string>;
  message: Record<number, string>;
  details: Record<number, Record<string, unknown>>;
  reading: Record<number, PlannedReading>;
}

export interface AuditRecord {
  format: typeof AUDIT_FORMAT;
  columns: typeof READING_COLUMNS;
  rows: unknown[][];
  /** What the import did to entities; absent in records of imports that touched none. */
  entities?: EntityAudit;
}

/** Positions of distinct values, for columns that repeat a few values many times. */
class Dictionary {
  readonly values: string[] = [];
  private readonly positions = new Map<string, number>();

  private last: string | null = null;
  private lastAt = -1;

  at(value: string): number {
    // Decisions of one meter mostly come together: the last value is checked first.
    if (value === this.last) return this.lastAt;
    let at = this.positions.get(value);
    if (at === undefined) {
      at = this.values.length;
      this.values.push(value);
      this.positions.set(value, at);
    }
    this.last = value;
    this.lastAt = at;
    return at;
  }
}

let lastChanges: string[] = [];
let lastChangeSet = "";

/** The changed attributes, comma-joined; consecutive updates mostly change the same ones. */
function changeSetOf(changes: Record<string, unknown>): string {
  let same = true;
  let n = 0;
  for (const key in changes) {
    if (lastChanges[n] !== key) same = false;
    n++;
  }
  if (same && n === lastChanges.length) return lastChangeSet;
  lastChanges = Object.keys(changes);
  lastChangeSet = lastChanges.join(",");
  return lastChangeSet;
}

const MODE_LETTERS = { delete: "d", purge: "p" } as const;
const MODES = invert(MODE_LETTERS);

/** The entity decisions as the record keeps them (see RecordedEntityDecision). */
async function entityColumns(
  entities: readonly EntityDecision[],
  ids: ReadonlyMap<string, string>,
): Promise<EntityColumns> {
  const slicer = new Slicer(defaultSlice());
  const n = entities.length;
  const c: EntityColumns = {
    count: n,
    schemas: [],
    schema: new Array(n),
    actions: "",
    modes: "",
    item: new Array(n),
    index: new Array(n),
    id: new Array(n),
    unique_ids: new Array(n),
    change_sets: [],
    changed: new Array(n),
    code: {},
    message: {},
    details: {},
    attributes: {},
    meter_id: {},
  };
  const schemas = new Dictionary();
  const changeSets = new Dictionary();
  let actions = "";
  let modes = "";
  for (let i = 0; i < n; i++) {
    const e = entities[i] as EntityDecision;
    c.schema[i] = schemas.at(e.entity_schema);
    actions += ACTION_LETTERS[e.action];
    modes += e.mode ? MODE_LETTERS[e.mode] : "-";
    c.item[i] = e.item;
    c.index[i] = e.index;
    c.id[i] = e.id === undefined ? null : (ids.get(e.id) ?? e.id);
    c.unique_ids[i] = e.unique_ids;
    c.changed[i] = e.changes ? changeSets.at(changeSetOf(e.changes)) : null;
    if (e.code !== undefined) c.code[i] = e.code;
    if (e.message !== undefined) c.message[i] = e.message;
    if (e.details !== undefined) c.details[i] = e.details;
    if (e.action === "skip" || e.action === "error") {
      c.attributes[i] = e.attributes;
      if (e.meter_id !== undefined) c.meter_id[i] = e.meter_id;
    }
    if (slicer.due()) await slicer.pause();
  }
  c.actions = actions;
  c.modes = modes;
  c.schemas = schemas.values;
  c.change_sets = changeSets.values;
  return c;
}

/** The entity decisions of a record, decoded (either format). */
export function recordedEntities(r: DecisionsRecord): RecordedEntityDecision[] {
  if (Array.isArray(r.entities)) {
    const real = r.entity_ids ?? {};
    return r.entities.map((e) => {
      const { changes, attributes, id, ...rest } = e;
      const out: RecordedEntityDecision = { ...rest };
      if (id !== undefined) out.id = real[id] ?? id;
      if (changes) out.changed = Object.keys(changes);
      if (e.action === "skip" || e.action === "error") out.attributes = attributes;
      return out;
    });
  }
  const c = r.entities;
  const out: RecordedEntityDecision[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) {
    const d: RecordedEntityDecision = {
      item: c.item[i] as number,
      index: c.index[i] ?? null,
      entity_schema: c.schemas[c.schema[i] as number] as string,
      action: ACTIONS[c.actions[i] as string] as Action,
      unique_ids: c.unique_ids[i] ?? {},
    };
    const mode = MODES[c.modes[i] as string];
    if (mode) d.mode = mode;
    const id = c.id[i];
    if (id != null) d.id = id;
    const changed = c.changed[i];
    if (changed != null) d.changed = c.change_sets[changed]?.split(",");
    if (c.code[i] !== undefined) d.code = c.code[i];
    if (c.message[i] !== undefined) d.message = c.message[i];
    if (c.details[i] !== undefined) d.details = c.details[i];
    if (c.attributes[i] !== undefined) d.attributes = c.attributes[i];
    if (c.meter_id[i] !== undefined) d.meter_id = c.meter_id[i];
    out[i] = d;
  }
  return out;
}

/** How many entity decisions a record holds. */
export const recordedEntityCount = (r: DecisionsRecord) =>
  Array.isArray(r.entities) ? r.entities.length : r.entities.count;

/** The plan as the import record keeps it, built in slices (the event loop keeps turning). */
export async function decisionsRecord(
  plan: Plan,
  ids: ReadonlyMap<string, string>,
): Promise<DecisionsRecord> {
  const slicer = new Slicer(defaultSlice());
  const n = plan.decisions.length;
  const item = new Array<number>(n);
  const index = new Array<number | null>(n);
  const readingId = new Array<string | null>(n);
  const meter = new Array<number | null>(n);
  const counter = new Array<number | null>(n);
  const changed = new Array<number | null>(n);
  const meters = new Dictionary();
  const counters = new Dictionary();
  const changeSets = new Dictionary();
  const code: Record<number, string> = {};
  const message: Record<number, string> = {};
  const details: Record<number, Record<string, unknown>> = {};
  const reading: Record<number, PlannedReading> = {};
  let actions = "";
  let matchedBy = "";
  for (let i = 0; i < n; i++) {
    const d = plan.decisions[i] as Decision;
    item[i] = d.item;
    index[i] = d.index;
    actions += ACTION_LETTERS[d.action];
    const provisional = d.reading_id ?? d.target?.reading_id;
    readingId[i] = provisional === undefined ? null : (ids.get(provisional) ?? provisional);
    // A meter or counter the same payload creates is named by the id it was written with.
    meter[i] = d.meter ? meters.at(ids.get(d.meter.id) ?? d.meter.id) : null;
    counter[i] = d.counter ? counters.at(ids.get(d.counter.id) ?? d.counter.id) : null;
    matchedBy += d.target ? MATCH_LETTERS[d.target.matched_by] : "-";
    changed[i] = d.changes ? changeSets.at(changeSetOf(d.changes)) : null;
    if (d.code !== undefined) code[i] = d.code;
    if (d.message !== undefined) message[i] = d.message;
    if (d.details !== undefined) details[i] = d.details;
    if ((d.action === "skip" || d.action === "error") && d.reading) reading[i] = d.reading;
    if (slicer.due()) await slicer.pause();
  }
  return {
    format: DECISIONS_FORMAT,
    summary: plan.summary,
    warnings: plan.warnings,
    entities: await entityColumns(plan.entities, ids),
    count: n,
    actions,
    item,
    index,
    reading_id: readingId,
    meters: meters.values,
    meter,
    counters: counters.values,
    counter,
    matched_by: matchedBy,
    change_sets: changeSets.values,
    changed,
    code,
    message,
    details,
    reading,
  };
}

/** Every deleted or overwritten row as it was before, as tuples. */
export async function auditRecord(
  rows: readonly StoredReading[],
  entities?: EntityAudit,
): Promise<AuditRecord> {
  const slicer = new Slicer(defaultSlice());
  const tuples: unknown[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as StoredReading;
    tuples[i] = [
      r.id,
      r.meter_id,
      r.counter_id,
      r.direction,
      r.external_id,
      r.timestamp,
      r.value,
      r.source,
      r.reason,
      r.attributes,
      r.import_id ?? null,
    ];
    if (slicer.due()) await slicer.pause();
  }
  const record: AuditRecord = { format: AUDIT_FORMAT, columns: READING_COLUMNS, rows: tuples };
  if (entities && (entities.created.length > 0 || entities.before.length > 0))
    record.entities = entities;
  return record;
}

export const encodeDecisions = async (plan: Plan, ids: ReadonlyMap<string, string>) =>
  gzipJson(await decisionsRecord(plan, ids));

export const encodeAudit = async (rows: readonly StoredReading[], entities?: EntityAudit) =>
  gzipJson(await auditRecord(rows, entities));

/** An import's decisions record as stored (imports.decisions), unzipped but still column-wise. */
export async function decodeDecisionsRecord(blob: Uint8Array): Promise<DecisionsRecord> {
  const r = await gunzipJson<DecisionsRecord>(blob);
  if (r.format !== DECISIONS_FORMAT && r.format !== DECISIONS_FORMAT_2)
    throw new Error(`unknown decisions format ${String(r.format)}`);
  return r;
}

/** Decision `i` of a column-wise record, as an object. */
export function recordedDecisionAt(r: DecisionsRecord, i: number): RecordedDecision {
  const d: RecordedDecision = {
    item: r.item[i] as number,
    index: r.index[i] ?? null,
    action: ACTIONS[r.actions[i] as string] as Action,
  };
  const optional = {
    code: r.code[i],
    reading_id: r.reading_id[i],
    meter_id: r.meter[i] == null ? null : r.meters[r.meter[i] as number],
    counter_id: r.counter[i] == null ? null : r.counters[r.counter[i] as number],
    matched_by: MATCHES[r.matched_by[i] as string],
    changed: r.changed[i] == null ? null : r.change_sets[r.changed[i] as number]?.split(","),
    message: r.message[i],
    details: r.details[i],
    reading: r.reading[i],
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined && value !== null)
      (d as unknown as Record<string, unknown>)[key] = value;
  return d;
}

/** The action letter of decision `i`, as its action. */
export const recordedActionAt = (r: DecisionsRecord, i: number) =>
  ACTIONS[r.actions[i] as string] as Action;

/** An import's decisions as stored (imports.decisions), decoded. */
export async function decodeDecisions(blob: Uint8Array) {
  const r = await decodeDecisionsRecord(blob);
  const decisions: RecordedDecision[] = [];
  for (let i = 0; i < r.count; i++) decisions.push(recordedDecisionAt(r, i));
  const { summary, warnings } = r;
  return { summary, warnings, entities: recordedEntities(r), decisions };
}

/** An import's audit as stored (imports.audit): the rows as they were before, decoded. */
export async function decodeAudit(blob: Uint8Array): Promise<StoredReading[]> {
  return (await decodeAuditRecord(blob)).readings;
}

/** An import's whole audit: the readings as they were before, and what it did to entities. */
export async function decodeAuditRecord(
  blob: Uint8Array,
): Promise<{ readings: StoredReading[]; entities: EntityAudit | null }> {
  const record = await gunzipJson<AuditRecord>(blob);
  if (record.format !== AUDIT_FORMAT)
    throw new Error(`unknown audit format ${String(record.format)}`);
  const readings = record.rows.map((row) => {
    const out: Record<string, unknown> = {};
    record.columns.forEach((c, i) => {
      out[c] = row[i] ?? null;
    });
    return out as unknown as StoredReading;
  });
  return { readings, entities: record.entities ?? null };
}
