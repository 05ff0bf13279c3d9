import "server-only";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  type ActivityFilter,
  type ActivityRow,
  filterChoices,
  findMeterIdsByValue,
  listActivity,
} from "../../../db/repository";
import { importStatuses, importTriggers, inboundEventStatuses } from "../../../db/schema";
import { utcInstant } from "./utc-time";
import { isUuid } from "./uuid";

export const LIST_PAGE_SIZE = 50;
export const LIST_STATUSES = [
  ...inboundEventStatuses,
  ...importStatuses.filter((s) => !(inboundEventStatuses as readonly string[]).includes(s)),
] as const;
export const LIST_TRIGGERS = importTriggers;

const text = z
  .string()
  .trim()
  .max(500)
  .transform((v) => v || undefined)
  .optional();
const uuidText = text.refine((v) => v === undefined || isUuid(v), "Not an id");
const time = text.refine((v) => v === undefined || !Number.isNaN(Date.parse(v)), "Not a time");

/** The list's filters as the URL carries them. */
export const listQuerySchema = z.object({
  integration: uuidText,
  useCase: uuidText,
  status: z.enum(LIST_STATUSES).optional().catch(undefined),
  trigger: z.enum(LIST_TRIGGERS).optional().catch(undefined),
  from: time,
  to: time,
  correlation: text,
  meter: text,
  code: text,
  cursor: text,
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The keyset as one URL-safe token: the last row's time (with microseconds) and id. */
export function encodeCursor(row: Pick<ActivityRow, "at" | "id">): string {
  return Buffer.from(`${row.at}|${row.id}`).toString("base64url");
}

function decodeCursor(token: string | undefined) {
  if (!token) return undefined;
  const [at, id] = Buffer.from(token, "base64url").toString("utf8").split("|");
  if (!at || !id || !isUuid(id) || Number.isNaN(Date.parse(at))) return undefined;
  return { at, id };
}

export interface ActivityPage {
  rows: ActivityRow[];
  next: string | null;
  /** Set when the meter filter named no meter at all. */
  unknownMeter: boolean;
  /** Problems with the URL's filters, ignored rather than failing the page. */
  ignored: string[];
}

/**
 * A page of events and imports for the URL's filters. A bad filter value is named and left out,
 * never an error page: a shared link with a typo still shows the list.
 */
export async function activityPage(db: Db, params: Record<string, unknown>): Promise<ActivityPage> {
  const ignored: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(listQuerySchema.shape)) {
    const value = params[key];
    const one = Array.isArray(value) ? value[0] : value;
    if (one === undefined) continue;
    const parsed = listQuerySchema.shape[key as keyof ListQuery].safeParse(one);
    if (parsed.success) raw[key] = parsed.data;
    else ignored.push(key);
  }
  const q = raw as ListQuery;
  const meterIds = q.meter ? await findMeterIdsByValue(db, q.meter) : undefined;
  if (meterIds && meterIds.length === 0)
    return { rows: [], next: null, unknownMeter: true, ignored };
  const filter: ActivityFilter = {
    integrationId: q.integration,
    useCaseId: q.useCase,
    status: q.status,
    trigger: q.trigger,
    from: utcInstant(q.from),
    to: utcInstant(q.to),
    correlationId: q.correlation,
    meterIds,
    code: q.code,
    before: decodeCursor(q.cursor),
  };
  const { rows, more } = await listActivity(db, filter, LIST_PAGE_SIZE);
  const last = rows.at(-1);
  return { rows, next: more && last ? encodeCursor(last) : null, unknownMeter: false, ignored };
}

/** Integrations and their use cases for the filter menus. */
export async function listFilterChoices(db: Db) {
  const rows = await filterChoices(db);
  const integrations = new Map<string, { id: string; name: string }>();
  const useCases: { id: string; label: string; integrationId: string }[] = [];
  for (const r of rows) {
    integrations.set(r.integration_id, { id: r.integration_id, name: r.integration_name });
    if (r.use_case_id && r.slug)
      useCases.push({
        id: r.use_case_id,
        label: `${r.integration_name} · ${r.slug}`,
        integrationId: r.integration_id,
      });
  }
  return { integrations: [...integrations.values()], useCases };
}
