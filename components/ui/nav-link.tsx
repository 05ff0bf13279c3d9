"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A primary-navigation link, marked current on its page and on every page beneath it. */
export function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const pathname = usePathname();
  const current = pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${
        current ? "bg-accent-soft text-teal-800" : "text-muted hover:bg-stone-100 hover:text-ink"
      }`}
    >
      {children}
    </Link>
  );
}
