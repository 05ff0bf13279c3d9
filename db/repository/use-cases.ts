import { and, desc, eq, max } from "drizzle-orm";
import type { Db } from "../client";
import { configVersions, samplePayloads, useCases } from "../schema";

export type UseCaseRow = typeof useCases.$inferSelect;
export type ConfigVersionRow = typeof configVersions.$inferSelect;

export async function insertUseCase(
  db: Db,
  values: {
    integrationId: string;
    slug: string;
    name: string;
    eventName?: string | null;
    draftConfig?: unknown;
  },
) {
  const [row] = await db.insert(useCases).values(values).returning();
  return row as UseCaseRow;
}

export async function findUseCaseBySlug(db: Db, integrationId: string, slug: string) {
  const [row] = await db
    .select()
    .from(useCases)
    .where(and(eq(useCases.integrationId, integrationId), eq(useCases.slug, slug)));
  return row ?? null;
}

export async function findUseCaseByEventName(db: Db, integrationId: string, eventName: string) {
  const [row] = await db
    .select()
    .from(useCases)
    .where(and(eq(useCases.integrationId, integrationId), eq(useCases.eventName, eventName)));
  return row ?? null;
}

export async function listUseCases(db: Db, integrationId: string) {
  return db
    .select()
    .from(useCases)
    .where(eq(useCases.integrationId, integrationId))
    .orderBy(useCases.createdAt);
}

export async function updateUseCase(
  db: Db,
  id: string,
  values: Partial<Pick<UseCaseRow, "name" | "eventName" | "draftConfig" | "draftText">>,
) {
  const set = values.draftConfig === undefined ? values : { ...values, draftUpdatedAt: new Date() };
  const [row] = await db.update(useCases).set(set).where(eq(useCases.id, id)).returning();
  return row ?? null;
}

/** The newest published version, or null when the use case was never published. */
export async function latestVersion(db: Db, useCaseId: string) {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(eq(configVersions.useCaseId, useCaseId))
    .orderBy(desc(configVersions.version))
    .limit(1);
  return row ?? null;
}

export async function listVersions(db: Db, useCaseId: string) {
  return db
    .select()
    .from(configVersions)
    .where(eq(configVersions.useCaseId, useCaseId))
    .orderBy(desc(configVersions.version));
}

/** Appends the next version number; the unique (use case, version) key settles races. */
export async function insertVersion(
  db: Db,
  useCaseId: string,
  config: unknown,
  message: string,
  configText: string | null = null,
) {
  const [current] = await db
    .select({ version: max(configVersions.version) })
    .from(configVersions)
    .where(eq(configVersions.useCaseId, useCaseId));
  const [row] = await db
    .insert(configVersions)
    .values({ useCaseId, config, configText, message, version: (current?.version ?? 0) + 1 })
    .returning();
  return row as ConfigVersionRow;
}

export async function listSamples(db: Db, useCaseId: string) {
  return db
    .select()
    .from(samplePayloads)
    .where(eq(samplePayloads.useCaseId, useCaseId))
    .orderBy(samplePayloads.name);
}

export async function upsertSample(db: Db, useCaseId: string, name: string, payload: unknown) {
  // The text keeps the payload's key order (jsonb would not).
  const payloadText = JSON.stringify(payload, null, 2);
  const [row] = await db
    .insert(samplePayloads)
    .values({ useCaseId, name, payload, payloadText })
    .onConflictDoUpdate({
      target: [samplePayloads.useCaseId, samplePayloads.name],
      set: { payload, payloadText, updatedAt: new Date() },
    })
    .returning();
  return row as typeof samplePayloads.$inferSelect;
}
