import { sql } from "drizzle-orm";
import {
  BatchedReadingFeed,
  dayOf,
  type ReadingKey,
  type StoredReading,
  UPDATABLE_COLUMNS,
  type UpdatableColumn,
} from "../../lib/engine";
import type { Db } from "../client";
import { CopyIn, copyField, copyLines } from "./copy-rows";
import {
  arrayLiteral,
  driverOf,
  type PostgresJsClient,
  plainArrayLiteral,
  queryValues,
  rowsPerStatement,
  sendAhead,
} from "./driver";
import { breathe } from "./sql-json";

const BATCH = 5000;

/** The columns of a StoredReading as text (one JSON.parse for the attributes, no Date objects). */
const READING_VALUES = `r.id::text, r.meter_id::text, r.counter_id::text, r.direction, r.external_id,
  r.timestamp::text, r.value::text, r.source, r.reason,
  r.attributes::text, r.berlin_day::text, r.import_id::text`;

/**
 * timestamptz text as the server writes it in the UTC sessions both drivers use
 * (`2024-01-01 06:00:00.5+00`), as the engine's ISO instant (`2024-01-01T06:00:00.500Z`):
 * string surgery, a tenth of the cost of a Date round trip.
 */
function isoInstant(text: string): string {
  if (text.length < 22 || !text.endsWith("+00") || text.charCodeAt(10) !== 32)
    return new Date(text).toISOString();
  const fraction = text.charCodeAt(19) === 46 ? text.slice(20, -3).padEnd(3, "0") : "000";
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}

function storedReading(v: unknown[]): StoredReading {
  return {
    id: v[0] as string,
    meter_id: v[1] as string,
    counter_id: v[2] as string | null,
    direction: v[3] as string | null,
    external_id: v[4] as string | null,
    timestamp: isoInstant(v[5] as string),
    value: v[6] as string,
    source: v[7] as string | null,
    reason: v[8] as string | null,
    attributes: JSON.parse(v[9] as string),
    berlin_day: v[10] as string,
    import_id: v[11] as string | null,
  };
}

/** Decodes a lookup's rows, a slice at a time. */
async function storedReadings(batch: Promise<unknown[][]>): Promise<StoredReading[]> {
  const rows = await batch;
  const out = new Array<StoredReading>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = storedReading(rows[i] as unknown[]);
    if (i % BATCH === BATCH - 1) await breathe();
  }
  return out;
}

/**
 * One lookup over a batch of keys (passed as arrays and unnested by the server): the readings
 * their external ids find, then, only for keys whose external id found nothing (or for all, with
 * `daysForAll`), the readings of that meter on that Berlin day (deduplication, strict-date), plus
 * every reading of the `wholeMeters` (prune scopes). Every lookup is a LATERAL probe of an index
 * (`OFFSET 0` keeps the planner from flattening it into a join), so the cost is linear in the
 * keys whatever the statistics say: right after a bulk load they are stale, and a planner
 * trusting them chose nested loops over whole tables (minutes for 100k keys); with fresh ones it
 * hashed the whole table once per batch.
 */
const LOOKUP = `WITH k AS (
    SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[]) AS k(key_meter, key_external_id, key_day)),
  hit AS MATERIALIZED (
    SELECT k.key_meter, k.key_day, r.* FROM k LEFT JOIN LATERAL (
      SELECT * FROM readings r WHERE r.meter_id = k.key_meter AND r.external_id = k.key_external_id
      OFFSET 0) r ON true),
  miss AS (
    SELECT DISTINCT key_meter, key_day FROM hit
    WHERE key_day IS NOT NULL AND ($4::boolean OR id IS NULL))
  SELECT ${READING_VALUES} FROM hit r WHERE r.id IS NOT NULL
  UNION ALL
  SELECT ${READING_VALUES} FROM miss CROSS JOIN LATERAL (
    SELECT * FROM readings r WHERE r.meter_id = miss.key_meter AND r.berlin_day = miss.key_day
    OFFSET 0) r
  UNION ALL
  SELECT ${READING_VALUES} FROM readings r WHERE r.meter_id = ANY($5::uuid[])`;

