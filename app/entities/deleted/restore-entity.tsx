"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { StatusMessage } from "@/components/ui/status-message";
import { useDialogSession } from "@/components/ui/use-dialog-session";
import { restoreEntityAction } from "./actions";

/**
 * "Restore", confirmed in a dialog: the entity is back in lookups, relations and lists. On success
 * the list reloads without it and names it at the top (`restored` in the URL).
 */
export function RestoreEntity({
  entityId,
  schema,
  name,
}: {
  entityId: string;
  schema: string;
  name: string;
}) {
  const { open, session, show, close } = useDialogSession();
  return (
    <>
      <Button size="sm" onClick={show} aria-label={`Restore ${schema} ${name}`}>
        Restore
      </Button>
      <RestoreDialog
        key={session}
        open={open}
        onClose={close}
        entityId={entityId}
        schema={schema}
        name={name}
      />
    </>
  );
}

function RestoreDialog({
  open,
  onClose,
  entityId,
  schema,
  name,
}: {
  open: boolean;
  onClose: () => void;
  entityId: string;
  schema: string;
  name: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function restore() {
    setError(null);
    start(async () => {
      try {
        const result = await restoreEntityAction({ entityId });
        if (!result.ok) {
          setError(result.message);
          return;
        }
        const next = new URLSearchParams(search.toString());
        next.set("restored", entityId);
        router.push(`${pathname}?${next.toString()}`);
        onClose();
      } catch {
        setError("The restore failed on the server; nothing was written");
      }
    });
  }

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Restore this ${schema}?`}
      description={
        <>
          This {schema} (<span className="font-medium text-ink">{name}</span>) comes back into every
          lookup, relation and list: the next import that names it updates it instead of creating a
          new one.
        </>
      }
    >
      {error ? <StatusMessage tone="error">{error}</StatusMessage> : null}
      <DialogActions>
        <Button onClick={onClose} data-autofocus>
          Cancel
        </Button>
        <Button variant="primary" onClick={restore} disabled={pending}>
          {pending ? "Restoring…" : `Restore ${schema}`}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
