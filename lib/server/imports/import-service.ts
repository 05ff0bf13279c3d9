import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbClient } from "../../../db/client";
import {
  EarlyEntityCreates,
  EarlyInserts,
  type EntitySnapshot,
  entityKeyLockName,
  finishImport,
  holdKeyAttributes,
  insertImport,
  LOCK_CLASS,
  loadEntities,
  loadLateEntities,
  lockKeys,
  purgeExpiredEntities,
  ReadingsLoader,
  registerKeyAttributes,
  rowsPerStatement,
  sendImportTouches,
  writeReadings,
} from "../../../db/repository";
import {
  type CompiledConfig,
  compileConfig,
  type EntityKeys,
  type ExistingState,
  entityLookupKeys,
  type IntegrationVariables,
  type LateEntities,
  mappingSchemas,
  type Plan,
  type PlanWrites,
  type PreparedImport,
  planPrepared,
  planPreparedWithWrites,
  prepareImport,
  pruneScopeLookups,
  readingLookupKeys,
  type ScopeLookup,
  type StoredReading,
  type StoredReadingFeed,
} from "../../engine";
import { defaultSlice, Slicer } from "../../engine/cooperative";
import { AppError } from "../http/app-error";
import { Stopwatch } from "../platform/stopwatch";
import { uuidV7 } from "../platform/uuid-v7";
import { type ConfirmedPlan, checkConfirmedPlan } from "./confirmed-plan";
import {
  type EntityWritePlan,
  earlyCreates,
  planEntityWrites,
  writeEntityPlan,
} from "./entity-writes";
import { encodeAudit, encodeDecisions } from "./import-record";
import { importTouches } from "./import-touches";
import { requestBudget } from "./request-budget";

export type ImportTrigger = "api" | "studio" | "replay" | "undo" | "cli";

export interface ImportRequest {
  useCaseId: string | null;
  config: unknown;
  configVersion?: { id: string; version: number } | null;
  payload: unknown;
  trigger: ImportTrigger;
  inboundEventId?: string | null;
  replayOf?: string | null;
  /** The plan a person confirmed (the studio's Apply): any other plan is refused, unwritten. */
  confirmedPlan?: ConfirmedPlan;
  /** The integration's variables, for env_var_ref (none: every reference is missing). */
  variables?: IntegrationVariables;
}

export interface ImportOutcome {
  importId: string;
  plan: Plan;
  /** Provisional plan ids (`new:...`) and the ids they were written with. */
  ids: ReadonlyMap<string, string>;
  durationMs: number;
}

/** Test seams, inside the transaction. */
export interface ImportHooks {
  /** After planning, while the new readings already planned are being written. */
  afterPlan?: () => void | Promise<void>;
  /** After every write, before the commit. */
  beforeCommit?: () => void | Promise<void>;
}

const SWEEP_EVERY_MS = 10 * 60 * 1000;
let lastSweep = 0;

/**
 * Purges entities soft-deleted more than 30 days ago, at most every ten minutes per process and
 * in a short transaction of its own (never inside an import's, where its row locks would make
 * other imports wait): the first import after server start runs it.
 */
export async function sweepExpiredEntities(db: Db, now = new Date()): Promise<number> {
  if (now.getTime() - lastSweep < SWEEP_EVERY_MS) return 0;
  lastSweep = now.getTime();
  return db.transaction((tx) => purgeExpiredEntities(tx, now));
}

/** Validates and compiles at the door: an invalid configuration is a 422 with every problem. */
export function compileOrThrow(config: unknown): CompiledConfig {
  const result = compileConfig(config);
  if (!result.ok) {
    throw new AppError("CONFIG_INVALID", "The configuration is invalid", {
      errors: result.validation.errors,
      warnings: result.validation.warnings,
    });
  }
  return result.compiled;
}

/** A payload's entity lookups, found once per prepared payload (registration, then the import). */
const lookupKeys = new WeakMap<PreparedImport, Promise<EntityKeys>>();

function lookupKeysOf(prepared: PreparedImport): Promise<EntityKeys> {
  let keys = lookupKeys.get(prepared);
  if (!keys) {
    keys = entityLookupKeys(prepared);
    lookupKeys.set(prepared, keys);
  }
  return keys;
}

/**
 * Registers the (schema, attribute) pairs a payload looks entities up by (its unique ids, its
 * relation items, its prune scopes) as keyed, before the transaction that looks them up.
 */
