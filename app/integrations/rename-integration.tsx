"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { renameIntegrationAction } from "./actions";

/** The list's "Rename" button and its dialog. */
export function RenameIntegration({
  integrationId,
  name,
}: {
  integrationId: string;
  name: string;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button size="sm" variant="ghost" onClick={show} aria-label={`Rename ${name}`}>
        Rename
      </Button>
      <RenameDialog
        key={session}
        open={open}
        onClose={close}
        integrationId={integrationId}
        name={name}
      />
    </>
  );
}

function RenameDialog({
  open,
  onClose,
  integrationId,
  name: current,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
  name: string;
}) {
  const [name, setName] = useState(current);
  const [result, formAction, pending] = useActionThenDone(renameIntegrationAction, onClose);
  return (
    <Dialog open={open} onClose={onClose} title="Rename integration">
      <form action={formAction} className="space-y-4">
        <input type="hidden" name="integrationId" value={integrationId} />
        <Field
          label="Integration name"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
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
            {pending ? "Saving…" : "Save name"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
