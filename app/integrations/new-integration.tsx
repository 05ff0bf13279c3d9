"use client";

import { useActionState, useState } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { useDialogSession } from "@/components/ui/use-dialog-session";
import { createIntegrationAction } from "./actions";

/** "New integration": a name, then the integration's first API key, shown this once. */
export function NewIntegration({ label = "New integration" }: { label?: string }) {
  // A new session per opening: the form and the key from last time are gone for good.
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button variant="primary" onClick={show}>
        {label}
      </Button>
      <NewIntegrationDialog key={session} open={open} onClose={close} />
    </>
  );
}

function NewIntegrationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [result, formAction, pending] = useActionState(createIntegrationAction, null);
  const [name, setName] = useState("");

  if (result?.ok) {
    return (
      <Dialog
        open={open}
        onClose={onClose}
        size="lg"
        title="Integration created"
        description={
          <>
            <span className="font-medium text-ink">{result.data.name}</span> is ready. Its ERP
            authenticates with this API key as{" "}
            <code className="font-mono">Authorization: Bearer</code>.
          </>
        }
      >
        <OneTimeSecret value={result.data.apiKey} />
        <DialogActions>
          <ButtonLink href={`/integrations/${result.data.integrationId}`} onClick={onClose}>
            Open integration
          </ButtonLink>
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
      title="New integration"
      description="One integration per ERP system or environment. It gets an API key right away."
    >
      <form action={formAction} className="space-y-4">
        <Field
          label="Integration name"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="SAP IS-U (production)"
          autoComplete="off"
          required
          maxLength={120}
          errors={fieldErrorsOf(result, "name")}
          data-autofocus
        />
        <FormError result={result} fields={["name"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Creating…" : "Create integration"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
