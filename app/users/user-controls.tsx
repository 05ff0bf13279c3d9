"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { StatusMessage } from "@/components/ui/status-message";
import type { UserRole } from "@/db/auth-schema";
import {
  deactivateUserAction,
  reactivateUserAction,
  resetPasswordAction,
  setUserRoleAction,
} from "./actions";
import { RoleOptions } from "./role-options";

type Result =
  | { ok: true; data: { oneTimePassword?: string } }
  | { ok: false; message: string }
  | null;

function Failure({ result }: { result: Result }) {
  return result && !result.ok ? <StatusMessage tone="error">{result.message}</StatusMessage> : null;
}

/** A user's role, changed with its own small form. */
export function RoleForm({
  userId,
  email,
  role,
}: {
  userId: string;
  email: string;
  role: UserRole;
}) {
  const [result, action, pending] = useActionState(
    setUserRoleAction as (p: unknown, f: FormData) => Promise<Result>,
    null,
  );
  return (
    <form action={action} className="flex flex-col gap-1.5">
      <input type="hidden" name="userId" value={userId} />
      <div className="flex items-center gap-2">
        <select
          name="role"
          defaultValue={role}
          aria-label={`Role of ${email}`}
          className="h-8 rounded-md border border-line bg-panel px-2 text-sm"
        >
          <RoleOptions />
        </select>
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Set role"}
        </Button>
      </div>
      <Failure result={result} />
    </form>
  );
}

/** Deactivate (ends sessions now) or reactivate, and a new one-time password. */
export function AccountActions({
  userId,
  email,
  deactivated,
  isSelf,
}: {
  userId: string;
  email: string;
  deactivated: boolean;
  isSelf: boolean;
}) {
  const toggle = (deactivated ? reactivateUserAction : deactivateUserAction) as (
    p: unknown,
    f: FormData,
  ) => Promise<Result>;
  const [toggled, toggleAction, toggling] = useActionState(toggle, null);
  const [reset, resetAction, resetting] = useActionState(
    resetPasswordAction as (p: unknown, f: FormData) => Promise<Result>,
    null,
  );
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        {isSelf ? null : (
          <form action={toggleAction}>
            <input type="hidden" name="userId" value={userId} />
            <Button
              type="submit"
              size="sm"
              variant={deactivated ? "secondary" : "ghost"}
              className={deactivated ? "" : "text-red-700 hover:bg-red-50 hover:text-red-800"}
              disabled={toggling}
              aria-label={`${deactivated ? "Reactivate" : "Deactivate"} ${email}`}
            >
              {deactivated ? "Reactivate" : "Deactivate"}
            </Button>
          </form>
        )}
        {deactivated ? null : (
          <form action={resetAction}>
            <input type="hidden" name="userId" value={userId} />
            <Button
              type="submit"
              size="sm"
              variant="ghost"
              disabled={resetting}
              aria-label={`New one-time password for ${email}`}
            >
              New password
            </Button>
          </form>
        )}
      </div>
      <Failure result={toggled} />
      <Failure result={reset} />
      {reset?.ok && reset.data.oneTimePassword ? (
        <OneTimeSecret
          value={reset.data.oneTimePassword}
          label={`One-time password for ${email}`}
          copyLabel="Copy password"
          note="Pass this password on now; it is not shown again. Their sessions have ended."
        />
      ) : null}
    </div>
  );
}
