import type { Metadata } from "next";
import Link from "next/link";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";
import { AccountMenu } from "@/components/auth/account-menu";
import { MeterSearch } from "@/components/support/meter-search";
import { NavLink } from "@/components/ui/nav-link";
import { currentUser } from "@/lib/server/auth/current-user";
import "./globals.css";

export const metadata: Metadata = {
  title: "Meter Mapping Studio",
  description:
    "Mapping configurations that turn ERP meter-reading payloads into validated, deduplicated meter readings.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <header className="border-b border-line bg-panel">
          <div className="site-header-inner mx-auto flex min-h-14 max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-2 sm:px-6 lg:flex-nowrap lg:py-0">
            <Link
              href="/"
              className="flex min-w-0 items-center gap-2.5 rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-accent"
            >
              <span
                aria-hidden="true"
                className="grid size-8 shrink-0 place-items-center rounded-md bg-accent font-mono text-sm font-semibold text-white"
              >
                M
              </span>
              {/* The full name does not fit next to the navigation on a phone. */}
              <span className="truncate text-base font-semibold tracking-tight">
                <span className="hidden sm:inline">Meter </span>Mapping Studio
              </span>
            </Link>
            {/* On a phone the links, the meter search and the account take a second row. */}
            {user ? (
              <div className="flex w-full min-w-0 flex-wrap items-center gap-1 lg:w-auto">
                <nav aria-label="Primary" className="flex min-w-0 flex-wrap items-center gap-1">
                  <NavLink href="/integrations">Integrations</NavLink>
                  <NavLink href="/imports">Imports</NavLink>
                  <NavLink href="/overview">Overview</NavLink>
                  <NavLink href="/docs/api">
                    API
                    <span className="hidden xl:inline"> reference</span>
                  </NavLink>
                </nav>
                <MeterSearch />
                {/* At the right edge, so its menu opens inside the screen on a phone too. */}
                <div className="ml-auto">
                  <AccountMenu user={user} />
                </div>
              </div>
            ) : null}
          </div>
        </header>
        <NuqsAdapter>{children}</NuqsAdapter>
      </body>
    </html>
  );
}
