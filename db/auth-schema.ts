import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/*
 * Accounts, sessions and the audit trail. The four auth_* tables are Better Auth's own model
 * (user, session, account, verification) under names of ours, mapped in lib/server/auth/auth.ts;
 * their columns are the ones its Drizzle adapter reads and writes, so they live in the project's
 * migrations like every other table, on PGlite and Postgres alike.
 */

export const userRoles = ["admin", "consultant", "support"] as const;
export type UserRole = (typeof userRoles)[number];

const stamp = (name: string) => timestamp(name, { withTimezone: true });
const roleList = sql.raw(`(${userRoles.map((r) => `'${r}'`).join(", ")})`);

export const authUsers = pgTable(
  "auth_users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    createdAt: stamp("created_at").notNull().defaultNow(),
    updatedAt: stamp("updated_at").notNull().defaultNow(),
    role: text("role").$type<UserRole>().notNull().default("support"),
    /** Set when an admin deactivates the account: it cannot sign in, its sessions are gone. */
    deactivatedAt: stamp("deactivated_at"),
    /** A one-time password was issued (CLI, demo seed, admin): it must be changed first. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
  },
  (t) => [check("auth_users_role_check", sql`${t.role} in ${roleList}`)],
);

export const authSessions = pgTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: stamp("expires_at").notNull(),
    token: text("token").notNull().unique(),
    createdAt: stamp("created_at").notNull().defaultNow(),
    updatedAt: stamp("updated_at").notNull().defaultNow(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

export const authAccounts = pgTable(
  "auth_accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: stamp("access_token_expires_at"),
    refreshTokenExpiresAt: stamp("refresh_token_expires_at"),
    scope: text("scope"),
    /** The library's password hash (scrypt); never the password. */
    password: text("password"),
    createdAt: stamp("created_at").notNull().defaultNow(),
    updatedAt: stamp("updated_at").notNull().defaultNow(),
  },
  (t) => [index("auth_accounts_user_idx").on(t.userId)],
);

export const authVerifications = pgTable("auth_verifications", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: stamp("expires_at").notNull(),
  createdAt: stamp("created_at").notNull().defaultNow(),
  updatedAt: stamp("updated_at").notNull().defaultNow(),
});

/** Installation-wide settings the server generates once, such as the session signing secret. */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  createdAt: stamp("created_at").notNull().defaultNow(),
});

/**
 * Who did what to which target, one row per change that succeeded: integrations, keys,
 * configurations, imports, users. Actor columns are copied, not only referenced, so the trail
 * still reads right after a user is renamed.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    at: stamp("at").notNull().defaultNow(),
    actorId: text("actor_id"),
    actorEmail: text("actor_email"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    details: jsonb("details").notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    index("audit_events_at_idx").on(t.at.desc(), t.id.desc()),
    index("audit_events_actor_at_idx").on(t.actorId, t.at.desc()),
    index("audit_events_action_at_idx").on(t.action, t.at.desc()),
  ],
);

export type AuthUser = typeof authUsers.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
