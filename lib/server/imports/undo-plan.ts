import "server-only";
import type { Db } from "../../../db/client";
import {
  type CurrentReading,
  currentReadings,
  entityAttributes,
  externalIdHolders,
  importLabels,
  missingEntities,
} from "../../../db/repository";
import { type StoredReading, UPDATABLE_COLUMNS } from "../../engine";
import { deepEqual } from "../../engine/deep-equal";
import { decodeAuditRecord, decodeDecisions } from "./import-record";
import { type EntityUndo, planEntityUndo } from "./undo-entities";

/** A reading the undo restores: as stored now (null when the import deleted it) and as it was. */
export interface UndoRestore {
  before: CurrentReading | null;
  after: StoredReading;
  /** The columns the restore changes (every column when the row is inserted again). */
  changed: string[];
}

/** Why a reading stops the undo: a later import (or nothing we know of) changed it since. */
export interface UndoConflict {
  reading_id: string;
  meter_id: string;
  external_id: string | null;
  /** What happened to it since the import. */
  reason: string;
  /** The import that wrote the stored row now, when there is one. */
  import_id: string | null;
}

export interface UndoPlan {
  importId: string;
  /** Readings the import created, to delete (as stored now). */
  removes: CurrentReading[];
  /** Readings the import updated or deleted, to put back as its audit kept them. */
  restores: UndoRestore[];
  conflicts: UndoConflict[];
  /** Meter and counter attributes by id, to name readings. */
  entities: Record<string, Record<string, unknown>>;
  /** Trigger and start of the imports named by conflicts. */
  imports: Record<string, { trigger: string; started_at: string }>;
  /** Every meter the undo writes to (locked before the plan is made, when applying). */
  meterIds: string[];
  /** What the undo does to entities (the import's entity audit). */
  entityChanges: EntityUndo;
}

/**
 * What the import record says it did to readings (decisions in plan order), and who wrote each
 * row it left: the import itself, or for an undo the writer it restored (its decision's details).
 */
export async function recordedEffects(row: {
  id: string;
  decisions: Buffer | null;
  audit: Buffer | null;
}) {
  const decisions = row.decisions ? (await decodeDecisions(row.decisions)).decisions : [];
  const record = row.audit ? await decodeAuditRecord(row.audit) : null;
  const audit = record?.readings ?? [];
  const entityAudit = record?.entities ?? null;
  const created = new Map<string, string>();
  const deleted = new Set<string>();
  const updated = new Set<string>();
  const meters = new Set<string>();
  const writers = new Map<string, string | null>();
  for (const d of decisions) {
    if (!d.reading_id || d.reading_id.startsWith("new:")) continue;
    const restored = d.details?.import_id;
    if (restored !== undefined) writers.set(d.reading_id, restored as string | null);
    if (d.action === "create" && d.meter_id) created.set(d.reading_id, d.meter_id);
    else if (d.action === "delete") {
      // A reading created and deleted by the same plan was never written.
      if (!created.delete(d.reading_id)) deleted.add(d.reading_id);
    } else if (d.action === "update" && !created.has(d.reading_id)) updated.add(d.reading_id);
  }
  // Readings a purge took along were deleted by the import, though no decision names them.
  for (const id of entityAudit?.purged_readings ?? []) deleted.add(id);
  for (const m of created.values()) meters.add(m);
  for (const a of audit) meters.add(a.meter_id);
  const writer = (id: string) => (writers.has(id) ? (writers.get(id) ?? null) : row.id);
  return {
    created,
    deleted,
    updated,
    audit,
    entityAudit,
    writer,
    meterIds: [...meters].sort(),
  };
}

const COMPARED = ["counter_id", ...UPDATABLE_COLUMNS.filter((c) => c !== "counter_id")] as const;

function changedColumns(now: StoredReading, then: StoredReading): string[] {
  return COMPARED.filter((c) => {
    const a = now[c] ?? null;
    const b = then[c] ?? null;
    return c === "attributes" ? !deepEqual(a ?? {}, b ?? {}) : a !== b;
  });
}

/**
 * Works out an undo from the import's record and the stored rows now, in a handful of set-based
 * queries: the readings it created are removed, those it updated or deleted restored from its
 * audit. A reading that is no longer as the import left it (a later import wrote, deleted or
 * re-created it; its external id is held by another reading; its meter is gone) is a conflict,
 * and any conflict refuses the whole undo: a partial revert would mix two imports' data.
 */
