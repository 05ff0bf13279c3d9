"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { useDialogSession } from "@/components/ui/use-dialog-session";
import { createApiKeyAction } from "./actions";

/** "Create API key": an optional name, then the key, shown this once. */
export function NewApiKey({ integrationId }: { integrationId: string }) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button onClick={show}>Create API key</Button>
      <NewApiKeyDialog key={session} open={open} onClose={close} integrationId={integrationId} />
    </>
  );
}

function NewApiKeyDialog({
  open,
  onClose,
  integrationId,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
}) {
  const [result, formAction, pending] = useActionState(createApiKeyAction, null);
  const [name, setName] = useState("");

  if (result?.ok) {
    return (
      <Dialog open={open} onClose={onClose} size="lg" title="API key created">
        <OneTimeSecret value={result.data.apiKey} />
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
      title="Create API key"
      description="A second key lets you rotate: give the ERP the new key, then revoke the old one."
    >
      <form action={formAction} className="space-y-4">
        <input type="hidden" name="integrationId" value={integrationId} />
        <Field
          label="Key name"
          optional
          hint="Where the key is used, e.g. production or staging."
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="off"
          maxLength={60}
          errors={fieldErrorsOf(result, "name")}
          data-autofocus
        />
        <FormError result={result} fields={["name"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Creating…" : "Create key"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
