import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, DbClient } from "../../../db/client";
import {
  attributeKeys,
  entityKeyLockName,
  findImportRow,
  findImportUndoneBy,
  holdKeyAttributes,
  insertImport,
  insertImportTouches,
  LOCK_CLASS,
  lockImportForUndo,
  lockKeys,
  markImportUndone,
  purgeEntities,
  restoreEntities,
  setReadingWriters,
  storedEntityKeys,
  writeReadings,
} from "../../../db/repository";
import type { Decision, Plan, StoredReading } from "../../engine";
import { AppError } from "../http/app-error";
import type { EntityAudit } from "./entity-writes";
import { encodeAudit, encodeDecisions } from "./import-record";
import { importTouches } from "./import-touches";
import { entityUndoDecisions, undoEntityAudit } from "./undo-entities";
import { planUndo, recordedEffects, type UndoPlan } from "./undo-plan";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UndoImportInfo {
  id: string;
  trigger: string;
  status: string;
  startedAt: string;
  useCaseId: string | null;
  undoneBy: string | null;
  /** When this import is itself an undo: the import it reverted. */
  undoOf: string | null;
}

export interface UndoPreview {
  import: UndoImportInfo;
  /** Why the undo cannot run at all (already undone, failed); null when it can be planned. */
  refusal: string | null;
  /** The plan, its lists cut at UNDO_PREVIEW_ROWS each for the page. */
  plan: UndoPlan | null;
  /** The lists' whole lengths (what the undo does and the user confirms). */
  totals: {
    removes: number;
    restores: number;
    conflicts: number;
    /** Entities the undo removes (the import created them), restores, or that stop it. */
    entityRemoves: number;
    entityRestores: number;
    entityConflicts: number;
  };
}

/** Rows per list the page gets: a 100k-reading import's lists would be tens of megabytes. */
export const UNDO_PREVIEW_ROWS = 10_000;

/** How many conflicting readings a refusal's message names (the details list them all). */
const NAMED = 5;

async function loadImport(client: DbClient, importId: string) {
  const row = UUID.test(importId) ? await findImportRow(client.db, importId) : null;
  if (!row) throw new AppError("NOT_FOUND", "No such import", { import_id: importId });
  return row;
}

function refusalOf(row: { status: string; undoneBy: string | null }): string | null {
  if (row.status === "undone")
    return `This import was already undone${row.undoneBy ? ` by import ${row.undoneBy}` : ""}.`;
  if (row.status !== "applied")
    return "This import failed and wrote nothing: there is nothing to undo.";
  return null;
}

/**
 * What undoing an import would do, writing nothing: the readings it removes and restores, or the
 * readings that stop it (the page names them).
 */
export async function previewUndo(client: DbClient, importId: string): Promise<UndoPreview> {
  const row = await loadImport(client, importId);
  const undoOf = row.trigger === "undo" ? await findImportUndoneBy(client.db, row.id) : null;
  const info: UndoImportInfo = {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.startedAt.toISOString(),
    useCaseId: row.useCaseId,
    undoneBy: row.undoneBy,
    undoOf: undoOf?.id ?? null,
  };
  const refusal = refusalOf(row);
  const none = {
    removes: 0,
    restores: 0,
    conflicts: 0,
    entityRemoves: 0,
    entityRestores: 0,
    entityConflicts: 0,
  };
  if (refusal) return { import: info, refusal, plan: null, totals: none };
  const effects = await recordedEffects(row);
  // One snapshot for every read of the plan.
  const plan = await client.db.transaction((tx) => planUndo(tx, row.id, effects));
  const cut = <T>(list: T[]) => list.slice(0, UNDO_PREVIEW_ROWS);
  return {
    import: info,
    refusal: null,
    plan: {
      ...plan,
      removes: cut(plan.removes),
      restores: cut(plan.restores),
      conflicts: cut(plan.conflicts),
    },
    totals: {
      removes: plan.removes.length,
      restores: plan.restores.length,
      conflicts: plan.conflicts.length,
      entityRemoves: plan.entityChanges.removes.length,
      entityRestores: plan.entityChanges.restores.length,
      entityConflicts: plan.entityChanges.conflicts.length,
    },
  };
}

