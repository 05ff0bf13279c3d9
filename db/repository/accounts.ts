import { and, asc, count, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { appSettings, auditEvents, authSessions, authUsers, type UserRole } from "../schema";

/** The stored value of a setting, creating it with `create()` first if there is none. */
export async function settingOrCreate(db: Db, key: string, create: () => string): Promise<string> {
  await db.insert(appSettings).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, key));
  if (!row) throw new Error(`setting ${key} vanished right after it was written`);
  return row.value;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(authUsers);
  return row?.n ?? 0;
}

export async function listUsers(db: Db) {
  return db
    .select({
      id: authUsers.id,
      name: authUsers.name,
      email: authUsers.email,
      role: authUsers.role,
      createdAt: authUsers.createdAt,
      deactivatedAt: authUsers.deactivatedAt,
      mustChangePassword: authUsers.mustChangePassword,
    })
    .from(authUsers)
    .orderBy(asc(authUsers.email));
}

export async function findUserById(db: Db, id: string) {
  const [row] = await db.select().from(authUsers).where(eq(authUsers.id, id));
  return row ?? null;
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(authUsers).where(eq(authUsers.email, email));
  return row ?? null;
}

export async function updateUserFields(
  db: Db,
  id: string,
  fields: Partial<{
    role: UserRole;
    deactivatedAt: Date | null;
    mustChangePassword: boolean;
    name: string;
  }>,
) {
  const [row] = await db
    .update(authUsers)
    .set({ ...fields, updatedAt: new Date() })
    .where(eq(authUsers.id, id))
    .returning();
  return row ?? null;
}

/** Ends every session of a user at once (deactivation, password change elsewhere). */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  const rows = await db
    .delete(authSessions)
    .where(eq(authSessions.userId, userId))
    .returning({ id: authSessions.id });
  return rows.length;
}

export interface NewAuditEvent {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  targetLabel: string | null;
  details: Record<string, unknown>;
}

export async function insertAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values(event);
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  from?: Date;
  to?: Date;
  /** Keyset: rows strictly older than this (at, id). */
  before?: { at: Date; id: string };
  limit: number;
}

/** Newest first, keyset-paginated on (at, id), each filter on an indexed column. */
export async function listAuditEvents(db: Db, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditEvents.actorEmail, filter.actor));
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.targetType) where.push(eq(auditEvents.targetType, filter.targetType));
  if (filter.from) where.push(gte(auditEvents.at, filter.from));
  if (filter.to) where.push(lte(auditEvents.at, filter.to));
  if (filter.before) {
    const { at, id } = filter.before;
    const older = or(lt(auditEvents.at, at), and(eq(auditEvents.at, at), lt(auditEvents.id, id)));
    if (older) where.push(older);
  }
  return db
    .select()
    .from(auditEvents)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(filter.limit);
}

/** The distinct actions and actors the trail holds, for its filter menus. */
export async function auditFacets(db: Db) {
  const actions = await db
    .selectDistinct({ value: auditEvents.action })
    .from(auditEvents)
    .orderBy(asc(auditEvents.action));
  const actors = await db
    .selectDistinct({ value: auditEvents.actorEmail })
    .from(auditEvents)
    .orderBy(asc(auditEvents.actorEmail));
  return {
    actions: actions.map((r) => r.value),
    actors: actors.map((r) => r.value).filter((v): v is string => v !== null),
  };
}
