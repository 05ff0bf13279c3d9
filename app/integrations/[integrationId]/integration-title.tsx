"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone } from "@/components/ui/use-dialog-session";
import { renameIntegrationAction } from "../actions";

/** The integration page's heading, renamed in place by those who may (`editable`). */
export function IntegrationTitle({
  integrationId,
  name,
  editable,
}: {
  integrationId: string;
  name: string;
  editable: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      renameButton.current?.focus();
    }
  }, [editing]);

  const stopEditing = () => {
    returnFocus.current = true;
    setEditing(false);
  };

  if (editing) {
    return (
      <>
        <h1 className="sr-only">{name}</h1>
        <RenameForm integrationId={integrationId} name={name} onDone={stopEditing} />
      </>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
      <h1 className="min-w-0 text-2xl font-semibold tracking-tight break-words sm:text-3xl">
        {name}
      </h1>
      {editable ? (
        <Button ref={renameButton} size="sm" variant="ghost" onClick={() => setEditing(true)}>
          Rename
        </Button>
      ) : null}
    </div>
  );
}

function RenameForm({
  integrationId,
  name: current,
  onDone,
}: {
  integrationId: string;
  name: string;
  onDone: () => void;
}) {
  const [name, setName] = useState(current);
  const input = useRef<HTMLInputElement>(null);
  // The user just asked to edit this very field.
  useEffect(() => input.current?.focus(), []);
  const [result, formAction, pending] = useActionThenDone(renameIntegrationAction, onDone);
  return (
    <form
      action={formAction}
      aria-label="Rename integration"
      onKeyDown={(event) => {
        if (event.key === "Escape") onDone();
      }}
      className="w-full max-w-xl space-y-3"
    >
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
        ref={input}
      />
      <FormError result={result} fields={["name"]} />
      <div className="flex gap-2">
        <Button type="submit" variant="primary" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save name"}
        </Button>
        <Button size="sm" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
