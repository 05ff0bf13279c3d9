import "server-only";
import type { DbClient } from "../../../db/client";
import { countUsers } from "../../../db/repository";
import { recordAudit } from "../auth/audit-trail";
import { createUser } from "../auth/users-service";

export const DEMO_ADMIN_EMAIL = "admin@demo.local";

export interface FirstAdmin {
  email: string;
  /** In clear this once; it must be changed at the first sign-in. */
  oneTimePassword: string;
}

/**
 * The first admin of an installation without accounts, with a one-time password: there is no
 * password that works on every installation. Null when any account exists.
 */
export async function seedFirstAdmin(client: DbClient): Promise<FirstAdmin | null> {
  if ((await countUsers(client.db)) > 0) return null;
  const { user, oneTimePassword } = await createUser(client, {
    email: DEMO_ADMIN_EMAIL,
    name: "Demo admin",
    role: "admin",
  });
  await recordAudit(client, null, {
    action: "users.create",
    targetType: "user",
    targetId: user.id,
    targetLabel: user.email,
    details: { role: "admin", by: "demo seed" },
  });
  return { email: user.email, oneTimePassword };
}
