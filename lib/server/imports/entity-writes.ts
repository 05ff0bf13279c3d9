import "server-only";
import type { Db } from "../../../db/client";
import {
  type CurrentReading,
  deleteEntities,
  type EntitySnapshot,
  entitySnapshots,
  readingsOfEntities,
  writeEntities,
} from "../../../db/repository";
import type { EntityDeletion, EntityWrite, PlanWrites } from "../../engine";
import { defaultSlice, Slicer } from "../../engine/cooperative";
import { setOwnValue } from "../../engine/own-property";

/**
 * What an import did to entities, kept in its audit so an undo can put everything back: the
 * entities it created, every row it changed or removed as it was before, and who wrote each row
 * it left (the import itself, or, for a row only touched by a purge's cascade, its old writer).
 */
export interface EntityAudit {
  created: string[];
  before: EntitySnapshot[];
  /**
   * The import each row of `created` and `before` was last written by as the import left it (an
   * undo refuses rows written since), by id; a row absent here was purged by it. With `writer`
   * set (an import's own audit), only the rows another import wrote are listed (the counters
   * whose meter it purged) and `purged` names the rows that are gone: a 40k-entity import's map
   * of every id cost its thread about 60 ms to build and write.
   */
  writers: Record<string, string | null>;
  writer?: string;
  purged?: string[];
  /** Readings a purge took along (their rows are in the readings audit). */
  purged_readings: string[];
}

/** Who last wrote a row the audit names, as the import left it; `gone` when it purged the row. */
export function auditWriter(
  audit: EntityAudit,
  id: string,
): { gone: true } | { gone: false; writer: string | null } {
  if (Object.hasOwn(audit.writers, id)) return { gone: false, writer: audit.writers[id] ?? null };
  if (audit.writer === undefined || purgedOf(audit).has(id)) return { gone: true };
  return { gone: false, writer: audit.writer };
}

const purgedSets = new WeakMap<EntityAudit, ReadonlySet<string>>();

function purgedOf(audit: EntityAudit): ReadonlySet<string> {
  let set = purgedSets.get(audit);
  if (!set) {
    set = new Set(audit.purged);
    purgedSets.set(audit, set);
  }
  return set;
}

export const emptyEntityAudit = (): EntityAudit => ({
  created: [],
  before: [],
  writers: {},
  purged_readings: [],
});

type Real = <T extends string | null | undefined>(id: T) => T;

/** Relation lists name stubs and entities created earlier by provisional ids: make them real. */
function realAttributes(attributes: Record<string, unknown>, real: Real) {
  let out: Record<string, unknown> | null = null;
  // Keys, not entries: most attributes hold no relation, and entries made an array per attribute.
  for (const k of Object.keys(attributes)) {
    const v = attributes[k];
    if (v === null || typeof v !== "object" || Array.isArray(v)) continue;
    for (const key of ["$relation", "$relation_ref"] as const) {
      const list = (v as Record<string, unknown>)[key];
      if (!Array.isArray(list)) continue;
      out ??= { ...attributes };
      setOwnValue(out, k, {
        ...(v as object),
        [key]: list.map((item) =>
          item && typeof item === "object" && typeof item.entity_id === "string"
            ? { ...item, entity_id: real(item.entity_id) }
            : item,
        ),
      });
    }
  }
  return out ?? attributes;
}

/**
 * Entity writes with real ids, folded one by one so each row is written once: several updates of
 * one entity (a reference changes a contact that a later mapping updates) merge in plan order,
 * and updates of an entity the plan creates merge into its create.
 */
class EntityFold {
  private readonly creates = new Map<string, EntityWrite>();
  private readonly updates = new Map<string, EntityWrite>();
  private readonly real: Real;

  constructor(ids: ReadonlyMap<string, string>) {
    this.real = (id) => ((id && ids.get(id)) ?? id) as typeof id;
  }

  private entity(e: EntityWrite): EntityWrite {
    const out: EntityWrite = {
      id: this.real(e.id),
      entity_schema: e.entity_schema,
      attributes: realAttributes(e.attributes, this.real),
    };
    if (e.meter_id !== undefined) out.meter_id = this.real(e.meter_id);
    return out;
  }

  create(write: EntityWrite) {
    const e = this.entity(write);
    this.creates.set(e.id, e);
  }

  update(write: EntityWrite) {
    const e = this.entity(write);
    const into = this.creates.get(e.id) ?? this.updates.get(e.id);
    if (!into) {
      this.updates.set(e.id, e);
      return;
    }
    into.attributes = { ...into.attributes, ...e.attributes };
    if (e.meter_id !== undefined) into.meter_id = e.meter_id;
  }

  folded(entityDeletes: readonly EntityDeletion[]) {
    const deletes: EntityDeletion[] = entityDeletes.map((d) => ({ ...d, id: this.real(d.id) }));
    return { creates: [...this.creates.values()], updates: [...this.updates.values()], deletes };
  }
}

/** A plan's entity writes with real ids, folded (EntityFold), at once. */
function foldEntityWrites(
  writes: Pick<PlanWrites, "entityCreates" | "entityUpdates" | "entityDeletes">,
  ids: ReadonlyMap<string, string>,
) {
  const fold = new EntityFold(ids);
  for (const e of writes.entityCreates) fold.create(e);
  for (const e of writes.entityUpdates) fold.update(e);
  return fold.folded(writes.entityDeletes);
}

