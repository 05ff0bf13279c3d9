import "server-only";
import { getDb } from "../../../db/client";
import { AppError } from "../http/app-error";
import { type SessionUser, userFromHeaders } from "./current-user";
import { can, type Permission } from "./roles";

/**
 * The door of the app's own route handlers that serve pages' data (payload and plan downloads):
 * no session answers 401, a role without the permission 403, in the error envelope. The ERP
 * routes under /api keep their bearer API keys instead.
 */
export async function requireRouteUser(
  request: Request,
  permission: Permission = "view",
): Promise<SessionUser> {
  const user = await userFromHeaders(getDb(), request.headers);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first: this download needs a session");
  if (user.mustChangePassword || !can(user.role, permission)) {
    throw new AppError("FORBIDDEN", "Your role may not download this");
  }
  return user;
}
