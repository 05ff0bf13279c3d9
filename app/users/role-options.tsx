import type { UserRole } from "@/db/auth-schema";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/server/auth/roles";

/** The roles as <option>s (client-safe: no database module comes along). */
export function RoleOptions() {
  return (Object.keys(ROLE_LABELS) as UserRole[]).map((role) => (
    <option key={role} value={role} title={ROLE_DESCRIPTIONS[role]}>
      {ROLE_LABELS[role]}
    </option>
  ));
}
