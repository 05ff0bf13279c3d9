import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../client";
import { integrationVariables } from "../schema";

export type IntegrationVariableRow = typeof integrationVariables.$inferSelect;

/** Every variable of an integration, by key: one indexed query (the unique key's index). */
export async function listIntegrationVariables(db: Db, integrationId: string) {
  return db
    .select()
    .from(integrationVariables)
    .where(eq(integrationVariables.integrationId, integrationId))
    .orderBy(asc(integrationVariables.key));
}

/** A new variable; null when the integration already has one with this key. */
export async function insertIntegrationVariable(
  db: Db,
  values: { integrationId: string; key: string; value: string; secret: boolean },
) {
  const [row] = await db
    .insert(integrationVariables)
    .values(values)
    .onConflictDoNothing({
      target: [integrationVariables.integrationId, integrationVariables.key],
    })
    .returning();
  return row ?? null;
}

export async function findIntegrationVariable(db: Db, integrationId: string, key: string) {
  const [row] = await db
    .select()
    .from(integrationVariables)
    .where(
      and(eq(integrationVariables.integrationId, integrationId), eq(integrationVariables.key, key)),
    );
  return row ?? null;
}

/** Replaces a variable's value and secret flag; null when it does not exist. */
export async function updateIntegrationVariable(
  db: Db,
  integrationId: string,
  key: string,
  values: { value: string; secret: boolean },
) {
  const [row] = await db
    .update(integrationVariables)
    .set({ ...values, updatedAt: new Date() })
    .where(
      and(eq(integrationVariables.integrationId, integrationId), eq(integrationVariables.key, key)),
    )
    .returning();
  return row ?? null;
}

export async function deleteIntegrationVariable(db: Db, integrationId: string, key: string) {
  const [row] = await db
    .delete(integrationVariables)
    .where(
      and(eq(integrationVariables.integrationId, integrationId), eq(integrationVariables.key, key)),
    )
    .returning({ id: integrationVariables.id });
  return row ?? null;
}
