"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { useDialogSession } from "@/components/ui/use-dialog-session";
import { createUserAction } from "./actions";
import { RoleOptions } from "./role-options";

/** "New user": email, name and role, then the one-time password, shown this once. */
export function NewUser() {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button variant="primary" onClick={show}>
        New user
      </Button>
      <NewUserDialog key={session} open={open} onClose={close} />
    </>
  );
}

function NewUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [result, formAction, pending] = useActionState(createUserAction, null);
  if (result?.ok) {
    return (
      <Dialog
        open={open}
        onClose={onClose}
        size="lg"
        title="User created"
        description={
          <>
            <span className="font-medium text-ink">{result.data.user.email}</span> signs in with
            this one-time password and then chooses their own.
          </>
        }
      >
        <OneTimeSecret
          value={result.data.oneTimePassword}
          label="One-time password"
          copyLabel="Copy password"
          note={
            <>
              <strong className="font-semibold">Pass this password on now.</strong> It is not shown
              again; only its hash is stored. It works for one sign-in, which asks for a new
              password.
            </>
          }
        />
        <DialogActions>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    );
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New user"
      description="They get a one-time password to pass on; the role decides what they may change."
    >
      <form action={formAction} className="space-y-4">
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          errors={fieldErrorsOf(result, "email")}
          data-autofocus
        />
        <Field label="Name" name="name" autoComplete="off" optional maxLength={200} />
        <div>
          <label htmlFor="new-user-role" className="block text-sm font-medium text-ink">
            Role
          </label>
          <select
            id="new-user-role"
            name="role"
            defaultValue="consultant"
            className="mt-1.5 block w-full rounded-md border border-line bg-panel px-3 py-2 text-sm"
          >
            <RoleOptions />
          </select>
        </div>
        <FormError result={result} fields={["email"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Creating…" : "Create user"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
