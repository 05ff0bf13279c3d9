import { and, eq } from "drizzle-orm";
import type { Db } from "../client";
import { samplePayloads } from "../schema";

export type SampleRow = typeof samplePayloads.$inferSelect;

/** One sample of a use case; null when the id belongs to another use case (or none). */
export async function findSample(db: Db, useCaseId: string, id: string) {
  const [row] = await db
    .select()
    .from(samplePayloads)
    .where(and(eq(samplePayloads.useCaseId, useCaseId), eq(samplePayloads.id, id)));
  return row ?? null;
}

export async function findSampleByName(db: Db, useCaseId: string, name: string) {
  const [row] = await db
    .select()
    .from(samplePayloads)
    .where(and(eq(samplePayloads.useCaseId, useCaseId), eq(samplePayloads.name, name)));
  return row ?? null;
}

/** A new sample; the unique (use case, name) key refuses a taken name. */
export async function insertSample(
  db: Db,
  useCaseId: string,
  name: string,
  payload: unknown,
  payloadText: string | null = null,
  format: SampleRow["format"] = "json",
) {
  const [row] = await db
    .insert(samplePayloads)
    .values({ useCaseId, name, payload, payloadText, format })
    .returning();
  return row as SampleRow;
}

export async function updateSample(
  db: Db,
  useCaseId: string,
  id: string,
  values: Partial<Pick<SampleRow, "name" | "payload" | "payloadText" | "format">>,
) {
  const [row] = await db
    .update(samplePayloads)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(samplePayloads.useCaseId, useCaseId), eq(samplePayloads.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteSample(db: Db, useCaseId: string, id: string) {
  const [row] = await db
    .delete(samplePayloads)
    .where(and(eq(samplePayloads.useCaseId, useCaseId), eq(samplePayloads.id, id)))
    .returning({ id: samplePayloads.id });
  return row ?? null;
}
