import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { currentUser, type SessionUser } from "./current-user";
import { can, type Permission } from "./roles";

/** The header proxy.ts puts the requested path and query in, for the way back after sign-in. */
export const PATH_HEADER = "x-mms-path";

/**
 * The door of every page load: signed out goes to sign-in (and back here after), a one-time
 * password to the change-password page, a role without the permission gets 403.
 */
export async function requirePageUser(permission: Permission = "view"): Promise<SessionUser> {
  const user = await currentUser();
  const here = await requestedPath();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(here)}`);
  if (user.mustChangePassword) redirect(`/account/password?next=${encodeURIComponent(here)}`);
  if (!can(user.role, permission)) forbidden();
  return user;
}

/** A signed-in user who may still hold a one-time password (the change-password page itself). */
export async function requireSignedIn(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(await requestedPath())}`);
  return user;
}

async function requestedPath(): Promise<string> {
  return safeNextPath((await headers()).get(PATH_HEADER));
}

/** Only a path on this site may be gone back to (never `//evil.example` or `https://...`). */
export function safeNextPath(value: string | null | undefined): string {
  if (!value?.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return "/";
  }
  if (value.startsWith("/sign-in")) return "/";
  return value;
}
