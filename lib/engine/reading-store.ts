import type { Slicer } from "./cooperative";
import { toDecimal } from "./decimal";
import { deepEqual } from "./deep-equal";
import { instantDay } from "./timestamp";
import type { StateReading, StoredReading } from "./types";

function normalizeStored(r: StateReading): StoredReading {
  // Rows already in the engine's shape (as the database loader builds them) are used as they are:
  // planning never mutates a stored row, it replaces it.
  if (
    typeof r.value === "string" &&
    r.counter_id !== undefined &&
    r.direction !== undefined &&
    r.external_id !== undefined &&
    r.source !== undefined &&
    r.reason !== undefined &&
    r.attributes != null
  ) {
    return r as StoredReading;
  }
  return {
    id: String(r.id),
    meter_id: String(r.meter_id),
    counter_id: r.counter_id ?? null,
    direction: r.direction ?? null,
    external_id: r.external_id ?? null,
    timestamp: r.timestamp,
    value: typeof r.value === "string" ? r.value : (toDecimal(r.value) ?? String(r.value)),
    source: r.source ?? null,
    reason: r.reason ?? null,
    attributes: r.attributes ?? {},
  };
}

/** The Berlin day of a row: the database stores it beside the timestamp; else computed. */
export function dayOf(r: StoredReading): string | null {
  return r.berlin_day ?? instantDay(r.timestamp);
}

interface MeterReadings {
  /** Insertion order: stored order first, then what planning added. */
  byId: Map<string, StoredReading>;
  byExternalId: Map<string, StoredReading>;
  /** Built on first day lookup: only meters a payload touches pay for Berlin days. */
  byDay: Map<string, StoredReading[]> | null;
  /** What planning created on this meter, until handed out (`finishMeter`). */
  created: Change[] | null;
  /**
   * Planning gave a stored reading of this meter another external id (strict-date): a reading
   * created with the old one may only be written after that update (the unique key).
   */
  renamed: boolean;
}

/** What planning did to one reading, first touch to last. */
interface Change {
  /** The row now; null once deleted. */
  row: StoredReading | null;
  /** Created by this plan (else a stored reading). */
  created: boolean;
  /** The stored row as it was before the plan touched it (null for a created one). */
  before: StoredReading | null;
  /** A created row handed out before the plan ended (`finishMeter`): it must not change again. */
  handedOut?: StoredReading;
}

const isNew = (id: string | null) => id?.startsWith("new:") === true;

/** The columns of a stored reading an update can change (its id and meter stay). */
export const UPDATABLE_COLUMNS = [
  "counter_id",
  "direction",
  "external_id",
  "timestamp",
  "value",
  "source",
  "reason",
  "attributes",
] as const;
export type UpdatableColumn = (typeof UPDATABLE_COLUMNS)[number];

function differs(column: UpdatableColumn, a: StoredReading, b: StoredReading): boolean {
  return column === "attributes" ? !deepEqual(a.attributes, b.attributes) : a[column] !== b[column];
}

/** The rows a plan leaves behind, as the shell writes them (see `ReadingStore.writes`). */
export interface ReadingWrites {
  /** Final rows of readings the plan creates (still alive at the end), but those handed out. */
  inserts: StoredReading[];
  /** Final rows of stored readings the plan changes. */
  updates: StoredReading[];
  deletes: string[];
  /** Every stored row the plan overwrites or deletes, as it was before: for undo and support. */
  audit: StoredReading[];
  /** The columns any of the updates changes: only those need writing. */
  updatedColumns: UpdatableColumn[];
}

/**
 * The readings as planning goes: stored ones plus what earlier decisions created, updated or
 * deleted, so each reading is decided as if the earlier ones had been applied (SPEC 3). It keeps
 * track of what changed, so the writes come out of it without replaying the decisions.
 */
export class ReadingStore {
  private readonly meters = new Map<string, MeterReadings>();
  /** What planning changed; null when nobody asks for the writes (plans only). */
  private readonly changes: Map<string, Change> | null;

  private constructor(trackChanges: boolean) {
    this.changes = trackChanges ? new Map() : null;
  }

  /** Indexes the stored readings, in slices so a large state never blocks the event loop. */
  static async load(
    readings: readonly StateReading[],
    slicer: Slicer,
    trackChanges = false,
  ): Promise<ReadingStore> {
    const store = new ReadingStore(trackChanges);
    await store.addStored(readings, slicer);
    return store;
  }

  /**
   * More stored readings, before planning touches their meters (a StoredReadingFeed's delivery).
   */
  async addStored(readings: readonly StateReading[], slicer: Slicer) {
    for (const r of readings) {
      if (r && r.id != null && r.meter_id != null) this.index(normalizeStored(r));
      if (slicer.due()) await slicer.pause();
    }
  }

  /** Consecutive readings mostly share a meter: the last one is kept at hand. */
  private lastMeterId: string | null = null;
  private lastMeter: MeterReadings | null = null;

  private meter(meterId: string): MeterReadings {
    if (meterId === this.lastMeterId) return this.lastMeter as MeterReadings;
    let m = this.meters.get(meterId);
    if (m === undefined) {
      m = { byId: new Map(), byExternalId: new Map(), byDay: null, created: null, renamed: false };
      this.meters.set(meterId, m);
    }
    this.lastMeterId = meterId;
    this.lastMeter = m;
    return m;
  }

