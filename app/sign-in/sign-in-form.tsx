"use client";

import { type FormEvent, useEffect, useState } from "react";
import { authClient } from "@/components/auth/auth-client";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { StatusMessage } from "@/components/ui/status-message";

/** Email and password; on success the browser goes where it was headed. */
export function SignInForm({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  // Until the page is hydrated a submit would be the browser's own, with the password in the URL.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failed } = await authClient.signIn.email({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (failed) {
      setPending(false);
      setError(messageFor(failed.status, failed.message));
      return;
    }
    // A full load: the layout and the page both render for the new session.
    window.location.assign(next);
  }

  return (
    <form method="post" onSubmit={submit} className="space-y-4" aria-label="Sign in">
      <Field label="Email" name="email" type="email" autoComplete="username" required autoFocus />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
      />
      {error ? <StatusMessage tone="error">{error}</StatusMessage> : null}
      <Button type="submit" variant="primary" className="w-full" disabled={pending || !ready}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}

function messageFor(status: number, message: string | undefined): string {
  if (status === 429) return "Too many sign-in attempts. Wait a minute and try again.";
  if (status === 401) return "That email and password do not match an account.";
  return message || "Signing in failed. Try again.";
}