export async function registerLookups(db: Db, prepared: PreparedImport) {
  const pairs: { entity_schema: string; attribute: string }[] = [];
  for (const [schema, byAttribute] of await lookupKeysOf(prepared))
    for (const attribute of byAttribute.keys()) pairs.push({ entity_schema: schema, attribute });
  for (const s of pruneScopeLookups(prepared))
    for (const attribute of Object.keys(s.values))
      pairs.push({
        entity_schema: s.scope_mode === "query" ? s.entity_schema : (s.schema ?? ""),
        attribute,
      });
  await registerKeyAttributes(db, pairs);
}

/**
 * The entity-key lock names of a payload's lookups and of its prune scopes' entities, made as
 * lockKeys takes them (it stops early when the payload names many).
 */
function* lookupValues(keys: EntityKeys, scopes: readonly ScopeLookup[] = []): Generator<string> {
  // A prune reads a whole scope: two imports pruning the same scope take turns.
  for (const s of scopes) yield `scope\u0000${s.entity_schema}\u0000${JSON.stringify(s)}`;
  for (const [schema, byAttribute] of keys) {
    for (const [attribute, set] of byAttribute)
      for (const v of set) yield entityKeyLockName(schema, attribute, v);
  }
}

/**
 * The schemas whose stored entities an import loads while its first mappings are planned
 * (LateEntities): those only later mappings look at. None when the first mapping can look at any
 * schema, or when the lookups by id or the prune scopes could find entities of any schema.
 */
function schemasLoadedLate(
  prepared: PreparedImport,
  keys: EntityKeys,
  scopes: readonly ScopeLookup[],
): Set<string> {
  const late = new Set<string>();
  const first = prepared.entities[0];
  const early = first ? mappingSchemas(first.item) : null;
  if (early === null || scopes.length > 0) return late;
  for (const [schema, byAttribute] of keys) {
    if (byAttribute.has("_id")) return new Set();
    if (!early.has(schema)) late.add(schema);
  }
  return late;
}

/**
 * Plans against exactly the stored readings a prepared payload can touch, in a handful of
 * set-based queries (never a query per reading): the lookups go out batch by batch while the
 * payload is staged, and planning starts on the first batch's rows while the server looks up the
 * next (ReadingsLoader). `entities` are the payload's entities, loaded first.
 */
async function planAgainstStored<T>(
  db: Db,
  prepared: PreparedImport,
  entities: ExistingState,
  plan: (state: ExistingState, feed: StoredReadingFeed) => Promise<T>,
  watch?: Stopwatch,
  late?: LateEntities,
): Promise<T> {
  const loader = new ReadingsLoader(db);
  const keys = await readingLookupKeys(
    prepared,
    entities,
    (batch, daysForAll) => loader.add(batch, daysForAll),
    rowsPerStatement(db),
    late,
  );
  loader.add([], keys.daysForAll, keys.wholeMeters);
  loader.close();
  watch?.lap("reading keys");
  const result = await plan({ ...entities, readings: [] }, loader.feed);
  await loader.finished();
  return result;
}

/** The plan against stored state, writing nothing: the studio's preview and the dry-run route. */
export async function dryRunImport(
  client: DbClient,
  config: unknown,
  payload: unknown,
  variables: IntegrationVariables = {},
): Promise<Plan> {
  const prepared = await prepareImport(compileOrThrow(config), payload, {
    budget: requestBudget(),
    variables,
  });
  await registerLookups(client.db, prepared);
  // On one connection, as the import's own lookups run; it writes nothing.
  return client.db.transaction(async (tx) => {
    const entities = await loadEntities(
      tx,
      await lookupKeysOf(prepared),
      pruneScopeLookups(prepared),
    );
    return planAgainstStored(tx, prepared, entities, (state, feed) =>
      planPrepared(prepared, state, { feed }),
    );
  });
}

/** Real ids for what the plan creates, by provisional id (`new:...`), added to `ids`. */
async function realIds(writes: PlanWrites, ids: Map<string, string>) {
  for (const e of writes.entityCreates) ids.set(e.id, uuidV7());
  const inserts = writes.readingInserts;
  const slicer = new Slicer(defaultSlice());
  for (let i = 0; i < inserts.length; i++) {
    if (slicer.due()) await slicer.pause();
    ids.set((inserts[i] as StoredReading).id, uuidV7());
  }
}

