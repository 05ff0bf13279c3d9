import "server-only";
import type { Db, DbClient } from "../../../db/client";
import {
  entityKeyLockName,
  findImportDecisions,
  findRestorableEntity,
  LOCK_CLASS,
  liveEntitiesWith,
  lockKeys,
  SOFT_DELETE_DAYS,
  storedEntityKeys,
  undeleteEntity,
} from "../../../db/repository";
import { AppError } from "../http/app-error";
import { decodeDecisionsRecord, recordedEntities } from "../imports/import-record";
import { isUuid } from "../support/uuid";
import { entityLabel, labelText } from "./entity-label";

/** What a restore brought back, for the page and the audit trail. */
export interface RestoredEntity {
  id: string;
  entity_schema: string;
  /** The entity's readable name (its unique ids where the deleting import says them). */
  label: string;
  /** The import that had deleted it. */
  deleted_by: string | null;
  /** False when the deleting import's record does not say how it found the entity. */
  twin_checked: boolean;
}

/**
 * The unique id values the deleting import looked the entity up by, from its decisions record
 * (each entity decision keeps its `unique_ids` and real `id`). Null when the record does not say:
 * no import, an import without a record, or one whose decision for it carries no values (an
 * undo's, or an `_id` lookup, which can have no twin).
 */
async function deletingLookup(
  db: Db,
  importId: string | null,
  entityId: string,
): Promise<Record<string, unknown> | null> {
  if (!importId) return null;
  const blob = await findImportDecisions(db, importId);
  if (!blob) return null;
  const decision = recordedEntities(await decodeDecisionsRecord(blob)).find(
    (d) => d.id === entityId && d.action === "delete",
  );
  const values = { ...(decision?.unique_ids ?? {}) };
  delete values._id;
  return Object.keys(values).length > 0 ? values : null;
}

const notFound = (id: string) =>
  new AppError("NOT_FOUND", "No such entity: it was never stored, or it was purged for good.", {
    entity_id: id,
  });

/**
 * Restores one soft-deleted entity (SPEC-ENTITIES 4.2), in one transaction that first takes the
 * entity-key locks of its keys, as an import takes those of the values it looks up: an import
 * naming any of them waits, and then finds the entity back (it updates it rather than create a
 * twin). Refused (CONFLICT) when it is not deleted, when it was deleted more than
 * SOFT_DELETE_DAYS ago (due for the sweep), or when a live entity of its schema now holds the
 * unique id values the deleting import found it by: restoring it then would make the next lookup
 * of those values ambiguous.
 */
export async function restoreEntity(
  client: DbClient,
  entityId: string,
  now: Date = new Date(),
): Promise<RestoredEntity> {
  if (!isUuid(entityId)) throw notFound(entityId);
  const seen = await findRestorableEntity(client.db, entityId, now);
  if (!seen) throw notFound(entityId);
  // The record never changes once written: read (and gunzip) it before taking any lock.
  let lookup = await deletingLookup(client.db, seen.import_id, seen.id);
  return client.db.transaction(async (tx) => {
    const names = (await storedEntityKeys(tx, [seen.id])).map((k) =>
      entityKeyLockName(k.entity_schema, k.attribute, k.value),
    );
    for (const [attribute, value] of Object.entries(lookup ?? {}))
      names.push(entityKeyLockName(seen.entity_schema, attribute, String(value)));
    await lockKeys(tx, LOCK_CLASS.entityKey, names);
    const entity = await findRestorableEntity(tx, seen.id, now, true);
    if (!entity) throw notFound(entityId);
    const label = labelText(
      entityLabel(entity.attributes, Object.keys(lookup ?? {})),
      entity.id.slice(0, 8),
    );
    const what = `${entity.entity_schema} (${label})`;
    if (!entity.deleted_at)
      throw new AppError("CONFLICT", `This ${what} is not deleted: it was restored already.`, {
        entity_id: entity.id,
      });
    if (entity.expired)
      throw new AppError(
        "CONFLICT",
        `This ${what} was deleted more than ${SOFT_DELETE_DAYS} days ago: it can no longer be restored, and the next sweep purges it.`,
        { entity_id: entity.id, deleted_at: entity.deleted_at },
      );
    // Deleted again by another import since it was read: its lookup is that import's.
    if (entity.import_id !== seen.import_id)
      lookup = await deletingLookup(tx, entity.import_id, entity.id);
    // Without the deleting import's lookup (no import, or a record that does not say) there is
    // nothing to compare with: restored unchecked, and the result says so.
    if (lookup) {
      // Across the whole schema, counters too: a delete looks its entity up that way (a
      // counter's upsert looks among its meter's counters only, a narrower net).
      const twins = await liveEntitiesWith(tx, entity.entity_schema, lookup, entity.id);
      const [twin] = twins;
      if (twin) {
        const values = Object.entries(lookup)
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(", ");
        const twinName = labelText(entityLabel(twin.attributes), twin.id.slice(0, 8));
        throw new AppError(
          "CONFLICT",
          `This ${what} cannot be restored: another live ${entity.entity_schema}, ${twin.id} (${twinName}), now holds the unique ids its delete found it by (${values}), so the next lookup would find two. Delete that ${entity.entity_schema} first, then restore this one.`,
          { entity_id: entity.id, twin_ids: twins.map((t) => t.id), unique_ids: lookup },
        );
      }
    }
    if (!(await undeleteEntity(tx, entity.id))) throw notFound(entityId);
    return {
      id: entity.id,
      entity_schema: entity.entity_schema,
      label,
      deleted_by: entity.import_id,
      twin_checked: lookup !== null,
    };
  });
}
