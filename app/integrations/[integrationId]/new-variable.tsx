"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { createVariableAction } from "./actions";
import { SecretCheckbox } from "./variable-form-fields";

/** "Add variable": key, value and the secret flag. */
export function NewVariable({
  integrationId,
  label = "Add variable",
}: {
  integrationId: string;
  label?: string;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button onClick={show}>{label}</Button>
      <NewVariableDialog key={session} open={open} onClose={close} integrationId={integrationId} />
    </>
  );
}

function NewVariableDialog({
  open,
  onClose,
  integrationId,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
}) {
  const [result, formAction, pending] = useActionThenDone(createVariableAction, onClose);
  const [key, setKey] = useState("");
  const [value, setValue] = useState("");
  const [secret, setSecret] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add variable"
      description={
        <>
          A configuration reads it with{" "}
          <code className="font-mono text-ink">{'{ "env_var_ref": { "key": "…" } }'}</code>.
        </>
      }
    >
      <form action={formAction} className="space-y-4">
        <input type="hidden" name="integrationId" value={integrationId} />
        <Field
          label="Key"
          hint="Lowercase letters, digits, _ . and -, e.g. tenant.id"
          name="key"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={128}
          inputClassName="font-mono"
          errors={fieldErrorsOf(result, "key")}
          data-autofocus
        />
        <Field
          label="Value"
          name="value"
          type={secret ? "password" : "text"}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          errors={fieldErrorsOf(result, "value")}
        />
        <SecretCheckbox checked={secret} onChange={setSecret} />
        <FormError result={result} fields={["key", "value"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Adding…" : "Add variable"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