/**
 * Runs one import: plan against the stored state, then write exactly the plan, in one transaction.
 *
 * Concurrency: imports take transaction-scoped advisory locks before reading any state they
 * depend on: first on the entity key values the payload names (so two payloads creating meter
 * "M9" cannot both create it), then on the resolved meters (so two payloads on the same meter see
 * each other's readings: no duplicate creates, no lost updates). Locks are taken in one global
 * order (class, then sorted bucket), so they cannot deadlock; an import naming many keys locks
 * the class's whole key space instead, one lock (see lockKeys). We chose this over SERIALIZABLE with
 * retries because a retry would re-plan 100k readings, and the unique (meter, external id) key
 * remains the last line of defence. A failure anywhere rolls back every write.
 */
export async function applyImport(
  client: DbClient,
  request: ImportRequest,
  hooks: ImportHooks = {},
): Promise<ImportOutcome> {
  const compiled = compileOrThrow(request.config);
  const prepared = await prepareImport(compiled, request.payload, {
    budget: requestBudget(),
    variables: request.variables ?? {},
  });
  await sweepExpiredEntities(client.db);
  await registerLookups(client.db, prepared);
  return client.db.transaction((tx) => applyPrepared(tx, prepared, request, hooks));
}

/**
 * The body of an import inside a transaction the caller owns (the events route adds its own
 * locks). The caller registers its lookups first (registerLookups), outside that transaction.
 */
