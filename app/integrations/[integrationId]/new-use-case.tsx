"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { createUseCaseAction } from "./actions";

const FIELDS = ["slug", "name", "eventName"];

/** "New use case": slug, name and event name, checked by the server and kept on errors. */
export function NewUseCase({
  integrationId,
  label = "New use case",
}: {
  integrationId: string;
  label?: string;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button variant="primary" onClick={show}>
        {label}
      </Button>
      <NewUseCaseDialog key={session} open={open} onClose={close} integrationId={integrationId} />
    </>
  );
}

function NewUseCaseDialog({
  open,
  onClose,
  integrationId,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
}) {
  // Controlled inputs: what the user typed survives a refused submit.
  const [values, setValues] = useState({ slug: "", name: "", eventName: "" });
  const [result, formAction, pending] = useActionThenDone(createUseCaseAction, onClose);
  const bind = (field: keyof typeof values) => ({
    name: field,
    value: values[field],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) =>
      setValues((current) => ({ ...current, [field]: event.target.value })),
    errors: fieldErrorsOf(result, field),
    autoComplete: "off",
  });

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New use case"
      description="A use case is one kind of ERP event and the mapping configuration that imports it."
    >
      <form action={formAction} className="space-y-4" noValidate>
        <input type="hidden" name="integrationId" value={integrationId} />
        <Field
          label="Slug"
          hint="Lowercase letters, digits and single hyphens, e.g. meter-readings. ERP events and URLs use it; it can't be changed later."
          placeholder="meter-readings"
          spellCheck={false}
          inputClassName="font-mono"
          data-autofocus
          {...bind("slug")}
        />
        <Field label="Name" optional placeholder="Defaults to the slug" {...bind("name")} />
        <Field
          label="Event name"
          optional
          hint="ERP events with this event_name run this use case."
          placeholder="MeterReadingsChanged"
          spellCheck={false}
          {...bind("eventName")}
        />
        <FormError result={result} fields={FIELDS} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Creating…" : "Create use case"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
