import { type SQL, sql } from "drizzle-orm";
import type {
  EntityKeys,
  EntityWrite,
  ScopeLookup,
  StateCounter,
  StateEntity,
  StateMeter,
} from "../../lib/engine";
import type { Db } from "../client";
import { copyField, sendCopyLines } from "./copy-rows";
import {
  arrayLiteral,
  driverOf,
  plainArrayLiteral,
  sendAhead,
  settleInOrder,
  uuidLiteral,
} from "./driver";
import { type EntitySnapshot, SNAPSHOT } from "./entity-deletes";
import { type DerivedWriteOptions, keyedAttributes, sendDerivedRows } from "./entity-derived";
import { breathe, jsonParam, query } from "./sql-json";

export interface LoadedEntities {
  meters: StateMeter[];
  counters: StateCounter[];
  entities: StateEntity[];
}

type EntityRow = EntitySnapshot;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROW = SNAPSHOT;

/**
 * The entity_keys rows (alias `k`) of the lookups of `keys` (those of schemas `only` accepts): one
 * condition per (schema, attribute) with every value as one text[] (a jsonb list of
 * 20k lookups took the server about 100 ms longer to take apart and join). Null when none.
 */
function keyMatches(keys: EntityKeys, only?: (schema: string) => boolean): SQL | null {
  const probes: SQL[] = [];
  for (const [schema, byAttribute] of keys) {
    if (only && !only(schema)) continue;
    for (const [attribute, values] of byAttribute) {
      // `_id` is the entity's own id, not an attribute: looked up by id below.
      if (attribute === "_id" || values.size === 0) continue;
      probes.push(
        sql`(k.entity_schema = ${schema} AND k.attribute = ${attribute} AND k.value = ANY(${arrayLiteral([...values])}::text[]))`,
      );
    }
  }
  return probes.length === 0 ? null : sql.join(probes, sql` OR `);
}

/** Values of `unique_ids: ["_id"]` lookups that can be ids at all. */
function idLookups(keys: EntityKeys): string[] {
  const ids: string[] = [];
  for (const byAttribute of keys.values())
    for (const v of byAttribute.get("_id") ?? []) if (UUID.test(v)) ids.push(v);
  return ids;
}

/**
 * Live entities of `schema` whose attributes hold every pair, through entity_keys (probes of its
 * index on values, grouped); `_id` among the pairs restricts to that id.
 */
function matching(schema: string, values: Record<string, unknown>): SQL {
  const { _id: id, ...rest } = values;
  const pairs = Object.entries(rest).map(([attribute, v]) => ({
    attribute,
    value: typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v),
  }));
  const byId =
    id === undefined ? sql`` : sql` AND e.id::text = ${typeof id === "string" ? id : String(id)}`;
  if (pairs.length === 0)
    return sql`SELECT e.id FROM entities e WHERE e.entity_schema = ${schema} AND e.deleted_at IS NULL${byId}`;
  return sql`SELECT e.id FROM entities e WHERE e.deleted_at IS NULL${byId} AND e.id IN (
      SELECT k.entity_id FROM entity_keys k
      JOIN jsonb_to_recordset(${jsonParam(pairs)}) AS q(attribute text, value text)
        ON k.entity_schema = ${schema} AND k.attribute = q.attribute AND k.value = q.value
      GROUP BY k.entity_id HAVING count(DISTINCT q.attribute) = ${pairs.length})`;
}

/**
 * Everything a prune can reach (SPEC-ENTITIES 4.3): for `relations` the scope entity and the live
 * entities of the pruned schema related to it in either direction (entity_relations both ways);
 * for `query` the live entities of that schema whose attributes equal every pair.
 */
async function loadScope(db: Db, s: ScopeLookup): Promise<EntityRow[]> {
  if (s.scope_mode === "query")
    return query<EntityRow>(
      db,
      sql`SELECT ${ROW} FROM entities e WHERE e.id IN (${matching(s.entity_schema, s.values)})`,
    );
  return query<EntityRow>(
    db,
    sql`WITH owner AS (${matching(s.schema ?? "", s.values)}),
        related AS (
          SELECT r.to_id AS id FROM entity_relations r WHERE r.kind = 'relation' AND r.from_id IN (SELECT id FROM owner)
          UNION SELECT r.from_id FROM entity_relations r WHERE r.kind = 'relation' AND r.to_id IN (SELECT id FROM owner))
        SELECT ${ROW} FROM entities e WHERE e.deleted_at IS NULL AND (e.id IN (SELECT id FROM owner)
          OR (e.entity_schema = ${s.entity_schema} AND e.id IN (SELECT id FROM related)))`,
  );
}

