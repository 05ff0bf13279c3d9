import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import type { DbClient } from "../../../db/client";
import { getDb } from "../../../db/client";
import type { UserRole } from "../../../db/schema";
import { authFor, isHttps } from "./auth";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  mustChangePassword: boolean;
}

/**
 * The signed-in user of a request's headers, or null: no cookie, an expired or ended session, or
 * a deactivated account. Reads the session row every time (no cookie cache), so an admin's
 * deactivation takes effect on the user's very next request.
 */
export async function userFromHeaders(client: DbClient, h: Headers): Promise<SessionUser | null> {
  const auth = await authFor(client, isHttps(h));
  // Sessions are not extended from here: pages cannot set cookies. They last 12 hours.
  const session = await auth.api.getSession({ headers: h, query: { disableRefresh: true } });
  if (!session) return null;
  const user = session.user as typeof session.user & {
    role?: string;
    deactivatedAt?: Date | null;
    mustChangePassword?: boolean;
  };
  if (user.deactivatedAt) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: (user.role ?? "support") as UserRole,
    mustChangePassword: user.mustChangePassword === true,
  };
}

/** The signed-in user of the current request (page, layout or server action), once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  return userFromHeaders(getDb(), await headers());
});
