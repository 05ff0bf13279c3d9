"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { updateVariableAction } from "./actions";
import { SecretCheckbox } from "./variable-form-fields";

interface VariableRef {
  key: string;
  secret: boolean;
  /** Null for a secret: its value never comes back to the browser. */
  value: string | null;
}

/** "Edit": a new value (a secret's is blank, and blank keeps it) and the secret flag. */
export function EditVariable({
  integrationId,
  variable,
}: {
  integrationId: string;
  variable: VariableRef;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button size="sm" variant="ghost" onClick={show} aria-label={`Edit variable ${variable.key}`}>
        Edit
      </Button>
      <EditVariableDialog
        key={session}
        open={open}
        onClose={close}
        integrationId={integrationId}
        variable={variable}
      />
    </>
  );
}

function EditVariableDialog({
  open,
  onClose,
  integrationId,
  variable,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
  variable: VariableRef;
}) {
  const [result, formAction, pending] = useActionThenDone(updateVariableAction, onClose);
  const [value, setValue] = useState(variable.value ?? "");
  const [secret, setSecret] = useState(variable.secret);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Edit ${variable.key}`}
      description={
        variable.secret
          ? "This secret's value is not shown. Type a new value to replace it, or leave it blank to keep it."
          : undefined
      }
    >
      <form action={formAction} className="space-y-4">
        <input type="hidden" name="integrationId" value={integrationId} />
        <input type="hidden" name="key" value={variable.key} />
        <Field
          label={variable.secret ? "New value" : "Value"}
          optional={variable.secret}
          name="value"
          type={secret ? "password" : "text"}
          value={value}
          placeholder={variable.secret ? "unchanged" : undefined}
          onChange={(event) => setValue(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          errors={fieldErrorsOf(result, "value")}
          data-autofocus
        />
        <SecretCheckbox checked={secret} onChange={setSecret} />
        <FormError result={result} fields={["value"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
