import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { StatusMessage } from "@/components/ui/status-message";
import { MIN_PASSWORD_LENGTH } from "@/lib/server/auth/auth";
import { requireSignedIn, safeNextPath } from "@/lib/server/auth/page-guard";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Change password · Meter Mapping Studio" };

export default async function PasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const user = await requireSignedIn();
  const { next } = await searchParams;
  const target = user.mustChangePassword
    ? safeNextPath(typeof next === "string" ? next : null)
    : null;
  return (
    <main className="mx-auto max-w-xl px-4 pt-10 pb-20 sm:px-6">
      <PageHeader title="Change password" description={`Signed in as ${user.email}.`} />
      {user.mustChangePassword ? (
        <div className="mt-4">
          <StatusMessage tone="info">
            You signed in with a one-time password. Choose your own to go on.
          </StatusMessage>
        </div>
      ) : null}
      <div className="mt-6 rounded-lg border border-line bg-panel p-5 shadow-xs">
        <PasswordForm next={target} minLength={MIN_PASSWORD_LENGTH} />
      </div>
    </main>
  );
}
