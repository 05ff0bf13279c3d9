"use client";

import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone } from "@/components/ui/use-dialog-session";
import type { StudioResult } from "@/lib/server/studio/studio-use-case-service";

type Result = StudioResult<unknown> | null;

/** New sample: a name, and an empty object or a copy of the selected sample to start from. */
export function NewSampleDialog({
  open,
  onClose,
  copyFrom,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  /** The selected sample's name and payload, offered as a starting point. */
  copyFrom: { name: string; text: string } | null;
  onCreate: (name: string, text: string) => Promise<StudioResult<unknown>>;
}) {
  const [state, submit, pending] = useActionThenDone(async (_previous: Result, form: FormData) => {
    const start = form.get("start");
    const text = start === "copy" && copyFrom ? copyFrom.text : "{}";
    return await onCreate(String(form.get("name") ?? ""), text);
  }, onClose);
  return (
    <Dialog open={open} onClose={onClose} title="New sample">
      <form action={submit} className="flex flex-col gap-4">
        <Field
          name="name"
          label="Name"
          required
          maxLength={120}
          data-autofocus
          errors={fieldErrorsOf(state, "name")}
          placeholder="e.g. Daily batch with a corrected reading"
        />
        {copyFrom ? (
          <fieldset className="flex flex-col gap-1.5 text-sm">
            <legend className="mb-1 font-medium">Start from</legend>
            <label className="flex items-center gap-2">
              <input type="radio" name="start" value="copy" defaultChecked /> A copy of “
              {copyFrom.name}”
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="start" value="empty" /> An empty object
            </label>
          </fieldset>
        ) : null}
        <FormError result={state} fields={["name"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Adding…" : "Add sample"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function RenameSampleDialog({
  open,
  onClose,
  name,
  onRename,
}: {
  open: boolean;
  onClose: () => void;
  name: string;
  onRename: (name: string) => Promise<StudioResult<unknown>>;
}) {
  const [state, submit, pending] = useActionThenDone(async (_previous: Result, form: FormData) => {
    return await onRename(String(form.get("name") ?? ""));
  }, onClose);
  return (
    <Dialog open={open} onClose={onClose} title="Rename sample">
      <form action={submit} className="flex flex-col gap-4">
        <Field
          name="name"
          label="Name"
          required
          maxLength={120}
          defaultValue={name}
          data-autofocus
          errors={fieldErrorsOf(state, "name")}
        />
        <FormError result={state} fields={["name"]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Renaming…" : "Rename"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function DeleteSampleDialog({
  open,
  onClose,
  name,
  onDelete,
}: {
  open: boolean;
  onClose: () => void;
  name: string;
  onDelete: () => Promise<StudioResult<unknown>>;
}) {
  const [state, submit, pending] = useActionThenDone(onDelete, onClose);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Delete sample"
      description={
        <>“{name}” is removed from this use case for everyone. Stored readings are not touched.</>
      }
    >
      <form action={submit}>
        <FormError result={state} fields={[]} />
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Deleting…" : "Delete sample"}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
