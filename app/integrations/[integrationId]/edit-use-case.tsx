"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { updateUseCaseAction } from "./actions";

interface UseCaseDetails {
  slug: string;
  name: string;
  eventName: string | null;
}

/** A use case's "Edit" button: its name and event name (the slug stays). */
export function EditUseCase({
  integrationId,
  useCase,
}: {
  integrationId: string;
  useCase: UseCaseDetails;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button size="sm" variant="ghost" onClick={show} aria-label={`Edit use case ${useCase.slug}`}>
        Edit
      </Button>
      <EditDialog
        key={session}
        open={open}
        onClose={close}
        integrationId={integrationId}
        useCase={useCase}
      />
    </>
  );
}

function EditDialog({
  open,
  onClose,
  integrationId,
  useCase,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
  useCase: UseCaseDetails;
}) {
  const [name, setName] = useState(useCase.name);
  const [eventName, setEventName] = useState(useCase.eventName ?? "");
  const [result, formAction, pending] = useActionThenDone(updateUseCaseAction, onClose);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Edit use case"
      description={
        <>
          Slug <code className="font-mono text-ink">{useCase.slug}</code> stays as it is.
        </>
      }
    >
      <form action={formAction} className="space-y-4" noValidate>
        <input type="hidden" name="integrationId" value={integrationId} />
        <input type="hidden" name="slug" value={useCase.slug} />
        <Field
          label="Name"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="off"
          errors={fieldErrorsOf(result, "name")}
          data-autofocus
        />
        <Field
          label="Event name"
          optional
          hint="ERP events with this event_name run this use case. Leave empty to route by slug only."
          name="eventName"
          value={eventName}
          onChange={(event) => setEventName(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          errors={fieldErrorsOf(result, "eventName")}
        />
        <FormError result={result} fields={["name", "eventName"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save changes"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
