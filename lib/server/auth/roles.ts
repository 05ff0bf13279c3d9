import type { UserRole } from "../../../db/schema";

/**
 * What a role may do, the issue's table in one place:
 * - `view`: see integrations, configurations, events, imports, meters; dry runs and previews;
 * - `author`: edit drafts and samples, publish, restore, apply, replay with apply, undo;
 * - `administer`: API keys, integrations' creation, variables, users, the audit trail.
 */
export type Permission = "view" | "author" | "administer";

const GRANTS: Record<UserRole, readonly Permission[]> = {
  admin: ["view", "author", "administer"],
  consultant: ["view", "author"],
  support: ["view"],
};

export function can(role: UserRole, permission: Permission): boolean {
  return GRANTS[role]?.includes(permission) ?? false;
}

export const ROLE_LABELS: Record<UserRole, string> = {
  admin: "Admin",
  consultant: "Consultant",
  support: "Support",
};

export const ROLE_DESCRIPTIONS: Record<UserRole, string> = {
  admin: "Everything, plus API keys, integration variables, users and the audit trail",
  consultant: "Authors configurations: drafts, publish, restore, apply, replay and undo",
  support: "Sees everything and dry-runs replays; changes nothing",
};