/**
 * Looks up the stored readings a payload can touch, batch by batch as its keys are computed:
 * each batch's query goes out at once (the driver pipelines them on the transaction's
 * connection), so the server looks up one batch while the next batch's keys are computed, and
 * the plan starts on the first batch's rows while the server works on the next (`feed`). Joins
 * on the payload's keys rather than loading whole meters (PGlite is slow at returning many rows).
 */
export class ReadingsLoader {
  /** What the plan reads the rows from; every batch is registered with it as it is sent. */
  readonly feed = new BatchedReadingFeed();
  private readonly sent: Promise<unknown>[] = [];

  constructor(private readonly db: Db) {}

  /** Sends one lookup; nothing is sent for no keys and no meters. */
  add(keys: readonly ReadingKey[], daysForAll: boolean, wholeMeters: readonly string[] = []) {
    if (keys.length === 0 && wholeMeters.length === 0) return;
    if (this.sent.length === 0) {
      // Each probe finds one row or none: a plain index scan. The planner picked bitmap scans,
      // which cost the server a quarter more for 100k keys. Until close(), this transaction only.
      this.send(queryValues(this.db, "SET LOCAL enable_bitmapscan = off", []));
    }
    const n = keys.length;
    const meters = new Array<string>(n);
    const externalIds = new Array<string | null>(n);
    const days = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const k = keys[i] as ReadingKey;
      meters[i] = k.meter_id;
      externalIds[i] = k.external_id;
      days[i] = k.berlin_day;
    }
    const batch = queryValues(this.db, LOOKUP, [
      plainArrayLiteral(meters),
      arrayLiteral(externalIds),
      plainArrayLiteral(days),
      daysForAll,
      plainArrayLiteral(wholeMeters),
    ]);
    this.send(batch);
    this.feed.add(wholeMeters.length === 0 ? meters : [...meters, ...wholeMeters], () =>
      storedReadings(batch),
    );
  }

  /** After the last batch: what the lookups changed is restored, behind them. */
  close() {
    if (this.sent.length === 0) return;
    this.send(queryValues(this.db, "SET LOCAL enable_bitmapscan TO DEFAULT", []));
  }

  /** Waits for every lookup, also those the plan never needed (a failure must not go unseen). */
  async finished(): Promise<void> {
    await Promise.all(this.sent);
  }

  private send(query: Promise<unknown>) {
    // Awaited in finished() (and the lookups by the feed); until then a failure must not count
    // as unhandled.
    query.catch(() => {});
    this.sent.push(query);
  }
}

const COLUMNS = [
  "id",
  "meter_id",
  "counter_id",
  "direction",
  "external_id",
  "timestamp",
  "berlin_day",
  "value",
  "source",
  "reason",
  "attributes",
  "import_id",
] as const;

/** The id a row is written with: provisional plan ids (`new:...`) made real, others as they are. */
function realIdOf(ids: ReadonlyMap<string, string>): (id: string | null) => string | null {
  return (id) => (id?.startsWith("new:") ? (ids.get(id) ?? id) : id);
}

/** A field that needs no escaping: ids, instants, days and decimals never hold \\, tabs or newlines. */
const plain = (value: string | null | undefined) => value ?? "\\N";

/**
 * COPY lines of rows start..end-1, with provisional plan ids (`new:...`) replaced by the ids they
 * are written with. Hand-rolled per column: this runs for every written row.
 */
function copyLinesOf(
  rows: readonly StoredReading[],
  importId: string,
  ids: ReadonlyMap<string, string>,
): (start: number, end: number) => string {
  const real = realIdOf(ids);
  return (start, end) => {
    let out = "";
    for (let i = start; i < end; i++) {
      const r = rows[i] as StoredReading;
      out += `${plain(real(r.id))}\t${plain(real(r.meter_id))}\t${plain(real(r.counter_id))}\t${copyField(r.direction)}\t${copyField(r.external_id)}\t${plain(r.timestamp)}\t${plain(dayOf(r))}\t${plain(r.value)}\t${copyField(r.source)}\t${copyField(r.reason)}\t${copyField(r.attributes)}\t${importId}\n`;
    }
    return out;
  };
}

