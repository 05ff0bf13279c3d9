"use client";

import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { deleteVariableAction } from "./actions";

/** "Delete", confirmed in a dialog: configurations that read the key get its default from then on. */
export function DeleteVariable({
  integrationId,
  variableKey,
}: {
  integrationId: string;
  variableKey: string;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        onClick={show}
        aria-label={`Delete variable ${variableKey}`}
        className="text-red-700 hover:bg-red-50 hover:text-red-800"
      >
        Delete
      </Button>
      <DeleteVariableDialog
        key={session}
        open={open}
        onClose={close}
        integrationId={integrationId}
        variableKey={variableKey}
      />
    </>
  );
}

function DeleteVariableDialog({
  open,
  onClose,
  integrationId,
  variableKey,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
  variableKey: string;
}) {
  const [result, formAction, pending] = useActionThenDone(deleteVariableAction, onClose);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Delete ${variableKey}?`}
      description="Configurations that read this key get their default from then on, or leave the attribute out with a warning."
    >
      <form action={formAction}>
        <input type="hidden" name="integrationId" value={integrationId} />
        <input type="hidden" name="key" value={variableKey} />
        <FormError result={result} fields={[]} />
        <DialogActions>
          <Button onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Deleting…" : "Delete variable"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
