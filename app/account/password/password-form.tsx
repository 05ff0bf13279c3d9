"use client";

import { type FormEvent, useEffect, useState } from "react";
import { authClient } from "@/components/auth/auth-client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { StatusMessage } from "@/components/ui/status-message";

/** Current and new password; the other sessions of this account end when it changes. */
export function PasswordForm({ next, minLength }: { next: string | null; minLength: number }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);
  // Until the page is hydrated a submit would be the browser's own, with the password in the URL.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get("newPassword") ?? "");
    if (newPassword !== String(form.get("repeat") ?? "")) {
      setError("The two new passwords differ.");
      return;
    }
    setPending(true);
    setError(null);
    const { error: failed } = await authClient.changePassword({
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword,
      revokeOtherSessions: true,
    });
    setPending(false);
    if (failed) {
      setError(
        failed.code === "INVALID_PASSWORD"
          ? "The current password is not right."
          : failed.code === "PASSWORD_TOO_SHORT"
            ? `The new password needs at least ${minLength} characters.`
            : failed.message || "Changing the password failed.",
      );
      return;
    }
    if (next) {
      // A full load: the layout and the page both render for the new session.
      window.location.assign(next);
      return;
    }
    setDone(true);
    event.currentTarget?.reset();
  }

  return (
    <form method="post" onSubmit={submit} className="space-y-4" aria-label="Change password">
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint={`At least ${minLength} characters.`}
        minLength={minLength}
        required
      />
      <Field
        label="New password again"
        name="repeat"
        type="password"
        autoComplete="new-password"
        required
      />
      {error ? <StatusMessage tone="error">{error}</StatusMessage> : null}
      {done ? <StatusMessage tone="success">Your password is changed.</StatusMessage> : null}
      <Button type="submit" variant="primary" disabled={pending || !ready}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
