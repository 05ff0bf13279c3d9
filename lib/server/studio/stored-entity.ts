import "server-only";
import type { DbClient } from "../../../db/client";
import { entitySnapshots, SOFT_DELETE_DAYS } from "../../../db/repository";
import { AppError } from "../http/app-error";
import { attempt, type StudioResult } from "./studio-use-case-service";

export interface StoredEntityDetails {
  id: string;
  entitySchema: string;
  /** As stored: relations as `{ "$relation": [...] }`, references as `{ "$relation_ref": [...] }`. */
  attributes: Record<string, unknown>;
  /** For counters: the meter they belong to. */
  meterId: string | null;
  /** Set when soft-deleted (SPEC-ENTITIES 4.2): out of every lookup until restored. */
  deletedAt: string | null;
  /** When a soft-deleted entity is purged for good by the sweep. */
  restorableUntil: string | null;
  importId: string | null;
  createdAt: string;
  updatedAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

/**
 * Postgres prints timestamptz as `2026-12-06 10:58:16.123456+00`: made ISO (milliseconds, UTC)
 * so the browser shows every timestamp of the drawer alike.
 */
function isoInstant(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?([+-]\d\d)(?::?(\d\d))?$/.exec(text);
  if (!m) return text;
  const fraction = (m[3] ?? ".0").slice(0, 4).padEnd(4, "0");
  const date = new Date(`${m[1]}T${m[2]}${fraction}${m[4]}:${m[5] ?? "00"}`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/**
 * One stored entity by id, soft-deleted or not: what the preview's drawer shows for a related
 * entity that the plan does not touch.
 */
export function storedEntity(
  client: DbClient,
  entityId: string,
): Promise<StudioResult<StoredEntityDetails>> {
  return attempt(async () => {
    const [found] = UUID.test(entityId) ? await entitySnapshots(client.db, [entityId]) : [];
    if (!found) {
      throw new AppError("NOT_FOUND", "This entity is not stored (any more)", {
        entity_id: entityId,
      });
    }
    const deletedAt = found.deleted_at ? isoInstant(found.deleted_at) : null;
    return {
      id: found.id,
      entitySchema: found.entity_schema,
      attributes: found.attributes ?? {},
      meterId: found.meter_id,
      deletedAt,
      restorableUntil: deletedAt
        ? new Date(Date.parse(deletedAt) + SOFT_DELETE_DAYS * DAY_MS).toISOString()
        : null,
      importId: found.import_id,
      createdAt: isoInstant(found.created_at),
      updatedAt: isoInstant(found.updated_at),
    };
  });
}
