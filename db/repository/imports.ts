import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { imports, inboundEvents, inboundRequests } from "../schema";
import { byteaValue } from "./sql-json";

export type ImportRow = typeof imports.$inferSelect;
export type NewImport = typeof imports.$inferInsert;
export type InboundEventRow = typeof inboundEvents.$inferSelect;

/**
 * Records an import. Its time is the database's: it started with the transaction and finishes
 * as this row is written, after every statement sent before it (the writes).
 */
export async function insertImport(
  db: Db,
  row: Omit<NewImport, "startedAt" | "finishedAt" | "durationMs">,
) {
  const [inserted] = await db
    .insert(imports)
    .values({
      ...row,
      startedAt: sql`now()`,
      finishedAt: sql`clock_timestamp()`,
      durationMs: sql`round(extract(epoch from clock_timestamp() - now()) * 1000)::int`,
      decisions: byteaValue(row.decisions as Uint8Array | null),
      audit: byteaValue(row.audit as Uint8Array | null),
    })
    .returning({ id: imports.id, durationMs: imports.durationMs })
    // Prepared (its text depends only on the columns a caller sets): postgres.js has the server
    // describe an unprepared statement with parameters before it binds it, a round trip at the
    // end of every import while the statements behind it wait. A connection describes it once.
    .prepare("insert_import")
    .execute();
  return inserted as { id: string; durationMs: number };
}

export async function findImport(db: Db, id: string) {
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  return row ?? null;
}

export async function listImports(db: Db, useCaseId: string, limit = 50) {
  return db
    .select({
      id: imports.id,
      trigger: imports.trigger,
      status: imports.status,
      startedAt: imports.startedAt,
      durationMs: imports.durationMs,
      counts: imports.counts,
      configVersion: imports.configVersion,
      error: imports.error,
    })
    .from(imports)
    .where(eq(imports.useCaseId, useCaseId))
    .orderBy(desc(imports.startedAt))
    .limit(limit);
}

export async function insertInboundRequest(db: Db, row: typeof inboundRequests.$inferInsert) {
  const [inserted] = await db
    .insert(inboundRequests)
    .values(row)
    .returning({ id: inboundRequests.id });
  return inserted as { id: string };
}

export async function setInboundRequestBody(db: Db, id: string, body: Buffer) {
  await db
    .update(inboundRequests)
    .set({ body: byteaValue(body) })
    .where(eq(inboundRequests.id, id));
}

/** An event with the body of the request that carried it (null when it has none). */
export async function findInboundEventWithBody(db: Db, eventId: string) {
  const [row] = await db
    .select({ event: inboundEvents, body: inboundRequests.body })
    .from(inboundEvents)
    .leftJoin(inboundRequests, eq(inboundRequests.id, inboundEvents.requestId))
    .where(eq(inboundEvents.id, eventId));
  return row ?? null;
}

/** An event's status (null when no such event was committed). */
export async function findInboundEventStatus(db: Db, eventId: string) {
  const [row] = await db
    .select({ status: inboundEvents.status })
    .from(inboundEvents)
    .where(eq(inboundEvents.id, eventId));
  return row?.status ?? null;
}

export async function insertInboundEvent(db: Db, row: typeof inboundEvents.$inferInsert) {
  const [inserted] = await db.insert(inboundEvents).values(row).returning({ id: inboundEvents.id });
  return inserted as { id: string };
}

/** An event of this integration with this deduplication id received after `since`. */
export async function findRecentEvent(
  db: Db,
  integrationId: string,
  deduplicationId: string,
  since: Date,
) {
  const [row] = await db
    .select({
      id: inboundEvents.id,
      status: inboundEvents.status,
      importId: inboundEvents.importId,
      receivedAt: inboundEvents.receivedAt,
    })
    .from(inboundEvents)
    .where(
      and(
        eq(inboundEvents.integrationId, integrationId),
        eq(inboundEvents.deduplicationId, deduplicationId),
        gt(inboundEvents.receivedAt, since),
      ),
    )
    .orderBy(desc(inboundEvents.receivedAt))
    .limit(1);
  return row ?? null;
}

/**
 * Sets the finish time and duration of an import recorded before its last writes (the record of
 * an import with entities goes out right behind their writes, before they are done, and before
 * its readings): called after those, it times them too.
 */
export async function finishImport(db: Db, id: string): Promise<number> {
  const [row] = await db
    .update(imports)
    .set({
      finishedAt: sql`clock_timestamp()`,
      durationMs: sql`round(extract(epoch from clock_timestamp() - now()) * 1000)::int`,
    })
    .where(eq(imports.id, id))
    .returning({ durationMs: imports.durationMs });
  if (!row) throw new Error(`finishImport: no import ${id}`);
  return row.durationMs as number;
}