/**
 * New readings written while the plan still runs, on a Postgres server: the rows the plan hands
 * out as final (`onFinal`) get their real ids and go, 5000 at a time, into one COPY that opens
 * behind the lookups, so the server ingests them while the plan goes on. Nothing may be sent on
 * the connection until `finish` (or `abort`). PGlite runs every statement on this thread, where
 * nothing would overlap: there is none (`open` gives null).
 */
export class EarlyInserts {
  private pending: StoredReading[] = [];
  private copy: CopyIn | null = null;
  /** Batches handed to the COPY in order, the first once `after` has settled. */
  private sending: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: PostgresJsClient,
    private readonly importId: string,
    private readonly ids: Map<string, string>,
    private readonly newId: () => string,
    private readonly after: () => Promise<unknown>,
  ) {}

  /** `after`: what must be written on the connection before the COPY opens (early entities). */
  static open(
    db: Db,
    importId: string,
    ids: Map<string, string>,
    newId: () => string,
    after: () => Promise<unknown> = async () => {},
  ): EarlyInserts | null {
    const driver = driverOf(db);
    return driver.kind === "postgres"
      ? new EarlyInserts(driver.client, importId, ids, newId, after)
      : null;
  }

  add(rows: readonly StoredReading[]) {
    for (const r of rows) {
      this.ids.set(r.id, this.newId());
      this.pending.push(r);
    }
    if (this.pending.length >= BATCH) this.flush();
  }

  /** Sends what is pending; call it once the plan is done, before `finish`. */
  flush() {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const text = copyLinesOf(rows, this.importId, this.ids)(0, rows.length);
    this.sending = this.sending.then(async () => {
      if (!this.copy) {
        await this.after();
        this.copy = new CopyIn(this.client, `COPY readings (${COLUMNS.join(", ")}) FROM STDIN`);
      }
      this.copy.write(text);
    });
    this.sending.catch(() => {});
  }

  /** Waits until the server has every row; the connection is free again. */
  async finish() {
    this.flush();
    await this.sending;
    await this.copy?.end();
  }

  /** Cancels the COPY, so the transaction can roll back. */
  async abort(reason: unknown) {
    await this.sending.catch(() => {});
    await this.copy?.abort(reason);
  }
}

/** The COPY field of one column of a row (ids of what the plan creates already made real). */
const FIELDS: Record<
  UpdatableColumn | "berlin_day",
  (r: StoredReading, real: (id: string | null) => string | null) => string
> = {
  counter_id: (r, real) => plain(real(r.counter_id)),
  direction: (r) => copyField(r.direction),
  external_id: (r) => copyField(r.external_id),
  timestamp: (r) => plain(r.timestamp),
  berlin_day: (r) => plain(dayOf(r)),
  value: (r) => plain(r.value),
  source: (r) => copyField(r.source),
  reason: (r) => copyField(r.reason),
  attributes: (r) => copyField(r.attributes),
};

/** COPY lines of updated rows: their id, the given columns, the import. */
function updateLinesOf(
  rows: readonly StoredReading[],
  columns: readonly (UpdatableColumn | "berlin_day")[],
  importId: string,
  ids: ReadonlyMap<string, string>,
): (start: number, end: number) => string {
  const real = realIdOf(ids);
  const fields = columns.map((c) => FIELDS[c]);
  const parts = new Array<string>(fields.length + 2);
  parts[fields.length + 1] = importId;
  return (start, end) => {
    const lines = new Array<string>(end - start + 1);
    for (let i = start; i < end; i++) {
      const r = rows[i] as StoredReading;
      parts[0] = r.id;
      for (let k = 0; k < fields.length; k++)
        parts[k + 1] = (fields[k] as (typeof fields)[0])(r, real);
      lines[i - start] = parts.join("\t");
    }
    lines[end - start] = "";
    return lines.join("\n");
  };
}

