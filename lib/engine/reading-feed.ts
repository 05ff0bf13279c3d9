import type { StoredReading } from "./types";

/**
 * Stored readings that arrive while the plan runs: the database shell looks them up in batches
 * as the payload is staged, and the plan starts on the first batch instead of waiting for all.
 * `next(meterId)` is null once every row the payload can touch on that meter has been delivered;
 * otherwise it delivers the next batch (rows of any meters). Each meter's rows come in a single
 * delivery, in (timestamp, id) order, so every meter is planned exactly as if all stored readings
 * had been loaded first.
 */
export interface StoredReadingFeed {
  next(meterId: string): Promise<StoredReading[]> | null;
  /** Everything not delivered yet (a prune scope needs every row of its meters). */
  rest(): Promise<StoredReading[]>;
}

/** The order stored readings are planned in: timestamp, then id (ISO instants sort as text). */
export function byTimeThenId(a: StoredReading, b: StoredReading): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Sorted (byTimeThenId), without repeats: a row found twice sits next to itself. */
export function sortedUnique(rows: StoredReading[]): StoredReading[] {
  rows.sort(byTimeThenId);
  const out: StoredReading[] = [];
  for (const r of rows) if (out.length === 0 || out[out.length - 1]?.id !== r.id) out.push(r);
  return out;
}

/**
 * Each meter's rows in (timestamp, id) order, without repeats; meters in any order. The lookups
 * follow the payload, which mostly lists a meter's readings together and in time: one pass checks
 * that each meter's rows are together and strictly ascending (then none repeats), and only
 * otherwise are the rows sorted.
 */
export function inMeterOrder(rows: StoredReading[]): StoredReading[] {
  const meters = new Set<string>();
  let previous: StoredReading | undefined;
  for (const r of rows) {
    if (previous?.meter_id === r.meter_id) {
      if (byTimeThenId(previous, r) >= 0) return sortedUnique(rows);
    } else {
      if (meters.has(r.meter_id)) return sortedUnique(rows);
      meters.add(r.meter_id);
    }
    previous = r;
  }
  return rows;
}

/**
 * A StoredReadingFeed over batches of lookups. Each batch names the meters whose rows it can
 * return; a meter named by several batches (its readings are spread over the payload) is held
 * back until its last batch arrives, so its rows still come in one sorted delivery. Register
 * every batch (`add`) before the first delivery.
 */
export class BatchedReadingFeed implements StoredReadingFeed {
  private readonly batches: (() => Promise<StoredReading[]>)[] = [];
  /** Per meter, the last batch that can return its rows. */
  private readonly lastBatch = new Map<string, number>();
  /** Meters named by more than one batch. */
  private readonly spanning = new Set<string>();
  private readonly held = new Map<string, StoredReading[]>();
  private delivered = 0;

  /** Registers the next batch: the meters it covers, and its rows (each called once, in order). */
  add(meters: Iterable<string>, rows: () => Promise<StoredReading[]>) {
    const batch = this.batches.length;
    let previous: string | undefined;
    for (const meterId of meters) {
      // Readings of one meter mostly come together: skip the map for repeats.
      if (meterId === previous) continue;
      previous = meterId;
      const last = this.lastBatch.get(meterId);
      if (last === batch) continue;
      if (last !== undefined) this.spanning.add(meterId);
      this.lastBatch.set(meterId, batch);
    }
    this.batches.push(rows);
  }

  next(meterId: string): Promise<StoredReading[]> | null {
    const last = this.lastBatch.get(meterId);
    if (last === undefined || last < this.delivered) return null;
    return this.deliver(this.delivered++);
  }

  async rest(): Promise<StoredReading[]> {
    const out: StoredReading[] = [];
    while (this.delivered < this.batches.length) {
      for (const r of await this.deliver(this.delivered++)) out.push(r);
    }
    return out;
  }

  private async deliver(batch: number): Promise<StoredReading[]> {
    const rows = await (this.batches[batch] as () => Promise<StoredReading[]>)();
    if (this.spanning.size === 0) return inMeterOrder(rows);
    const out: StoredReading[] = [];
    for (const r of rows) {
      if (!this.spanning.has(r.meter_id)) out.push(r);
      else {
        const held = this.held.get(r.meter_id);
        if (held) held.push(r);
        else this.held.set(r.meter_id, [r]);
      }
    }
    for (const [meterId, held] of this.held) {
      if (this.lastBatch.get(meterId) !== batch) continue;
      for (const r of held) out.push(r);
      this.held.delete(meterId);
    }
    return inMeterOrder(out);
  }
}
