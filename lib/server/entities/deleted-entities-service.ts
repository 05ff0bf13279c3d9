import "server-only";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  type DeletedEntityFilter,
  type DeletedEntityRow,
  deletedEntitySchemas,
  findRestorableEntity,
  listDeletedEntities,
} from "../../../db/repository";
import { isUuid } from "../support/uuid";
import { entityLabel, type LabelPart, labelText } from "./entity-label";

export const DELETED_PAGE_SIZE = 50;

const DAY_MS = 24 * 60 * 60 * 1000;

const text = z
  .string()
  .trim()
  .max(500)
  .transform((v) => v || undefined)
  .optional();

/** The list's filters as the URL carries them. */
export const deletedQuerySchema = z.object({
  schema: text,
  q: text,
  cursor: text,
});
export type DeletedQuery = z.infer<typeof deletedQuerySchema>;

/** One row of the page: the stored row, its readable name and how long it can still come back. */
export interface DeletedEntityItem extends DeletedEntityRow {
  label: LabelPart[];
  /** Whole days until the sweep purges it (0: due now, no longer restorable). */
  days_left: number;
}

export interface DeletedEntitiesPage {
  rows: DeletedEntityItem[];
  next: string | null;
  schemas: string[];
  /** Filters of the URL that were not understood, left out rather than failing the page. */
  ignored: string[];
}

function encodeCursor(row: Pick<DeletedEntityRow, "deleted_at" | "id">): string {
  return Buffer.from(`${row.deleted_at}|${row.id}`).toString("base64url");
}

function decodeCursor(token: string | undefined): DeletedEntityFilter["before"] {
  if (!token) return undefined;
  const [at, id] = Buffer.from(token, "base64url").toString("utf8").split("|");
  if (!at || !id || !isUuid(id) || Number.isNaN(Date.parse(at))) return undefined;
  return { at, id };
}

/** Days left before the purge, rounded up: deleted 29.2 days ago leaves 1 day. */
export function daysLeft(purgeAt: string, now: Date): number {
  return Math.max(0, Math.ceil((Date.parse(purgeAt) - now.getTime()) / DAY_MS));
}

/**
 * A page of soft-deleted entities for the URL's filters, newest deletion first. A bad value is
 * named and left out, never an error page: a shared link with a typo still shows the list.
 */
export async function deletedEntitiesPage(
  db: Db,
  params: Record<string, unknown>,
  now: Date = new Date(),
): Promise<DeletedEntitiesPage> {
  const ignored: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(deletedQuerySchema.shape)) {
    const value = params[key];
    const one = Array.isArray(value) ? value[0] : value;
    if (one === undefined) continue;
    const parsed = deletedQuerySchema.shape[key as keyof DeletedQuery].safeParse(one);
    if (parsed.success) raw[key] = parsed.data;
    else ignored.push(key);
  }
  const q = raw as DeletedQuery;
  const before = decodeCursor(q.cursor);
  if (q.cursor && !before) ignored.push("cursor");
  const [found, schemas] = await Promise.all([
    listDeletedEntities(db, { schema: q.schema, value: q.q, before }, DELETED_PAGE_SIZE + 1),
    deletedEntitySchemas(db),
  ]);
  const rows = found.slice(0, DELETED_PAGE_SIZE).map((r) => ({
    ...r,
    label: entityLabel(r.attributes),
    days_left: daysLeft(r.purge_at, now),
  }));
  const last = rows.at(-1);
  return {
    rows,
    next: found.length > DELETED_PAGE_SIZE && last ? encodeCursor(last) : null,
    schemas,
    ignored,
  };
}

/** The entity a restore just brought back (the page's `restored`), when it is live now. */
export async function restoredEntity(db: Db, id: unknown) {
  if (typeof id !== "string" || !isUuid(id)) return null;
  const row = await findRestorableEntity(db, id, new Date());
  if (!row || row.deleted_at) return null;
  return {
    id: row.id,
    entity_schema: row.entity_schema,
    meter_id: row.meter_id,
    name: labelText(entityLabel(row.attributes), row.id.slice(0, 8)),
  };
}