/**
 * Applies reading writes set-based: deletes first, then updates, then new rows, so the unique
 * (meter, external id) key never sees a row a later statement frees: a deleted reading, or one
 * whose external id an update changes (strict-date), can hand its external id to a new reading.
 * Updates go by COPY into a staging table and one UPDATE ... FROM, which stays heap-only (HOT, no
 * index writes) when no indexed column changes (readings has fillfactor 70 for that); only the
 * columns that change (`columns`, by default all) are staged and set. New rows go by COPY
 * straight into readings (they carry fresh ids). `alongside` (the import's own record) goes out
 * right behind the last statement, so its preparation overlaps the server's work.
 */
export async function writeReadings(
  db: Db,
  writes: {
    inserts: StoredReading[];
    updates: StoredReading[];
    deletes: string[];
    columns?: readonly UpdatableColumn[];
  },
  importId: string,
  ids: ReadonlyMap<string, string> = new Map(),
  alongside: () => Promise<unknown> = async () => {},
) {
  if (writes.deletes.length > 0)
    await db.execute(
      sql`DELETE FROM readings WHERE id = ANY(${arrayLiteral(writes.deletes)}::uuid[])`,
    );
  // The last UPDATE is sent, not awaited: the new rows' COPY goes right behind it.
  const { updated } = await sendUpdates(db, writes, importId, ids);
  updated.catch(() => {});
  // One COPY, built slice by slice while the server ingests (copyLines).
  const inserts = writes.inserts;
  try {
    await copyLines(db, "readings", COLUMNS, inserts.length, copyLinesOf(inserts, importId, ids));
  } catch (error) {
    // A failed update fails the COPY behind it: its own error says what went wrong.
    await updated;
    throw error;
  }
  await Promise.all([updated, alongside()]);
}

/**
 * The updates of `writeReadings`, staged and applied: resolves once the last UPDATE is sent (the
 * caller's next statement queues behind it), with `updated` for when it is done.
 */
async function sendUpdates(
  db: Db,
  writes: { updates: StoredReading[]; columns?: readonly UpdatableColumn[] },
  importId: string,
  ids: ReadonlyMap<string, string>,
): Promise<{ updated: Promise<void> }> {
  let updated = Promise.resolve();
  if (writes.updates.length === 0) return { updated };
  // Shaped like readings without its NOT NULLs: a staged row carries only what changes. Sent,
  // not awaited: the COPY queues behind it.
  const { done: staged } = await sendAhead(
    db,
    sql`CREATE TEMP TABLE IF NOT EXISTS reading_updates ON COMMIT DELETE ROWS AS SELECT * FROM readings WITH NO DATA`,
  );
  const columns = (writes.columns ?? UPDATABLE_COLUMNS).flatMap((c) =>
    c === "timestamp" ? (["timestamp", "berlin_day"] as const) : [c],
  );
  const set = sql.raw([...columns, "import_id"].map((c) => `${c} = s.${c}`).join(", "));
  // One UPDATE on a server, sent right behind its stage; on PGlite one per slice (see
  // rowsPerStatement), and a pause after each statement: there each runs on this thread, and
  // statements chained by awaits alone never let the event loop run (ten slices' statements in
  // a row blocked it for 1.4 s).
  const pglite = driverOf(db).kind === "pglite";
  const slice = pglite ? rowsPerStatement(db) : writes.updates.length;
  for (let start = 0; start < writes.updates.length; start += slice) {
    const updates = writes.updates.slice(start, start + slice);
    try {
      await copyLines(
        db,
        "reading_updates",
        ["id", ...columns, "import_id"],
        updates.length,
        updateLinesOf(updates, columns, importId, ids),
      );
    } catch (error) {
      // Had the stage not been made, that is what went wrong.
      await staged;
      throw error;
    }
    if (pglite) await breathe();
    const { done: update } = await sendAhead(
      db,
      sql`UPDATE readings r SET ${set}, updated_at = now() FROM reading_updates s WHERE r.id = s.id`,
    );
    const last = start + slice >= writes.updates.length;
    if (last && !pglite) {
      // The commit empties the stage (ON COMMIT DELETE ROWS).
      updated = update;
    } else {
      await update;
      if (!last) await db.execute(sql`TRUNCATE reading_updates`);
      await breathe();
    }
  }
  return { updated };
}
