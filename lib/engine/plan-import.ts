import type { CompiledConfig, CompiledReadingItem } from "./compile-config";
import type { Slicer } from "./cooperative";
import { decideDelete, decideUpsert } from "./decide-reading";
import { type EntityIndexes, indexState } from "./entity-indexes";
import type { LateEntities } from "./late-entities";
import type { NormalizedReading } from "./normalize-reading";
import { decideEntities, replayFinal, takeDecided } from "./plan-entities";
import { earlyEntityWrites, entityWrites, type PlanWrites } from "./plan-writes";
import { type PreparedImport, type PreparedReadingItem, prepareImport } from "./prepare-import";
import { PruneTracker } from "./prune-scope";
import { problem, READING_CODES } from "./reading-codes";
import type { StoredReadingFeed } from "./reading-feed";
import { ReadingStore } from "./reading-store";
import { type RefCache, resolveMeterAndCounter } from "./resolve-meter";
import {
  errorDecision,
  peekStaged,
  type StagedReading,
  stageReading,
  takeStaged,
} from "./stage-reading";
import type {
  Decision,
  EntityDecision,
  ExistingState,
  Plan,
  PlanOptions,
  PlanSummary,
  PlanWarning,
  ResolvedRef,
  StoredReading,
} from "./types";

interface Run {
  /** The existing state the plan runs against (staged readings must match its entities). */
  state: ExistingState;
  root: unknown;
  indexes: EntityIndexes;
  refs: RefCache;
  store: ReadingStore;
  decisions: Decision[];
  warnings: PlanWarning[];
  slicer: Slicer;
  /** Stored readings still arriving (the database shell's batches), or null when all are in state. */
  feed: StoredReadingFeed | null;
  /** Per meter, the position of its last reading (see `lastReadings`), when rows are handed out. */
  lastReading: Map<string, number> | null;
  /** Position of the reading being planned, counted over all items. */
  position: number;
  onFinal: (rows: StoredReading[]) => void;
}

/** How a plan can run besides its state. */
export interface PlanRunOptions {
  /** Stored readings that arrive while the plan runs (the shell's lookups). */
  feed?: StoredReadingFeed | null;
  /**
   * Receives created rows that planning will not touch again, as soon as their meter's last
   * reading is planned, so the shell can write them while the plan goes on. They are left out of
   * the writes' inserts. Only for plans that only upsert (nothing deletes or prunes a row later).
   */
  onFinal?: (rows: StoredReading[]) => void;
  /**
   * Receives the entities a final entity mapping creates (finalEntityMappings: nothing planned
   * later changes them) once it is planned, so the shell can write them while later mappings are
   * planned. They are left out of the writes' entity creates (and their updates).
   */
  onEntitiesFinal?: (writes: Pick<PlanWrites, "entityCreates" | "entityUpdates">) => void;
  /** Stored entities of some schemas, still arriving (the shell's late lookup; LateEntities). */
  late?: LateEntities;
}

/**
 * Per meter, the position of its last reading over all items (the order they are planned in),
 * from the staged readings; null when rows cannot be handed out early: an item deletes or prunes,
 * or was not staged.
 */
function lastReadings(prepared: PreparedImport, state: ExistingState): Map<string, number> | null {
  const last = new Map<string, number>();
  let position = 0;
  for (const p of prepared.readings) {
    if (p.item.mode !== "upsert") return null;
    if (!p.extraction.ok) continue;
    const staged = peekStaged(p, state);
    if (!staged) return null;
    for (const reading of staged) {
      const meterId = reading?.meter?.id;
      if (meterId !== undefined) last.set(meterId, position);
      position++;
    }
  }
  return last;
}

/** One reading, synchronously: staged (here, or earlier by the lookup), then decided. */
function planReading(
  run: Run,
  staged: StagedReading,
  item: CompiledReadingItem,
  index: number,
  prune: PruneTracker | null,
): Decision {
  const { meter, counter, externalId } = staged;
  if (staged.error) {
    if (prune && meter) {
      // The counter failed, so the scope is unknown: still protect the reading's stored twin.
      if (staged.scopeUnknown) prune.protectOnMeter(meter, externalId);
      else prune.touch(meter, counter, externalId, null);
    }
    return staged.error;
  }
  const ctx = {
    item,
    index,
    meter: meter as ResolvedRef,
    counter,
    normalized: staged.normalized as NormalizedReading,
  };
  const decision =
    item.mode === "delete" ? decideDelete(run.store, ctx) : decideUpsert(run.store, ctx);
  prune?.touch(ctx.meter, counter, externalId, decision);
  return decision;
}