export async function applyPrepared(
  tx: Db,
  prepared: PreparedImport,
  request: ImportRequest,
  hooks: ImportHooks = {},
): Promise<ImportOutcome> {
  const watch = new Stopwatch();
  const entityKeys = await lookupKeysOf(prepared);
  const scopes = pruneScopeLookups(prepared);
  // Before every other lock it takes (the caller's deduplication lock aside).
  await holdKeyAttributes(tx);
  await lockKeys(tx, LOCK_CLASS.entityKey, lookupValues(entityKeys, scopes));
  // The rows as read under the locks: what the import changes, as its audit keeps them.
  const loaded = new Map<string, EntitySnapshot>();
  const lateSchemas = schemasLoadedLate(prepared, entityKeys, scopes);
  const entities = await loadEntities(tx, entityKeys, scopes, loaded, lateSchemas);
  await lockKeys(
    tx,
    LOCK_CLASS.meter,
    entities.meters.map((m) => m.id),
  );
  watch.lap("lock+entities");
  const importId = randomUUID();
  const ids = new Map<string, string>();
  // What the plan is done with is written while it goes on (on a Postgres server): the entities
  // of final mappings, then new readings, behind them on the connection.
  const earlyEntities = EarlyEntityCreates.open(tx, importId, prepared.entities.length > 0);
  const early = EarlyInserts.open(tx, importId, ids, uuidV7, () =>
    earlyEntities ? earlyEntities.finished() : Promise.resolve(),
  );
  // Sent behind every statement the first mappings wait for (the early writes' keyed pairs among
  // them); the plan takes these entities once a mapping can look at them.
  const late: LateEntities | undefined =
    lateSchemas.size > 0
      ? { schemas: lateSchemas, rows: loadLateEntities(tx, entityKeys, lateSchemas, loaded) }
      : undefined;
  // Awaited by the plan; a failure before that must not go unhandled.
  late?.rows.catch(() => {});
  let planned: PlanWrites;
  let plan: Plan;
  let entityPlan: EntityWritePlan;
  let readingAudit: StoredReading[];
  let hasEntityWrites = false;
  // With entities to write, the plan's record is built while the database writes them (from when
  // every id is known); readings alone build it once their last write is sent, as before.
  let decisionsBlob: Promise<Buffer> | null = null;
  let auditBlob: Promise<Buffer> | null = null;
  // Until the early writes are sent, nothing else may be sent on the connection (made once):
  // what follows queues right behind them, while the server still writes them.
  // A failed early write fails every statement sent behind it: its own error is the cause.
  const causeOf = (error: unknown): Promise<unknown> =>
    earlyEntities
      ? earlyEntities.finished().then(
          () => error,
          (failure) => failure,
        )
      : Promise.resolve(error);
  let drainedOnce: Promise<void> | null = null;
  const drained = () => {
    if (!drainedOnce) {
      drainedOnce = (async () => {
        await earlyEntities?.sent();
        await early?.finish();
      })();
      drainedOnce.catch(() => {});
    }
    return drainedOnce;
  };
  try {
    ({ plan, writes: planned } = await planAgainstStored(
      tx,
      prepared,
      entities,
      (state, feed) =>
        planPreparedWithWrites(prepared, state, {
          feed,
          onFinal: early ? (rows) => early.add(rows) : undefined,
          onEntitiesFinal: earlyEntities
            ? (writes) => earlyEntities.add(earlyCreates(writes, ids, uuidV7))
            : undefined,
          late,
        }),
      watch,
      late,
    ));
    // In `loaded` by now (the plan waited for them), for the audit of what the writes change.
    await late?.rows;
    early?.flush();
    watch.lap("load and plan");
    if (request.confirmedPlan) await checkConfirmedPlan(plan, request.confirmedPlan);
    await hooks.afterPlan?.();
    await realIds(planned, ids);
    hasEntityWrites =
      (earlyEntities?.ids.length ?? 0) +
        planned.entityCreates.length +
        planned.entityUpdates.length +
        planned.entityDeletes.length >
      0;
    if (hasEntityWrites) {
      decisionsBlob = encodeDecisions(plan, ids);
      // Awaited below; a failed write must not leave it unhandled meanwhile.
      decisionsBlob.catch(() => {});
    }
    // Folded while the server still takes the early writes (it reads only once they are done).
    entityPlan = await planEntityWrites(
      tx,
      planned,
      ids,
      importId,
      loaded,
      earlyEntities?.ids,
      drained,
    );
    // A purge took its meters' readings along: the audit keeps them, so an undo restores them.
    const audited = new Set(planned.audit.map((r) => r.id));
    readingAudit = planned.audit.concat(
      entityPlan.purgedReadings.filter((r) => !audited.has(r.id)),
    );
    // Everything the audit keeps is known: it is encoded while the database writes.
    if (hasEntityWrites) {
      auditBlob = encodeAudit(readingAudit, entityPlan.audit);
      auditBlob.catch(() => {});
    }
    watch.lap("entity writes folded");
    await drained();
  } catch (error) {
    const cause = await causeOf(error);
    await early?.abort(cause);
    throw cause;
  }
  watch.lap("early writes done");
  const touches = importTouches(plan, ids);
  let durationMs = 0;
  // The import's record and what it touched, sent; resolves with `answered`, their answers. The
  // record's blobs are built (and compressed on the thread pool) while the server writes.
  const sendRecord = async (): Promise<{ answered: Promise<void> }> => {
    const [decisions, audit] = await Promise.all([
      decisionsBlob ?? encodeDecisions(plan, ids),
      auditBlob ?? encodeAudit(readingAudit, entityPlan.audit),
    ]);
    watch.lap("record encoded");
    const recorded = insertImport(tx, {
      id: importId,
      useCaseId: request.useCaseId,
      configVersionId: request.configVersion?.id ?? null,
      configVersion: request.configVersion?.version ?? null,
      trigger: request.trigger,
      status: "applied",
      counts: plan.summary,
      decisions,
      audit,
      inboundEventId: request.inboundEventId ?? null,
      replayOf: request.replayOf ?? null,
    });
    recorded.catch(() => {});
    // Sent right behind the record (they name it), not after its answer.
    const { done: touched } = await sendImportTouches(tx, importId, touches);
    const answered = Promise.all([recorded, touched]).then(([row]) => {
      durationMs = row.durationMs;
    });
    answered.catch(() => {});
    return { answered };
  };
  // With entities, the record goes out right behind their writes, while the server still writes
  // them (its blobs are encoded meanwhile), not once they are done: the server would wait for it
  // at the end. Its finish time is set once the last write is done.
  let recordedEarly: Promise<void> | null = null;
  try {
    await writeEntityPlan(
      tx,
      entityPlan,
      importId,
      (label) => watch.lap(label),
      hasEntityWrites
        ? async () => {
            ({ answered: recordedEarly } = await sendRecord());
          }
        : undefined,
      // Read before the early writes: read now, they would wait for those to be done.
      await earlyEntities?.keyed,
    );
    watch.lap("entities written");
    await writeReadings(
      tx,
      {
        inserts: planned.readingInserts,
        updates: planned.readingUpdates,
        deletes: planned.readingDeletes,
        columns: planned.readingUpdatedColumns,
      },
      importId,
      ids,
      // Once the last write is sent.
      async () => {
        if (recordedEarly) {
          await recordedEarly;
          durationMs = await finishImport(tx, importId);
        } else await (await sendRecord()).answered;
      },
    );
  } catch (error) {
    throw await causeOf(error);
  }
  await earlyEntities?.finished();
  watch.lap("written and recorded");
  await hooks.beforeCommit?.();
  watch.report(`import ${importId}`);
  return { importId, plan, ids, durationMs };
}