  byExternalId(meterId: string, externalId: string): StoredReading | undefined {
    return this.meters.get(meterId)?.byExternalId.get(externalId);
  }

  /** Readings of a meter on a Berlin calendar day, in insertion order. */
  onDay(meterId: string, day: string): StoredReading[] {
    const m = this.meters.get(meterId);
    if (!m) return [];
    if (m.byDay === null) {
      m.byDay = new Map();
      for (const r of m.byId.values()) this.indexDay(m.byDay, r);
    }
    return m.byDay.get(day) ?? [];
  }

  ofMeter(meterId: string): StoredReading[] {
    const m = this.meters.get(meterId);
    return m ? [...m.byId.values()] : [];
  }

  private indexDay(byDay: Map<string, StoredReading[]>, r: StoredReading) {
    const day = dayOf(r);
    if (day === null) return;
    const list = byDay.get(day);
    if (list) list.push(r);
    else byDay.set(day, [r]);
  }

  private index(r: StoredReading) {
    const m = this.meter(r.meter_id);
    m.byId.set(r.id, r);
    if (r.external_id !== null) m.byExternalId.set(r.external_id, r);
    if (m.byDay !== null) this.indexDay(m.byDay, r);
  }

  private unindex(id: string, meterId: string): StoredReading | undefined {
    const m = this.meters.get(meterId);
    const r = m?.byId.get(id);
    if (!m || !r) return undefined;
    m.byId.delete(id);
    if (r.external_id !== null && m.byExternalId.get(r.external_id) === r)
      m.byExternalId.delete(r.external_id);
    if (m.byDay !== null) {
      const day = dayOf(r);
      const list = day === null ? undefined : m.byDay.get(day);
      if (list) {
        const at = list.indexOf(r);
        if (at >= 0) list.splice(at, 1);
      }
    }
    return r;
  }

  /** A reading the plan creates. */
  add(r: StoredReading) {
    this.index(r);
    if (!this.changes) return;
    const change: Change = { row: r, created: true, before: null };
    this.changes.set(r.id, change);
    const m = this.meter(r.meter_id);
    if (m.created) m.created.push(change);
    else m.created = [change];
  }

  /**
   * The rows created on a meter that planning will not touch again, handed out early (the shell
   * starts writing them while the plan goes on); `writes()` leaves them out. Rows on an entity
   * the plan creates stay: that entity is written after the plan. So do the rows of a meter where
   * a stored reading changes its external id: they are written after the updates.
   */
  finishMeter(meterId: string): StoredReading[] {
    const m = this.meters.get(meterId);
    if (!m?.created || m.renamed) return [];
    const out: StoredReading[] = [];
    for (const c of m.created) {
      if (!c.row || c.handedOut || isNew(c.row.meter_id) || isNew(c.row.counter_id)) continue;
      c.handedOut = c.row;
      out.push(c.row);
    }
    m.created = null;
    return out;
  }

  remove(id: string, meterId: string) {
    const r = this.unindex(id, meterId);
    if (!r) return;
    if (!this.changes) return;
    const change = this.changes.get(id);
    if (change?.created) {
      if (change.handedOut) throw new Error(`reading ${id} changed after it was written`);
      change.row = null;
      this.changes.delete(id);
    } else if (change) change.row = null;
    else this.changes.set(id, { row: null, created: false, before: r });
  }

  /** Puts the new version of a reading in place of the old one (same id, same meter). */
  replace(previous: StoredReading, next: StoredReading) {
    this.unindex(previous.id, previous.meter_id);
    this.index(next);
    if (next.external_id !== previous.external_id) this.meter(next.meter_id).renamed = true;
    if (!this.changes) return;
    const change = this.changes.get(next.id);
    if (change) change.row = next;
    else this.changes.set(next.id, { row: next, created: false, before: previous });
  }

  /** What planning changed, as rows to write: created and updated rows, deleted ids, the audit. */
  writes(): ReadingWrites {
    const out: ReadingWrites = {
      inserts: [],
      updates: [],
      deletes: [],
      audit: [],
      updatedColumns: [],
    };
    if (!this.changes) throw new Error("this ReadingStore does not track changes");
    // Columns not seen changing yet: each is compared until one update changes it.
    const unchanged: UpdatableColumn[] = [...UPDATABLE_COLUMNS];
    for (const [id, c] of this.changes) {
      if (c.created) {
        if (c.handedOut) {
          if (c.handedOut !== c.row) throw new Error(`reading ${id} changed after it was written`);
        } else if (c.row) out.inserts.push(c.row);
        continue;
      }
      if (c.before) out.audit.push(c.before);
      if (c.row) {
        out.updates.push(c.row);
        const { row, before } = c;
        if (before)
          for (let k = unchanged.length - 1; k >= 0; k--)
            if (differs(unchanged[k] as UpdatableColumn, row, before)) unchanged.splice(k, 1);
      } else out.deletes.push(id);
    }
    out.updatedColumns = UPDATABLE_COLUMNS.filter((column) => !unchanged.includes(column));
    return out;
  }
}