/**
 * The live entities a payload refers to, found through entity_keys in set-based queries (soft-
 * deleted ones are out of every lookup). Counters are restricted to the loaded meters (and
 * unattached ones) plus one foreign counter per looked-up value, which is all the engine needs to
 * tell COUNTER_METER_MISMATCH from COUNTER_NOT_FOUND without loading every "HT" counter of the
 * platform. `scopes` (pruneScopeLookups) add what each prune scope can reach. `loaded` receives
 * every row as read, by id (an import keeps them for its audit: they are what it changes).
 */
export async function loadEntities(
  db: Db,
  keys: EntityKeys,
  scopes: readonly ScopeLookup[] = [],
  loaded?: Map<string, EntitySnapshot>,
  /** Schemas whose lookups are left for loadLateEntities (never meters or counters). */
  late: ReadonlySet<string> = NO_SCHEMAS,
): Promise<LoadedEntities> {
  const lookups = keyMatches(keys, (s) => s !== "meter_counter" && !late.has(s));
  const found = lookups === null ? [] : await keyedEntities(db, lookups);
  const byId = idLookups(keys);
  if (byId.length > 0)
    found.push(
      ...(await query<EntityRow>(
        db,
        sql`SELECT ${ROW} FROM entities e WHERE e.deleted_at IS NULL
            AND e.id = ANY(${plainArrayLiteral(byId)}::uuid[]) ORDER BY e.created_at, e.id`,
      )),
    );
  for (const scope of scopes) found.push(...(await loadScope(db, scope)));
  const meters = found.filter((e) => e.entity_schema === "meter");
  const counterLookups = keyMatches(keys, (s) => s === "meter_counter");
  let counters: EntityRow[] = found.filter((e) => e.entity_schema === "meter_counter");
  if (counterLookups !== null) {
    const meterIds = plainArrayLiteral(meters.map((m) => m.id));
    counters = counters.concat(
      await query<EntityRow>(
        db,
        sql`WITH hits AS (SELECT k.entity_id, k.attribute, k.value, e.meter_id FROM entity_keys k
            JOIN entities e ON e.id = k.entity_id AND e.deleted_at IS NULL
            WHERE ${counterLookups}),
          own AS (SELECT entity_id FROM hits WHERE meter_id IS NULL
            OR meter_id = ANY(${meterIds}::uuid[])),
          foreign_one AS (SELECT DISTINCT ON (attribute, value) entity_id FROM hits ORDER BY attribute, value, entity_id)
          SELECT ${ROW} FROM entities e
          WHERE e.id IN (SELECT entity_id FROM own UNION SELECT entity_id FROM foreign_one)
          ORDER BY e.created_at, e.id`,
      ),
    );
  }
  for (const row of found) loaded?.set(row.id, row);
  for (const row of counters) loaded?.set(row.id, row);
  return {
    meters: once(meters).map(({ id, attributes }) => ({ id, attributes })),
    counters: once(counters).map(({ id, attributes, meter_id }) => ({ id, attributes, meter_id })),
    entities: stateEntities(
      found.filter((e) => e.entity_schema !== "meter" && e.entity_schema !== "meter_counter"),
    ),
  };
}

/**
 * The lookups of the `late` schemas that loadEntities left out, sent now: the server runs them
 * while the plan's first mappings, which cannot look at those schemas, are planned (LateEntities).
 * Send it after every other statement the plan waits for. `loaded` receives the rows as read.
 */
export function loadLateEntities(
  db: Db,
  keys: EntityKeys,
  late: ReadonlySet<string>,
  loaded?: Map<string, EntitySnapshot>,
): Promise<StateEntity[]> {
  const lookups = keyMatches(keys, (s) => late.has(s));
  if (lookups === null) return Promise.resolve([]);
  return keyedEntities(db, lookups).then((found) => {
    for (const row of found) loaded?.set(row.id, row);
    return stateEntities(found);
  });
}

