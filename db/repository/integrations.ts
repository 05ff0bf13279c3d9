import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../client";
import { apiKeys, integrations } from "../schema";

export async function insertIntegration(db: Db, name: string) {
  const [row] = await db.insert(integrations).values({ name }).returning();
  return row as typeof integrations.$inferSelect;
}

export async function findIntegration(db: Db, id: string) {
  const [row] = await db.select().from(integrations).where(eq(integrations.id, id));
  return row ?? null;
}

export async function listIntegrations(db: Db) {
  return db.select().from(integrations).orderBy(integrations.createdAt);
}

export async function renameIntegration(db: Db, id: string, name: string) {
  const [row] = await db
    .update(integrations)
    .set({ name })
    .where(eq(integrations.id, id))
    .returning();
  return row ?? null;
}

export async function insertApiKey(
  db: Db,
  key: { integrationId: string; keyHash: string; keyPrefix: string; name?: string | null },
) {
  const [row] = await db.insert(apiKeys).values(key).returning();
  return row as typeof apiKeys.$inferSelect;
}

/** The live (unrevoked) key with this hash, with its integration. */
export async function findActiveKey(db: Db, keyHash: string) {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

export async function listApiKeys(db: Db, integrationId: string) {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.integrationId, integrationId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, integrationId: string, keyId: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(apiKeys.id, keyId),
        eq(apiKeys.integrationId, integrationId),
        isNull(apiKeys.revokedAt),
      ),
    )
    .returning();
  return row ?? null;
}
