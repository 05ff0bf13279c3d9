import Link from "next/link";
import type { SessionUser } from "@/lib/server/auth/current-user";
import { can, ROLE_LABELS } from "@/lib/server/auth/roles";
import { SignOutButton } from "./sign-out-button";

/** Who is signed in, with what role; their password page and sign-out. */
export function AccountMenu({ user }: { user: SessionUser }) {
  return (
    <details className="relative">
      <summary
        className="flex h-8 cursor-pointer list-none items-center gap-2 rounded-md px-2 text-sm text-muted hover:bg-stone-100 hover:text-ink focus-visible:outline-2 focus-visible:outline-accent"
        aria-label={`Account: ${user.email}`}
      >
        <span
          aria-hidden="true"
          className="grid size-6 place-items-center rounded-full bg-stone-200 text-xs font-semibold text-ink uppercase"
        >
          {user.email.slice(0, 1)}
        </span>
      </summary>
      <div className="absolute right-0 z-30 mt-2 w-64 rounded-lg border border-line bg-panel p-3 shadow-lg">
        <p className="truncate text-sm font-medium text-ink">{user.email}</p>
        <p className="mt-0.5 text-xs text-muted" data-testid="account-role">
          {ROLE_LABELS[user.role]}
        </p>
        {can(user.role, "administer") ? (
          <nav
            aria-label="Administration"
            className="mt-3 flex flex-col gap-1 border-t border-line pt-3"
          >
            <Link href="/users" className="text-sm text-accent hover:underline">
              Users
            </Link>
            <Link href="/audit" className="text-sm text-accent hover:underline">
              Audit trail
            </Link>
          </nav>
        ) : null}
        <div className="mt-3 flex items-center justify-between gap-2 border-t border-line pt-3">
          <Link href="/account/password" className="text-sm text-accent hover:underline">
            Change password
          </Link>
          <SignOutButton />
        </div>
      </div>
    </details>
  );
}
