import "server-only";
import { forbidden, unauthorized } from "next/navigation";
import { getDb } from "../../../db/client";
import { loggedAction } from "../http/logged-action";
import { type AuditEntry, recordAudit } from "./audit-trail";
import { currentUser, type SessionUser } from "./current-user";
import { can, type Permission } from "./roles";

export interface ActionRule<Args extends unknown[], Result> {
  /** Log and audit name, unique per action, e.g. `studio.publish`. */
  name: string;
  permission: Permission;
  /** What a successful call changed, for the audit trail; omitted for reads and dry runs. */
  audit?: (result: Result, args: Args, user: SessionUser) => AuditEntry | null;
}

/**
 * The door of every server action: no session answers 401, a role without the permission 403
 * (both before the action runs a line), then the action runs logged (`loggedAction`) and, when it
 * succeeded and changes something, leaves its row in the audit trail.
 */
export function authorizedAction<Args extends unknown[], Result>(
  rule: ActionRule<NoInfer<Args>, NoInfer<Result>>,
  action: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return loggedAction(rule.name, async (...args: Args) => {
    const user = await currentUser();
    if (!user) unauthorized();
    if (user.mustChangePassword || !can(user.role, rule.permission)) forbidden();
    const result = await action(...args);
    if (rule.audit && succeeded(result)) {
      const entry = rule.audit(result, args, user);
      if (entry) await recordAudit(getDb(), user, { action: rule.name, ...entry });
    }
    return result;
  });
}

function succeeded(result: unknown): boolean {
  if (typeof result !== "object" || result === null || !("ok" in result)) return true;
  return (result as { ok: unknown }).ok === true;
}