/** Attributes that name a meter (meter_number...), preferred over others in messages. */
const NAMING = /number|code|serial|(^|_)id$/i;

const label = (
  plan: UndoPlan,
  r: { meter_id: string; external_id: string | null; reading_id: string },
) => {
  const meter = plan.entities[r.meter_id];
  const entries = Object.entries(meter ?? {}).filter(([, v]) => typeof v === "string");
  const name = (entries.find(([k]) => NAMING.test(k)) ?? entries[0])?.[1];
  return `${r.external_id ?? r.reading_id}${name ? ` (meter ${String(name)})` : ""}`;
};

/** The refusal of an undo that conflicts with later changes, naming the readings and entities. */
export function conflictError(plan: UndoPlan): AppError {
  const entityConflicts = plan.entityChanges.conflicts;
  const named = [
    ...plan.conflicts.map((c) => `${label(plan, c)}: ${c.reason}`),
    ...entityConflicts.map((c) => `${c.entity_schema || "entity"} ${c.entity_id}: ${c.reason}`),
  ];
  const shown = named.slice(0, NAMED);
  const more = named.length - shown.length;
  const what = [
    plan.conflicts.length > 0 ? `${plan.conflicts.length} of its readings` : "",
    entityConflicts.length > 0 ? `${entityConflicts.length} of its entities` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return new AppError(
    "CONFLICT",
    `This import cannot be undone: ${what} changed since. ${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}. Nothing was written.`,
    { conflicts: plan.conflicts, entity_conflicts: entityConflicts },
  );
}

/** The undo as an import's plan: deletes, restoring updates and re-creates, one per reading. */
function undoDecisions(plan: UndoPlan, importId: string): Plan {
  const decisions: Decision[] = [];
  const ref = (id: string | null) => (id ? { id, unique_ids: {} } : null);
  for (const r of plan.removes) {
    decisions.push({
      item: 0,
      index: decisions.length,
      action: "delete",
      code: "UNDONE",
      message: `Removed: import ${importId} created it`,
      meter: ref(r.meter_id),
      counter: ref(r.counter_id),
      reading_id: r.id,
    });
  }
  for (const { before, after, changed } of plan.restores) {
    const changes = before
      ? Object.fromEntries(
          changed.map((c) => [
            c,
            { from: before[c as keyof StoredReading], to: after[c as keyof StoredReading] },
          ]),
        )
      : undefined;
    decisions.push({
      item: 0,
      index: decisions.length,
      action: before ? "update" : "create",
      code: "RESTORED",
      message: before
        ? `Restored as it was before import ${importId}`
        : `Stored again: import ${importId} deleted it`,
      meter: ref(after.meter_id),
      counter: ref(after.counter_id),
      reading_id: after.id,
      // The writer the row got back: an undo of this undo expects it there.
      ...(after.import_id !== undefined ? { details: { import_id: after.import_id } } : {}),
      ...(changes ? { changes } : {}),
    });
  }
  const inserts = plan.restores.filter((r) => !r.before).length;
  return {
    summary: {
      create: inserts,
      update: plan.restores.length - inserts,
      unchanged: 0,
      skip: 0,
      delete: plan.removes.length,
      error: 0,
    },
    decisions,
    entities: entityUndoDecisions(plan.entityChanges, importId),
    warnings: [],
  };
}

/**
 * The entity-key lock names of every entity an undo removes or puts back: its keys as stored now
 * and as the audit kept them, so an import looking up any of those values waits for the undo (and
 * the undo for it) instead of reading entities half put back.
 */
async function entityLockNames(tx: Db, audit: EntityAudit | null): Promise<string[]> {
  if (!audit) return [];
  const names: string[] = [];
  for (const then of audit.before)
    for (const [attribute, value] of Object.entries(then.attributes))
      for (const key of attributeKeys(value))
        names.push(entityKeyLockName(then.entity_schema, attribute, key));
  const ids = [...audit.created, ...audit.before.map((b) => b.id)];
  for (const k of await storedEntityKeys(tx, ids))
    names.push(entityKeyLockName(k.entity_schema, k.attribute, k.value));
  return names;
}

/**
 * Undoes an import in one transaction, as an import of its own (trigger "undo", with its own
 * decisions and audit, so it can be undone in turn): removes the readings it created and puts
 * back those it updated or deleted. Takes the meter locks every import takes (after locking the
 * import's row), so it never interleaves with an import on the same meters, then plans again
 * under them: a conflict refuses everything. `expected` is the counts the user confirmed.
 */
export async function undoImport(
  client: DbClient,
  importId: string,
  expected?: { removes: number; restores: number },
) {
  const row = await loadImport(client, importId);
  const effects = await recordedEffects(row);
  return client.db.transaction(async (tx) => {
    const locked = await lockImportForUndo(tx, row.id);
    const refusal = locked
      ? refusalOf({ status: locked.status, undoneBy: locked.undone_by })
      : "No such import";
    if (refusal) throw new AppError("CONFLICT", refusal);
    // In the order every import takes them: the keyed attributes (it writes keys), the entity
    // keys it touches, then the meters.
    await holdKeyAttributes(tx);
    await lockKeys(tx, LOCK_CLASS.entityKey, await entityLockNames(tx, effects.entityAudit));
    await lockKeys(tx, LOCK_CLASS.meter, effects.meterIds);
    const plan = await planUndo(tx, row.id, effects);
    if (plan.conflicts.length > 0 || plan.entityChanges.conflicts.length > 0)
      throw conflictError(plan);
    if (
      expected &&
      (expected.removes !== plan.removes.length || expected.restores !== plan.restores.length)
    ) {
      throw new AppError(
        "CONFLICT",
        `The undo would now remove ${plan.removes.length} and restore ${plan.restores.length} readings (confirmed: ${expected.removes} and ${expected.restores}). Nothing was written; check again.`,
      );
    }
    const undoId = randomUUID();
    const decided = undoDecisions(plan, row.id);
    const restoredRows = plan.restores.map((r) => r.after);
    // Entities first: the readings put back may belong to a meter the import purged.
    await restoreEntities(
      tx,
      plan.entityChanges.restores.map((r) => r.after),
    );
    await writeReadings(
      tx,
      {
        inserts: restoredRows.filter((_, i) => !plan.restores[i]?.before),
        updates: restoredRows.filter((_, i) => plan.restores[i]?.before),
        deletes: plan.removes.map((r) => r.id),
      },
      undoId,
      new Map(),
      async () => {
        const before = [
          ...plan.removes,
          ...plan.restores.flatMap((r) => (r.before ? [r.before] : [])),
        ];
        await insertImport(tx, {
          id: undoId,
          useCaseId: row.useCaseId,
          configVersionId: null,
          configVersion: null,
          trigger: "undo",
          status: "applied",
          counts: decided.summary,
          decisions: await encodeDecisions(decided, new Map()),
          audit: await encodeAudit(before, undoEntityAudit(plan.entityChanges)),
          inboundEventId: null,
          replayOf: null,
        });
        // So the list's meter and error-code filters find the undo too.
        await insertImportTouches(tx, undoId, importTouches(decided, new Map()));
      },
    );
    // The entities the import created go last, once their readings are gone.
    await purgeEntities(
      tx,
      plan.entityChanges.removes.map((e) => e.id),
    );
    // Restored rows get back the import that wrote them, where the audit kept it.
    await setReadingWriters(
      tx,
      restoredRows.flatMap((r) =>
        r.import_id !== undefined ? [{ id: r.id, import_id: r.import_id }] : [],
      ),
    );
    await markImportUndone(tx, row.id, undoId);
    return { undoId, summary: decided.summary };
  });
}
