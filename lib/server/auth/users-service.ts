import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { DbClient } from "../../../db/client";
import {
  deleteUserSessions,
  findUserByEmail,
  findUserById,
  listUsers,
  updateUserFields,
} from "../../../db/repository";
import { type UserRole, userRoles } from "../../../db/schema";
import { AppError } from "../http/app-error";
import { authFor } from "./auth";

const emailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address" }).max(254));

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).optional(),
  role: z.enum(userRoles, { error: "Choose admin, consultant or support" }),
});

export const roleChangeSchema = z.object({
  userId: z.string().min(1).max(100),
  role: z.enum(userRoles, { error: "Choose admin, consultant or support" }),
});

export const userIdSchema = z.object({ userId: z.string().min(1).max(100) });

/** 18 random bytes: 24 characters a person can type, shown once and changed at first sign-in. */
export function oneTimePassword(): string {
  return randomBytes(18).toString("base64url");
}

export interface CreatedUser {
  user: { id: string; email: string; name: string; role: UserRole };
  /** In clear this once; only the library's hash is stored, and it must be changed at sign-in. */
  oneTimePassword: string;
}

/**
 * Creates an account with a one-time password, through the library's own adapter and hashing
 * (sign-up is off: accounts come from admins, the CLI and the demo seed).
 */
export async function createUser(client: DbClient, input: unknown): Promise<CreatedUser> {
  const { email, name, role } = newUserSchema.parse(input);
  if (await findUserByEmail(client.db, email)) {
    throw new AppError("CONFLICT", `A user with the email ${email} already exists`, {
      field: "email",
    });
  }
  const context = await (await authFor(client, false)).$context;
  const password = oneTimePassword();
  const hash = await context.password.hash(password);
  const created = await context.internalAdapter.createUser(
    {
      email,
      name: name || email.split("@")[0] || email,
      emailVerified: true,
      role,
      mustChangePassword: true,
    },
    { method: "admin" },
  );
  try {
    await context.internalAdapter.linkAccount({
      userId: created.id,
      providerId: "credential",
      accountId: created.id,
      password: hash,
    });
  } catch (error) {
    // Never leave an account that exists but cannot sign in.
    await context.internalAdapter.deleteUser(created.id).catch(() => {});
    throw error;
  }
  return {
    user: { id: created.id, email: created.email, name: created.name, role },
    oneTimePassword: password,
  };
}

export function listAllUsers(client: DbClient) {
  return listUsers(client.db);
}

/** Changes a role; the last active admin cannot lose theirs (nobody could manage users then). */
export async function setUserRole(client: DbClient, input: unknown) {
  const { userId, role } = roleChangeSchema.parse(input);
  const user = await existingUser(client, userId);
  if (user.role === "admin" && role !== "admin") await keepAnAdmin(client, userId);
  const updated = await updateUserFields(client.db, userId, { role });
  return { id: userId, email: user.email, from: user.role, to: updated?.role ?? role };
}

/** Deactivates an account: it cannot sign in and every open session ends now. */
export async function deactivateUser(client: DbClient, actorId: string, input: unknown) {
  const { userId } = userIdSchema.parse(input);
  if (userId === actorId) {
    throw new AppError("CONFLICT", "You cannot deactivate your own account");
  }
  const user = await existingUser(client, userId);
  if (user.role === "admin") await keepAnAdmin(client, userId);
  await updateUserFields(client.db, userId, { deactivatedAt: new Date() });
  const sessionsEnded = await deleteUserSessions(client.db, userId);
  return { id: userId, email: user.email, sessionsEnded };
}

export async function reactivateUser(client: DbClient, input: unknown) {
  const { userId } = userIdSchema.parse(input);
  const user = await existingUser(client, userId);
  await updateUserFields(client.db, userId, { deactivatedAt: null });
  return { id: userId, email: user.email };
}

/** A new one-time password for someone who lost theirs; their sessions end. */
export async function resetUserPassword(client: DbClient, input: unknown) {
  const { userId } = userIdSchema.parse(input);
  const user = await existingUser(client, userId);
  const context = await (await authFor(client, false)).$context;
  const password = oneTimePassword();
  await context.internalAdapter.updatePassword(userId, await context.password.hash(password));
  await updateUserFields(client.db, userId, { mustChangePassword: true });
  await deleteUserSessions(client.db, userId);
  return { id: userId, email: user.email, oneTimePassword: password };
}

async function existingUser(client: DbClient, userId: string) {
  const user = await findUserById(client.db, userId);
  if (!user) throw new AppError("NOT_FOUND", "No such user", { userId });
  return user;
}

async function keepAnAdmin(client: DbClient, leavingId: string) {
  const admins = (await listUsers(client.db)).filter(
    (u) => u.role === "admin" && !u.deactivatedAt && u.id !== leavingId,
  );
  if (admins.length === 0) {
    throw new AppError("CONFLICT", "This is the last active admin; make someone else admin first");
  }
}