export async function planUndo(
  db: Db,
  importId: string,
  effects: Awaited<ReturnType<typeof recordedEffects>>,
): Promise<UndoPlan> {
  const { created, deleted, audit, writer } = effects;
  const ids = [...created.keys(), ...audit.map((a) => a.id), ...deleted, ...effects.updated];
  const current = new Map((await currentReadings(db, ids)).map((r) => [r.id, r]));
  const removes: CurrentReading[] = [];
  const restores: UndoRestore[] = [];
  const conflicts: UndoConflict[] = [];
  const conflict = (r: StoredReading, reason: string, now?: CurrentReading) =>
    conflicts.push({
      reading_id: r.id,
      meter_id: r.meter_id,
      external_id: r.external_id,
      reason,
      import_id: now?.import_id ?? null,
    });
  for (const [id, meterId] of created) {
    const now = current.get(id);
    const gone = { id, meter_id: meterId, external_id: null } as StoredReading;
    if (!now) conflict(gone, "deleted since the import");
    else if (now.import_id !== writer(id)) conflict(now, "changed since by another import", now);
    else removes.push(now);
  }
  // An update or delete whose row the audit did not keep cannot be put back: refuse, naming it.
  const audited = new Set(audit.map((a) => a.id));
  for (const id of [...deleted, ...effects.updated]) {
    if (audited.has(id)) continue;
    const now = current.get(id);
    conflict(
      now ?? ({ id, meter_id: "", external_id: null } as StoredReading),
      "its state before the import is not in the import's audit",
      now,
    );
  }
  for (const then of audit) {
    const now = current.get(then.id) ?? null;
    // Deleted wins over updated: a plan may update a reading and then prune it.
    if (deleted.has(then.id)) {
      if (now) conflict(then, "stored again since the import deleted it", now);
      else restores.push({ before: null, after: then, changed: [...COMPARED] });
    } else if (!now) conflict(then, "deleted since the import");
    else if (now.import_id !== writer(then.id))
      conflict(now, "changed since by another import", now);
    else restores.push({ before: now, after: then, changed: changedColumns(now, then) });
  }
  const entityChanges = await planEntityUndo(
    db,
    effects.entityAudit,
    new Set(removes.map((r) => r.id)),
  );
  // Entities the undo puts back exist again by the time their readings are restored.
  const back = new Set(entityChanges.restores.map((r) => r.after.id));
  if (conflicts.length === 0) {
    const except = [...created.keys(), ...audit.map((a) => a.id)];
    const holders = await externalIdHolders(
      db,
      restores.map((r) => r.after),
      except,
    );
    const byKey = new Map(holders.map((h) => [`${h.meter_id}\u0000${h.external_id}`, h]));
    const gone = new Set(
      await missingEntities(db, [
        ...new Set(
          restores
            .flatMap((r) => [r.after.meter_id, r.after.counter_id ?? []].flat())
            .filter((id) => !back.has(id)),
        ),
      ]),
    );
    for (const { after } of restores) {
      const holder = byKey.get(`${after.meter_id}\u0000${after.external_id}`);
      if (holder) {
        conflicts.push({
          reading_id: after.id,
          meter_id: after.meter_id,
          external_id: after.external_id,
          reason: `its external id is now held by reading ${holder.id}`,
          import_id: holder.import_id,
        });
      } else if (gone.has(after.meter_id) || (after.counter_id && gone.has(after.counter_id))) {
        conflict(after, "its meter or counter no longer exists");
      }
    }
  }
  const entityIds = new Set<string>();
  for (const r of [...removes, ...restores.map((x) => x.after), ...conflicts]) {
    if (r.meter_id) entityIds.add(r.meter_id);
    if ("counter_id" in r && r.counter_id) entityIds.add(r.counter_id);
  }
  const importIds = [...new Set(conflicts.flatMap((c) => (c.import_id ? [c.import_id] : [])))];
  return {
    importId,
    removes,
    restores,
    conflicts,
    entities: Object.fromEntries(await entityAttributes(db, [...entityIds])),
    imports: Object.fromEntries(await importLabels(db, importIds)),
    meterIds: effects.meterIds,
    entityChanges,
  };
}
