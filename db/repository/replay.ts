import { eq } from "drizzle-orm";
import type { Db } from "../client";
import {
  configVersions,
  imports,
  inboundEvents,
  inboundRequests,
  integrations,
  useCases,
} from "../schema";

export type ReplayEventRow = typeof inboundEvents.$inferSelect;

/** An import by id, without its blobs' bytes decoded (null when none). */
export async function findImportRow(db: Db, id: string) {
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  return row ?? null;
}

/**
 * What a replay starts from: the event, the gzipped body of the request that carried it, and
 * the use case it was routed to with its integration's name (both null for an ignored event).
 */
export async function findReplayEvent(db: Db, eventId: string) {
  const [row] = await db
    .select({
      event: inboundEvents,
      body: inboundRequests.body,
      useCase: {
        id: useCases.id,
        slug: useCases.slug,
        name: useCases.name,
        integrationId: useCases.integrationId,
        draftConfig: useCases.draftConfig,
        draftUpdatedAt: useCases.draftUpdatedAt,
      },
      integrationName: integrations.name,
    })
    .from(inboundEvents)
    .leftJoin(inboundRequests, eq(inboundRequests.id, inboundEvents.requestId))
    .leftJoin(useCases, eq(useCases.id, inboundEvents.useCaseId))
    .leftJoin(integrations, eq(integrations.id, inboundEvents.integrationId))
    .where(eq(inboundEvents.id, eventId));
  return row ?? null;
}

/** A configuration version by id (the one an import ran), or null when it was removed. */
export async function findConfigVersionById(db: Db, id: string) {
  const [row] = await db.select().from(configVersions).where(eq(configVersions.id, id));
  return row ?? null;
}
