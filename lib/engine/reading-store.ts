import type { Slicer } from "./cooperative";
import { toDecimal } from "./decimal";
import { getOrInsert } from "./map-utils";
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
function dayOf(r: StoredReading): string | null {
  return r.berlin_day ?? instantDay(r.timestamp);
}

interface MeterReadings {
  /** Insertion order: stored order first, then what planning added. */
  byId: Map<string, StoredReading>;
  byExternalId: Map<string, StoredReading>;
  /** Built on first day lookup: only meters a payload touches pay for Berlin days. */
  byDay: Map<string, StoredReading[]> | null;
}

/**
 * The readings as planning goes: stored ones plus what earlier decisions created, updated or
 * deleted, so each reading is decided as if the earlier ones had been applied (SPEC 3).
 */
export class ReadingStore {
  private readonly meters = new Map<string, MeterReadings>();

  /** Indexes the stored readings, in slices so a large state never blocks the event loop. */
  static async load(readings: readonly StateReading[], slicer: Slicer): Promise<ReadingStore> {
    const store = new ReadingStore();
    for (const r of readings) {
      if (r && r.id != null && r.meter_id != null) store.add(normalizeStored(r));
      if (slicer.due()) await slicer.pause();
    }
    return store;
  }

  private meter(meterId: string): MeterReadings {
    return getOrInsert(this.meters, meterId, () => ({
      byId: new Map(),
      byExternalId: new Map(),
      byDay: null,
    }));
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

  add(r: StoredReading) {
    const m = this.meter(r.meter_id);
    m.byId.set(r.id, r);
    if (r.external_id !== null) m.byExternalId.set(r.external_id, r);
    if (m.byDay !== null) this.indexDay(m.byDay, r);
  }

  remove(id: string, meterId: string) {
    const m = this.meters.get(meterId);
    const r = m?.byId.get(id);
    if (!m || !r) return;
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
  }

  /** Puts the new version of a reading in place of the old one (same id, same meter). */
  replace(previous: StoredReading, next: StoredReading) {
    this.remove(previous.id, previous.meter_id);
    this.add(next);
  }
}