const NO_SCHEMAS: ReadonlySet<string> = new Set();

/** Live entities with a key among `lookups` (keyMatches), in the order they were created. */
function keyedEntities(db: Db, lookups: SQL): Promise<EntityRow[]> {
  return query<EntityRow>(
    db,
    sql`SELECT ${ROW} FROM entities e
        WHERE e.deleted_at IS NULL AND e.id IN (SELECT k.entity_id FROM entity_keys k WHERE ${lookups})
        ORDER BY e.created_at, e.id`,
  );
}

/** Each row once, in the order first found. */
function once<T extends { id: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

function stateEntities(rows: EntityRow[]): StateEntity[] {
  return once(rows).map(({ id, entity_schema, attributes }) => ({ id, entity_schema, attributes }));
}

export interface WriteEntitiesOptions extends DerivedWriteOptions {
  /**
   * Called once every statement is sent: what it sends queues right behind them, while the
   * server still writes them (an import's record).
   */
  afterSent?: () => Promise<void>;
}

/**
 * In a transaction (its statements go one behind the other, on one connection), writes entity
 * creates (ids already real) and updates (attributes merged over the stored ones, `stored` by id
 * where the caller has them), each marked with the import that wrote it, then their lookup keys
 * and relation rows: creates by COPY, updates in one statement.
 */
export async function writeEntities(...args: Parameters<typeof sendEntities>) {
  await (await sendEntities(...args)).done;
  args[4]?.("entity keys and relations");
}

/**
 * writeEntities, resolved once every statement is sent (each right behind the one before, with no
 * round trip between them): the next statement can queue behind them; `done` settles when they
 * have run, with the first failure's error.
 */
export async function sendEntities(
  db: Db,
  creates: EntityWrite[],
  updates: EntityWrite[],
  importId: string | null = null,
  lap: (label: string) => void = () => {},
  stored?: ReadonlyMap<string, Record<string, unknown>>,
  options: WriteEntitiesOptions = {},
): Promise<{ done: Promise<void> }> {
  // Read first: behind the update it would wait for it.
  const derived = { keyed: options.keyed ?? (await keyedAttributes(db)) };
  const writer = copyField(importId);
  // What is sent, in order: a failure fails everything behind it, and the first one is the cause.
  const sent: Promise<void>[] = [];
  try {
    sent.push(
      (
        await sendCopyLines(
          db,
          "entities",
          ["id", "entity_schema", "attributes", "meter_id", "import_id"],
          creates.length,
          (start, end) => {
            let text = "";
            for (let i = start; i < end; i++) {
              const e = creates[i] as EntityWrite;
              text += `${e.id}\t${copyField(e.entity_schema)}\t${copyField(e.attributes)}\t${copyField(e.meter_id)}\t${writer}\n`;
            }
            return text;
          },
        )
      ).done,
    );
    if (updates.length > 0) {
      // By COPY into a scratch table: one JSON parameter holding every row's attributes took the
      // server longer to read than the update itself. Each statement is sent, not awaited: the
      // next one queues behind it, and the rows' text is built while the server works.
      sent.push((await sendAhead(db, sql`DROP TABLE IF EXISTS entity_updates`)).done);
      sent.push(
        (
          await sendAhead(
            db,
            sql`CREATE TEMP TABLE entity_updates (id uuid, attributes jsonb, set_meter boolean, meter_id uuid)`,
          )
        ).done,
      );
      sent.push(
        (
          await sendCopyLines(
            db,
            "entity_updates",
            ["id", "attributes", "set_meter", "meter_id"],
            updates.length,
            (start, end) => {
              let text = "";
              for (let i = start; i < end; i++) {
                const u = updates[i] as EntityWrite;
                const setMeter = u.meter_id !== undefined;
                text += `${u.id}\t${copyField(u.attributes)}\t${setMeter ? "t" : "f"}\t${copyField(u.meter_id)}\n`;
              }
              return text;
            },
          )
        ).done,
      );
      // One probe of the primary key per staged row. The scratch table has no statistics, so the
      // planner took it for tens of thousands of rows and hashed the whole entities table instead:
      // a scan that grows with every entity stored (10k updates among 130k entities: 370 ms that
      // way, 190 ms by probes).
      for (const statement of [
        sql`SET LOCAL enable_hashjoin = off`,
        sql`SET LOCAL enable_mergejoin = off`,
        sql`UPDATE entities e SET attributes = e.attributes || x.attributes,
            meter_id = CASE WHEN x.set_meter THEN x.meter_id ELSE e.meter_id END, updated_at = now(),
            import_id = ${uuidLiteral(importId)}
          FROM entity_updates x WHERE e.id = x.id`,
        sql`RESET enable_hashjoin`,
        sql`RESET enable_mergejoin`,
        sql`DROP TABLE entity_updates`,
      ])
        sent.push((await sendAhead(db, statement)).done);
      // The driver sends short statements at the next macrotask: let it, before the derived rows'
      // work below keeps this thread busy while the server could be updating.
      await breathe();
    }
    lap("entity rows");
    sent.push((await sendDerivedRows(db, creates, "none", undefined, derived)).done);
    sent.push((await sendDerivedRows(db, updates, "attributes", stored, derived)).done);
    // Queued right behind everything, while the server still writes it.
    await options.afterSent?.();
  } catch (error) {
    // A failed statement fails those behind it: its own error says what went wrong.
    await settleInOrder(sent);
    throw error;
  }
  const done = settleInOrder(sent);
  done.catch(() => {});
  return { done };
}

/**
 * Entities created by a plan that is still running, written as the plan hands them out (final
 * entity mappings, PlanRunOptions.onEntitiesFinal), on a Postgres server: each batch goes by
 * sendEntities, right behind the one before, so the server writes one mapping's entities while
 * the next is planned. Nothing else may be sent on the connection until `sent` has settled. PGlite runs
 * every statement on this thread, where nothing would overlap: there is none (`open` gives null).
 */
export class EarlyEntityCreates {
  private queue: Promise<void> = Promise.resolve();
  /** The ids written (or being written), in order. */
  readonly ids: string[] = [];
  /** Each batch sent, settling once it has run. */
  private readonly batches: Promise<void>[] = [];

  /**
   * The keyed pairs, read once, before the plan starts: the import holds them steady, and its
   * later writes take them from here (read again, they would wait for these writes to be done).
   */
  readonly keyed: Promise<ReadonlySet<string>>;

  private constructor(
    private readonly db: Db,
    private readonly importId: string,
  ) {
    this.keyed = keyedAttributes(db);
    this.keyed.catch(() => {});
  }

  /** Null on PGlite, and for a payload without entity mappings (`entities` false). */
  static open(db: Db, importId: string, entities = true): EarlyEntityCreates | null {
    return entities && driverOf(db).kind === "postgres"
      ? new EarlyEntityCreates(db, importId)
      : null;
  }

  /**
   * Queues creates, their ids already real. Their COPYs' text is made in short slices beside the
   * plan (copyLines), the first of them at once when the connection is free.
   */
  add(creates: EntityWrite[]) {
    if (creates.length === 0) return;
    for (const e of creates) this.ids.push(e.id);
    const keyed = this.keyed;
    // A batch goes right behind the one before once that is sent, not once it has run: the
    // server goes from one to the next with no round trip, and no wait for this busy thread.
    this.queue = this.queue.then(async () => {
      const { done } = await sendEntities(
        this.db,
        creates,
        [],
        this.importId,
        undefined,
        undefined,
        {
          keyed: await keyed,
        },
      );
      this.batches.push(done);
    });
    this.queue.catch(() => {});
  }

  /**
   * Settles once every batch is sent: the connection takes statements again (they run after the
   * batches). Rejects if one could not be sent; `finished` says whether they were written.
   */
  sent(): Promise<void> {
    return this.queue;
  }

  /** Settles once every batch is written; rejects with the first failure. */
  async finished(): Promise<void> {
    try {
      await this.queue;
    } finally {
      // A batch sent behind a failed one fails for it: the first failure is the cause.
      await settleInOrder(this.batches);
    }
  }
}