async function planReadingItem(run: Run, prepared: PreparedReadingItem) {
  const { item, extraction, computed } = prepared;
  if (!extraction.ok) {
    // An item whose extraction fails decides nothing, and above all prunes nothing.
    const path = `/meter_readings/${item.index}/jsonataExpression`;
    run.decisions.push(
      errorDecision(item.index, null, problem("EXTRACTION_ERROR", { path }, extraction.message)),
    );
    return;
  }
  const prune = item.mode === "upsert-prune-scope" ? new PruneTracker(item) : null;
  const { items } = extraction;
  const staged = takeStaged(prepared, run.state);
  for (let index = 0; index < items.length; index++) {
    const reading =
      staged?.[index] ??
      stageReading(run.indexes, run.refs, item, index, items[index], {
        element: items[index],
        root: run.root,
        computed: computed[index],
      });
    const meterId = reading.meter?.id;
    const { feed } = run;
    // Until every stored row the payload can touch on the meter is in the store. Checked
    // without an await per reading: nearly always, it is.
    if (feed && meterId !== undefined)
      for (let rows = feed.next(meterId); rows !== null; rows = feed.next(meterId))
        await run.store.addStored(await rows, run.slicer);
    run.decisions.push(planReading(run, reading, item, index, prune));
    if (meterId !== undefined && run.lastReading?.get(meterId) === run.position) {
      const final = run.store.finishMeter(meterId);
      if (final.length > 0) run.onFinal(final);
    }
    run.position++;
    if (run.slicer.due()) await run.slicer.pause();
  }
  if (!prune) return;
  if (run.feed) await run.store.addStored(await run.feed.rest(), run.slicer);
  if (prepared.root) {
    // Zero readings: the scope comes from unique ids that resolve on the root payload alone.
    const resolution = resolveMeterAndCounter(
      item,
      { element: undefined, root: run.root, computed: prepared.root.computed },
      run.indexes.meters,
      run.indexes.counters,
      run.refs,
    );
    if (resolution.ok) prune.touchEmpty(resolution.meter, resolution.counter);
    else
      run.warnings.push({
        code: "NO_SCOPE",
        message: READING_CODES.NO_SCOPE,
        path: `/meter_readings/${item.index}`,
      });
  }
  run.decisions.push(...prune.prune(run.store));
}

function summarize(decisions: readonly Decision[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, unchanged: 0, skip: 0, delete: 0, error: 0 };
  for (const d of decisions) summary[d.action]++;
  return summary;
}

async function plan(
  prepared: PreparedImport,
  state: ExistingState,
  trackChanges: boolean,
  options: PlanRunOptions,
): Promise<{ plan: Plan; store: ReadingStore; early: Set<EntityDecision> }> {
  const { onFinal, onEntitiesFinal } = options;
  // Entity decisions whose writes went to onEntitiesFinal.
  const early = new Set<EntityDecision>();
  // The readings' lookups decided the entities already (readingLookupKeys): taken, not redone.
  const decided = takeDecided(prepared.entities, state);
  const run: Run = {
    state,
    indexes: decided ? decided.indexes : indexState(state),
    root: prepared.payload,
    refs: new Map(),
    store: await ReadingStore.load(state.readings ?? [], prepared.slicer, trackChanges),
    decisions: [],
    warnings: [...prepared.warnings],
    slicer: prepared.slicer,
    feed: options.feed ?? null,
    lastReading: trackChanges && onFinal ? lastReadings(prepared, state) : null,
    position: 0,
    onFinal: onFinal ?? (() => {}),
  };
  const onFinalBatch =
    trackChanges && onEntitiesFinal
      ? (batch: readonly EntityDecision[]) => {
          const final = earlyEntityWrites(batch);
          if (!final) return;
          for (const d of final.decisions) early.add(d);
          onEntitiesFinal(final.writes);
        }
      : undefined;
  let entities: EntityDecision[];
  if (decided) {
    run.warnings.push(...decided.warnings);
    entities = decided.decisions;
    if (onFinalBatch) replayFinal(prepared.entities, decided, onFinalBatch);
  } else
    entities = await decideEntities(
      prepared.entities,
      run.root,
      run.indexes,
      run.warnings,
      run.slicer,
      onFinalBatch,
      [],
      options.late,
    );
  for (const item of prepared.readings) await planReadingItem(run, item);
  // Counting walks every decision: it gets a slice of its own.
  await run.slicer.pause();
  return {
    plan: {
      summary: summarize(run.decisions),
      decisions: run.decisions,
      entities,
      warnings: run.warnings,
    },
    store: run.store,
    early,
  };
}

/**
 * Plans a prepared payload against existing state (synchronous decisions, yielding between
 * slices), and says what applying the plan writes: the same as `planWrites(plan)`, taken from the
 * planning state instead of replaying every decision.
 */
export async function planPreparedWithWrites(
  prepared: PreparedImport,
  state: ExistingState = {},
  options: PlanRunOptions = {},
): Promise<{ plan: Plan; writes: PlanWrites }> {
  const planned = await plan(prepared, state, true, options);
  await prepared.slicer.pause();
  const readings = planned.store.writes();
  return {
    plan: planned.plan,
    writes: {
      ...entityWrites(
        planned.early.size === 0
          ? planned.plan.entities
          : planned.plan.entities.filter((d) => !planned.early.has(d)),
      ),
      readingInserts: readings.inserts,
      readingUpdates: readings.updates,
      readingDeletes: readings.deletes,
      audit: readings.audit,
      readingUpdatedColumns: readings.updatedColumns,
    },
  };
}

/** Plans a prepared payload against existing state: synchronous decisions, yielding between slices. */
export async function planPrepared(
  prepared: PreparedImport,
  state: ExistingState = {},
  options: Pick<PlanRunOptions, "feed"> = {},
): Promise<Plan> {
  return (await plan(prepared, state, false, options)).plan;
}

/**
 * The engine: (configuration, payload, existing state, options) -> plan. Pure and deterministic:
 * it reads no clock, no environment and no database, and planning twice gives equal plans.
 */
export async function planImport(
  compiled: CompiledConfig,
  payload: unknown,
  state: ExistingState = {},
  options: PlanOptions = {},
): Promise<Plan> {
  return planPrepared(await prepareImport(compiled, payload, options), state);
}