/**
 * The same in slices: the import folds while the server still takes its early writes, whose
 * answers must not wait long for this thread.
 */
async function foldInSlices(
  writes: Pick<PlanWrites, "entityCreates" | "entityUpdates" | "entityDeletes">,
  ids: ReadonlyMap<string, string>,
) {
  const slicer = new Slicer(defaultSlice());
  const fold = new EntityFold(ids);
  for (const e of writes.entityCreates) {
    if (slicer.due()) await slicer.pause();
    fold.create(e);
  }
  for (const e of writes.entityUpdates) {
    if (slicer.due()) await slicer.pause();
    fold.update(e);
  }
  return fold.folded(writes.entityDeletes);
}

/**
 * The entities of a final mapping (PlanRunOptions.onEntitiesFinal) as they are written early:
 * each gets its real id now, and the updates of them merge in. At once, while the plan waits:
 * the server waits for these rows, the plan's rest can wait for them.
 */
export function earlyCreates(
  writes: Pick<PlanWrites, "entityCreates" | "entityUpdates">,
  ids: Map<string, string>,
  newId: () => string,
): EntityWrite[] {
  for (const e of writes.entityCreates) ids.set(e.id, newId());
  const { creates, updates } = foldEntityWrites({ ...writes, entityDeletes: [] }, ids);
  if (updates.length > 0)
    throw new Error("an early entity write updates an entity it did not create");
  return creates;
}

/** A plan's entity writes, folded, with what its audit keeps (planEntityWrites). */
export interface EntityWritePlan {
  creates: EntityWrite[];
  updates: EntityWrite[];
  deletes: EntityDeletion[];
  /** The stored attributes of every row it changes, by id. */
  stored: ReadonlyMap<string, Record<string, unknown>>;
  audit: EntityAudit;
  /** Readings a purge takes along, as they are. */
  purgedReadings: CurrentReading[];
}

/**
 * A plan's entity writes, folded, and their audit: every row they change as it was, and the
 * readings a purge takes along, read before anything is written (the audit can be encoded while
 * the writes run). `loaded` holds rows as the import read them under its locks (loadEntities):
 * those are not read again. `early`: the ids of entities the plan created that are written
 * already; `connectionFree` settles once the connection takes statements again (early writes
 * done), and nothing is read before.
 */
export async function planEntityWrites(
  tx: Db,
  writes: PlanWrites,
  ids: ReadonlyMap<string, string>,
  importId: string,
  loaded: ReadonlyMap<string, EntitySnapshot> = new Map(),
  early: readonly string[] = [],
  connectionFree: () => Promise<unknown> = async () => {},
): Promise<EntityWritePlan> {
  const { creates, updates, deletes } = await foldInSlices(writes, ids);
  const created = new Set(early);
  for (const e of [...updates, ...deletes])
    if (created.has(e.id)) throw new Error("a write changes an entity written early");
  for (const e of creates) created.add(e.id);
  const purged = deletes.filter((d) => d.mode === "purge").map((d) => d.id);
  const storedPurged = purged.filter((id) => !created.has(id));
  const touched = new Set([...updates.map((e) => e.id), ...deletes.map((d) => d.id)]);
  const stored = [...touched].filter((id) => !created.has(id));
  const known = stored.flatMap((id) => loaded.get(id) ?? []);
  const unknown = stored.filter((id) => !loaded.has(id));
  // A purge takes its meters' counters along: those are read, whatever was loaded.
  if (unknown.length > 0 || storedPurged.length > 0) await connectionFree();
  const read = await entitySnapshots(tx, unknown, storedPurged);
  const before = [...new Map([...known, ...read].map((r) => [r.id, r])).values()].sort((a, b) =>
    a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1,
  );
  const purgedReadings = await readingsOfEntities(tx, storedPurged);
  const gone = new Set(purged);
  // This import is the writer of what it created or touched and did not purge; the other rows
  // read for the audit (a purged meter's counters) keep theirs.
  const writers: Record<string, string | null> = {};
  for (const row of before)
    if (!created.has(row.id) && !touched.has(row.id) && !gone.has(row.id))
      writers[row.id] = row.import_id;
  return {
    creates,
    updates,
    deletes,
    stored: new Map(before.map((b) => [b.id, b.attributes])),
    audit: {
      created: [...created].filter((id) => !gone.has(id)),
      before,
      writers,
      writer: importId,
      purged: before.filter((b) => gone.has(b.id)).map((b) => b.id),
      purged_readings: purgedReadings.map((r) => r.id),
    },
    purgedReadings,
  };
}

/**
 * Writes planned entities: creates, updates, then soft deletes and purges. `afterSent` sends what
 * may queue behind the creates and updates once they are sent; `keyed`, the keyed pairs when the
 * caller read them already (writeEntities).
 */
export async function writeEntityPlan(
  tx: Db,
  plan: EntityWritePlan,
  importId: string,
  lap: (label: string) => void = () => {},
  afterSent?: () => Promise<void>,
  keyed?: ReadonlySet<string>,
) {
  await writeEntities(tx, plan.creates, plan.updates, importId, lap, plan.stored, {
    afterSent,
    keyed,
  });
  await deleteEntities(tx, plan.deletes, importId);
  lap("entity deletes");
}
