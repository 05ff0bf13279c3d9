import "server-only";
import type { Db } from "../../../db/client";
import { type EntitySnapshot, entitySnapshots, readingsOfEntities } from "../../../db/repository";
import type { EntityDecision } from "../../engine";
import { auditWriter, type EntityAudit } from "./entity-writes";

/** Why an entity stops the undo: a later import (or nothing we know of) changed it since. */
export interface EntityConflict {
  entity_id: string;
  entity_schema: string;
  reason: string;
  /** The import that wrote the stored row now, when there is one. */
  import_id: string | null;
}

/** What an undo does to entities: those the import created go, those it changed come back. */
export interface EntityUndo {
  /** Entities the import created, as stored now: removed for good. */
  removes: EntitySnapshot[];
  /** Rows as the import's audit kept them, with what is stored now (null: gone, inserted again). */
  restores: { before: EntitySnapshot | null; after: EntitySnapshot }[];
  conflicts: EntityConflict[];
}

export const noEntityUndo = (): EntityUndo => ({ removes: [], restores: [], conflicts: [] });

/**
 * Works out the entity half of an undo in two queries: every entity the import created must still
 * be as it left it (same writer) and carry no reading the undo does not remove; every row it
 * changed must still be its (or, when it purged the row, still be gone). Anything else is a
 * conflict, and any conflict refuses the whole undo.
 */
export async function planEntityUndo(
  db: Db,
  audit: EntityAudit | null,
  removedReadings: ReadonlySet<string>,
): Promise<EntityUndo> {
  if (!audit) return noEntityUndo();
  const ids = [...audit.created, ...audit.before.map((b) => b.id)];
  const now = new Map((await entitySnapshots(db, ids)).map((r) => [r.id, r]));
  const writer = (id: string) => {
    const w = auditWriter(audit, id);
    return w.gone ? null : w.writer;
  };
  const undo = noEntityUndo();
  const conflict = (
    row: { id: string; entity_schema: string },
    reason: string,
    current?: EntitySnapshot,
  ) =>
    undo.conflicts.push({
      entity_id: row.id,
      entity_schema: row.entity_schema,
      reason,
      import_id: current?.import_id ?? null,
    });
  for (const id of audit.created) {
    const current = now.get(id);
    if (!current) conflict({ id, entity_schema: "" }, "purged since the import");
    else if (current.import_id !== writer(id))
      conflict(current, "changed since by another import", current);
    else undo.removes.push(current);
  }
  // A reading a later import wrote on an entity the import created would go with it.
  const others = (await readingsOfEntities(db, audit.created)).filter(
    (r) => !removedReadings.has(r.id),
  );
  for (const r of others) {
    const owner = now.get(r.counter_id && now.has(r.counter_id) ? r.counter_id : r.meter_id);
    if (owner) conflict(owner, `reading ${r.external_id ?? r.id} was stored on it since`, owner);
  }
  for (const then of audit.before) {
    const current = now.get(then.id) ?? null;
    const purgedHere = auditWriter(audit, then.id).gone;
    if (purgedHere) {
      if (current) conflict(then, "stored again since the import purged it", current);
      else undo.restores.push({ before: null, after: then });
    } else if (!current) conflict(then, "purged since the import");
    else if (current.import_id !== writer(then.id))
      conflict(current, "changed since by another import", current);
    else undo.restores.push({ before: current, after: then });
  }
  return undo;
}

/** The undo's own entity audit, so an undo of the undo brings the import's entities back. */
export function undoEntityAudit(undo: EntityUndo): EntityAudit {
  const writers: Record<string, string | null> = {};
  for (const { after } of undo.restores) writers[after.id] = after.import_id;
  return {
    created: undo.restores.filter((r) => !r.before).map((r) => r.after.id),
    before: [...undo.removes, ...undo.restores.flatMap((r) => (r.before ? [r.before] : []))],
    writers,
    purged_readings: [],
  };
}

/** The entity half of an undo as entity decisions (the undo's record and page show them). */
export function entityUndoDecisions(undo: EntityUndo, importId: string): EntityDecision[] {
  const decision = (row: EntitySnapshot, action: EntityDecision["action"], message: string) => ({
    item: 0,
    index: null,
    entity_schema: row.entity_schema,
    action,
    id: row.id,
    code: action === "delete" ? "UNDONE" : "RESTORED",
    message,
    unique_ids: {},
    attributes: row.attributes,
    ...(action === "delete" ? { mode: "purge" as const } : {}),
  });
  return [
    ...undo.removes.map((r) => decision(r, "delete", `Removed: import ${importId} created it`)),
    ...undo.restores.map(({ before, after }) =>
      decision(
        after,
        before ? "update" : "create",
        before
          ? `Restored as it was before import ${importId}`
          : `Stored again: import ${importId} purged it`,
      ),
    ),
  ];
}
