import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card } from "@/components/ui/card";
import { formatDate } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/server/auth/page-guard";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/server/auth/roles";
import { listAllUsers } from "@/lib/server/auth/users-service";
import { NewUser } from "./new-user";
import { AccountActions, RoleForm } from "./user-controls";

export const metadata: Metadata = { title: "Users · Meter Mapping Studio" };

export default async function UsersPage() {
  const me = await requirePageUser("administer");
  const users = await listAllUsers(getDb());
  return (
    <main className="mx-auto max-w-5xl px-4 pt-8 pb-20 sm:px-6 sm:pt-10">
      <Breadcrumbs items={[{ label: "Home", href: "/" }, { label: "Users" }]} />
      <div className="mt-4">
        <PageHeader
          title="Users"
          description={
            <ul className="space-y-1 text-sm">
              {(["admin", "consultant", "support"] as const).map((role) => (
                <li key={role}>
                  <span className="font-medium text-ink">{ROLE_LABELS[role]}:</span>{" "}
                  {ROLE_DESCRIPTIONS[role]}
                </li>
              ))}
            </ul>
          }
          actions={<NewUser />}
        />
      </div>
      <Card className="mt-8">
        <ul aria-label="Users" className="divide-y divide-line">
          {users.map((user) => (
            <li
              key={user.id}
              data-testid="user-row"
              data-email={user.email}
              className="flex flex-col gap-3 px-5 py-4 md:flex-row md:items-start md:justify-between"
            >
              <div className="min-w-0">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-semibold break-all text-ink">{user.email}</span>
                  {user.id === me.id ? <Badge tone="accent">You</Badge> : null}
                  {user.deactivatedAt ? (
                    <Badge tone="danger">Deactivated</Badge>
                  ) : user.mustChangePassword ? (
                    <Badge tone="warning">One-time password not used yet</Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  )}
                </div>
                <p className="mt-1 text-sm text-muted">
                  {user.name} · added {formatDate(user.createdAt)}
                  {user.deactivatedAt ? ` · deactivated ${formatDate(user.deactivatedAt)}` : ""}
                </p>
              </div>
              <div className="flex flex-col gap-2 md:items-end">
                <RoleForm userId={user.id} email={user.email} role={user.role} />
                <AccountActions
                  userId={user.id}
                  email={user.email}
                  deactivated={user.deactivatedAt !== null}
                  isSelf={user.id === me.id}
                />
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </main>
  );
}
