"use client";

import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useActionThenDone, useDialogSession } from "@/components/ui/use-dialog-session";
import { revokeApiKeyAction } from "./actions";

/** "Revoke", confirmed in a dialog: the ERP's requests with this key fail from then on. */
export function RevokeApiKey({
  integrationId,
  keyId,
  keyPrefix,
}: {
  integrationId: string;
  keyId: string;
  keyPrefix: string;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        onClick={show}
        aria-label={`Revoke key ${keyPrefix}`}
        className="text-red-700 hover:bg-red-50 hover:text-red-800"
      >
        Revoke
      </Button>
      <RevokeDialog
        key={session}
        open={open}
        onClose={close}
        integrationId={integrationId}
        keyId={keyId}
        keyPrefix={keyPrefix}
      />
    </>
  );
}

function RevokeDialog({
  open,
  onClose,
  integrationId,
  keyId,
  keyPrefix,
}: {
  open: boolean;
  onClose: () => void;
  integrationId: string;
  keyId: string;
  keyPrefix: string;
}) {
  const [result, formAction, pending] = useActionThenDone(revokeApiKeyAction, onClose);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Revoke this API key?"
      description={
        <>
          Requests with <code className="font-mono text-ink">{keyPrefix}…</code> are refused from
          now on. This can&apos;t be undone.
        </>
      }
    >
      <form action={formAction}>
        <input type="hidden" name="integrationId" value={integrationId} />
        <input type="hidden" name="keyId" value={keyId} />
        <FormError result={result} fields={[]} />
        <DialogActions>
          <Button onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Revoking…" : "Revoke key"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
