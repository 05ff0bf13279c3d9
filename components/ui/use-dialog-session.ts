"use client";

import { startTransition, useActionState, useState } from "react";

/**
 * A dialog opened by a button. `session` changes on every close: render the dialog with
 * `key={session}` and each opening starts from a fresh form (and forgets one-time secrets).
 */
export function useDialogSession() {
  const [open, setOpen] = useState(false);
  const [session, setSession] = useState(0);
  return {
    open,
    session,
    show: () => setOpen(true),
    close: () => {
      setOpen(false);
      setSession((value) => value + 1);
    },
  };
}

/**
 * `useActionState` for a form that is done when its action succeeds: `onDone` runs in the same
 * transition as the refreshed page, so the change appears as the dialog closes.
 */
export function useActionThenDone<R extends { ok: boolean }>(
  action: (previous: R | null, formData: FormData) => Promise<R>,
  onDone: () => void,
) {
  return useActionState(async (previous: R | null, formData: FormData) => {
    const next = await action(previous, formData);
    if (next.ok) startTransition(onDone);
    return next;
  }, null);
}
