import "server-only";
import type { DbClient } from "../../../db/client";
import {
  type AuditFilter,
  auditFacets,
  insertAuditEvent,
  listAuditEvents,
} from "../../../db/repository";
import { uuidV7 } from "../platform/uuid-v7";

export interface AuditEntry {
  /** Defaults to the action's name. */
  action?: string;
  targetType: string;
  targetId?: string | null;
  targetLabel?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditActor {
  id: string;
  email: string;
  role: string;
}

/** One row of the trail. Ids are UUIDv7, so they sort by time like `at`. */
export async function recordAudit(
  client: DbClient,
  actor: AuditActor | null,
  entry: AuditEntry & { action: string },
): Promise<void> {
  await insertAuditEvent(client.db, {
    id: uuidV7(),
    actorId: actor?.id ?? null,
    actorEmail: actor?.email ?? null,
    actorRole: actor?.role ?? null,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    targetLabel: entry.targetLabel ?? null,
    details: entry.details ?? {},
  });
}

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  from?: Date;
  to?: Date;
  /** The `at|id` cursor of the last row of the previous page. */
  cursor?: string;
}

/** A page of the trail, newest first, with the cursor of the next page (null at the end). */
export async function auditPage(client: DbClient, query: AuditQuery) {
  const filter: AuditFilter = { ...query, limit: AUDIT_PAGE_SIZE + 1 };
  const before = parseCursor(query.cursor);
  if (before) filter.before = before;
  const rows = await listAuditEvents(client.db, filter);
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = page.at(-1);
  const next = rows.length > AUDIT_PAGE_SIZE && last ? `${last.at.toISOString()}|${last.id}` : null;
  return { rows: page, next, facets: await auditFacets(client.db) };
}

function parseCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = cursor.split("|");
  const when = at ? new Date(at) : undefined;
  if (!when || Number.isNaN(when.getTime()) || !id) return undefined;
  return { at: when, id };
}
