import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/server/auth/current-user";
import { safeNextPath } from "@/lib/server/auth/page-guard";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · Meter Mapping Studio" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const target = safeNextPath(typeof next === "string" ? next : null);
  if (await currentUser()) redirect(target);
  return (
    <main className="mx-auto max-w-sm px-4 pt-16 pb-20 sm:px-6">
      <h1 className="text-2xl font-semibold tracking-tight">Sign in</h1>
      <p className="mt-2 text-sm leading-relaxed text-muted">
        Your account comes from an admin of this installation. A first password is used once: you
        choose your own right after signing in.
      </p>
      <div className="mt-6 rounded-lg border border-line bg-panel p-5 shadow-xs">
        <SignInForm next={target} />
      </div>
    </main>
  );
}
