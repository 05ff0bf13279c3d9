"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { currentUser } from "@/lib/server/auth/current-user";
import {
  createUser,
  deactivateUser,
  reactivateUser,
  resetUserPassword,
  setUserRole,
} from "@/lib/server/auth/users-service";
import { type ActionResult, formFields, toActionResult } from "@/lib/server/http/action-result";

export type CreateUserResult = ActionResult<Awaited<ReturnType<typeof createUser>>>;
export type UserChangeResult = ActionResult<{
  id: string;
  email: string;
  oneTimePassword?: string;
}>;

const userTarget = (result: { ok: boolean; data?: { id: string; email: string } }) => ({
  targetType: "user",
  targetId: result.ok ? (result.data?.id ?? null) : null,
  targetLabel: result.ok ? (result.data?.email ?? null) : null,
});

/** Form fields: email, name (optional), role. The result carries the one-time password. */
export const createUserAction = authorizedAction(
  {
    name: "users.create",
    permission: "administer",
    audit: (result) => ({
      ...userTarget(result.ok ? { ok: true, data: result.data.user } : result),
      details: result.ok ? { role: result.data.user.role } : {},
    }),
  },
  async (_previous: CreateUserResult | null, formData: FormData): Promise<CreateUserResult> => {
    const result = await toActionResult(() => createUser(getDb(), formFields(formData)));
    if (result.ok) revalidatePath("/users");
    return result;
  },
);

/** Form fields: userId, role. */
export const setUserRoleAction = authorizedAction(
  {
    name: "users.setRole",
    permission: "administer",
    audit: (result) => ({
      ...userTarget(result),
      details: result.ok ? { from: result.data.from, to: result.data.to } : {},
    }),
  },
  async (_previous: unknown, formData: FormData) => {
    const result = await toActionResult(() => setUserRole(getDb(), formFields(formData)));
    if (result.ok) revalidatePath("/users");
    return result;
  },
);

/** Form fields: userId. The account cannot sign in any more; its sessions end now. */
export const deactivateUserAction = authorizedAction(
  {
    name: "users.deactivate",
    permission: "administer",
    audit: (result) => ({
      ...userTarget(result),
      details: result.ok ? { sessionsEnded: result.data.sessionsEnded } : {},
    }),
  },
  async (_previous: unknown, formData: FormData) => {
    const actor = await currentUser();
    const result = await toActionResult(() =>
      deactivateUser(getDb(), actor?.id ?? "", formFields(formData)),
    );
    if (result.ok) revalidatePath("/users");
    return result;
  },
);

/** Form fields: userId. */
export const reactivateUserAction = authorizedAction(
  { name: "users.reactivate", permission: "administer", audit: (result) => userTarget(result) },
  async (_previous: unknown, formData: FormData) => {
    const result = await toActionResult(() => reactivateUser(getDb(), formFields(formData)));
    if (result.ok) revalidatePath("/users");
    return result;
  },
);

/** Form fields: userId. The result carries the new one-time password. */
export const resetPasswordAction = authorizedAction(
  { name: "users.resetPassword", permission: "administer", audit: (result) => userTarget(result) },
  async (_previous: unknown, formData: FormData) => {
    const result = await toActionResult(() => resetUserPassword(getDb(), formFields(formData)));
    if (result.ok) revalidatePath("/users");
    return result;
  },
);
