import { Slicer } from "./cooperative";
import { setOwnValue } from "./own-property";
import { rowAfter } from "./reading-row";
import type { UpdatableColumn } from "./reading-store";
import type { EntityDecision, Plan, StoredReading } from "./types";

export interface EntityWrite {
  /** A stored id, or a provisional `new:entity:...` id for creates. */
  id: string;
  entity_schema: string;
  /**
   * Mapped attributes: the whole row for a create; for an update, those it changes, merged over
   * the stored ones.
   */
  attributes: Record<string, unknown>;
  /** Undefined: leave as is. */
  meter_id?: string | null;
}

/** An entity a plan deletes: soft (`delete`, restorable for 30 days) or for good (`purge`). */
export interface EntityDeletion {
  /** A stored id, or a provisional one of an entity the same plan created. */
  id: string;
  mode: "delete" | "purge";
}

/** What applying a plan writes, row by row; provisional ids (`new:...`) are the shell's to replace. */
export interface PlanWrites {
  entityCreates: EntityWrite[];
  entityUpdates: EntityWrite[];
  /** In plan order, after the creates and updates. */
  entityDeletes: EntityDeletion[];
  /** Final rows of readings the plan creates (still alive at the end). */
  readingInserts: StoredReading[];
  /** Final rows of stored readings the plan changes. */
  readingUpdates: StoredReading[];
  readingDeletes: string[];
  /** Every stored row the plan overwrites or deletes, as it was before: for undo and support. */
  audit: StoredReading[];
  /**
   * The columns any of the updates changes (planning knows; a replay does not say, and then
   * every column is written).
   */
  readingUpdatedColumns?: UpdatableColumn[];
}

/**
 * The attributes an update writes: those it changes (the others equal what is stored, and the
 * update is merged over the stored ones), so keys and relation rows are rebuilt for those only.
 */
function changedAttributes(d: EntityDecision): Record<string, unknown> {
  if (d.action !== "update" || !d.changes) return d.attributes;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(d.changes))
    if (Object.hasOwn(d.attributes, key)) setOwnValue(out, key, d.attributes[key]);
  return out;
}

function entityWrite(d: EntityDecision): EntityWrite {
  const write: EntityWrite = {
    id: d.id as string,
    entity_schema: d.entity_schema,
    attributes: changedAttributes(d),
  };
  if (d.meter_id !== undefined) write.meter_id = d.meter_id;
  return write;
}

/** The entity rows a plan's entity decisions write. */
export function entityWrites(
  entities: readonly EntityDecision[],
): Pick<PlanWrites, "entityCreates" | "entityUpdates" | "entityDeletes"> {
  return {
    entityCreates: entities.filter((e) => e.action === "create").map(entityWrite),
    entityUpdates: entities.filter((e) => e.action === "update").map(entityWrite),
    entityDeletes: entities.flatMap((e) =>
      e.action === "delete" && e.id ? [{ id: e.id, mode: e.mode ?? "delete" }] : [],
    ),
  };
}

/**
 * The writes of one final entity mapping's decisions that can go before the plan is done (see
 * finalEntityMappings): the entities it creates, with the updates of them it made too (to merge
 * in plan order). Null when it creates nothing, or deletes what it creates.
 */
export function earlyEntityWrites(batch: readonly EntityDecision[]): {
  decisions: EntityDecision[];
  writes: Pick<PlanWrites, "entityCreates" | "entityUpdates">;
} | null {
  const created = new Set<string>();
  for (const d of batch) if (d.action === "create" && d.id) created.add(d.id);
  if (created.size === 0) return null;
  // One pass, as the plan waits: a batch holds a whole mapping's decisions (20k counters).
  const decisions: EntityDecision[] = [];
  const entityCreates: EntityWrite[] = [];
  const entityUpdates: EntityWrite[] = [];
  for (const d of batch) {
    if (d.action === "create") {
      decisions.push(d);
      entityCreates.push(entityWrite(d));
    } else if (d.action === "update" && created.has(d.id as string)) {
      decisions.push(d);
      entityUpdates.push(entityWrite(d));
    } else if (d.action === "delete" && d.id && created.has(d.id)) return null;
  }
  return { decisions, writes: { entityCreates, entityUpdates } };
}

/**
 * Replays a plan's decisions in order into the rows to write, without deciding anything again:
 * several decisions on one reading collapse into its final row; a reading created and deleted by
 * the same plan is never written.
 */
export async function planWrites(plan: Plan, slicer: Slicer = new Slicer(20)): Promise<PlanWrites> {
  const rows = new Map<string, StoredReading>();
  const created = new Set<string>();
  const deleted: string[] = [];
  const audited = new Map<string, StoredReading>();
  const audit = (row: StoredReading | undefined) => {
    if (row && !created.has(row.id) && !audited.has(row.id)) audited.set(row.id, row);
  };
  for (const d of plan.decisions) {
    if (slicer.due()) await slicer.pause();
    if (d.action === "create" && d.reading_id) {
      rows.set(d.reading_id, rowAfter(d, null, d.reading_id));
      created.add(d.reading_id);
    } else if (d.action === "update" && d.target) {
      const id = d.target.reading_id;
      audit(d.previous);
      rows.set(id, rowAfter(d, rows.get(id) ?? d.previous ?? null, id));
    } else if (d.action === "delete" && d.target) {
      const id = d.target.reading_id;
      audit(d.previous);
      rows.delete(id);
      if (created.has(id)) created.delete(id);
      else deleted.push(id);
    }
  }
  const readingInserts: StoredReading[] = [];
  const readingUpdates: StoredReading[] = [];
  for (const row of rows.values())
    (created.has(row.id) ? readingInserts : readingUpdates).push(row);
  return {
    ...entityWrites(plan.entities),
    readingInserts,
    readingUpdates,
    readingDeletes: deleted,
    audit: [...audited.values()],
  };
}
