"use client";

import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { FormError, fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { useActionThenDone } from "@/components/ui/use-dialog-session";
import type { SampleFormat, StudioResult } from "@/lib/server/studio/studio-use-case-service";

type Result = StudioResult<unknown> | null;

const EMPTY_XML = '<?xml version="1.0" encoding="UTF-8"?>\n<payload/>\n';

/**
 * New sample: a name, and what to start from: a copy of the selected sample (in its format), an
 * empty JSON object, or an empty XML document.
 */
export function NewSampleDialog({
  open,
  onClose,
  copyFrom,
  onCreate,
}: {
  open: boolean;
  onClose: () => void;
  /** The selected sample's name and payload, offered as a starting point. */
  copyFrom: { name: string; text: string; format: SampleFormat } | null;
  onCreate: (name: string, text: string, format: SampleFormat) => Promise<StudioResult<unknown>>;
}) {
  const [state, submit, pending] = useActionThenDone(async (_previous: Result, form: FormData) => {
    const start = form.get("start");
    const name = String(form.get("name") ?? "");
    if (start === "copy" && copyFrom) return await onCreate(name, copyFrom.text, copyFrom.format);
    if (start === "xml") return await onCreate(name, EMPTY_XML, "xml");
    return await onCreate(name, "{}", "json");
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
        <fieldset className="flex flex-col gap-1.5 text-sm">
          <legend className="mb-1 font-medium">Start from</legend>
          {copyFrom ? (
            <label className="flex items-center gap-2">
              <input type="radio" name="start" value="copy" defaultChecked /> A copy of “
              {copyFrom.name}”
            </label>
          ) : null}
          <label className="flex items-center gap-2">
            <input type="radio" name="start" value="json" defaultChecked={!copyFrom} /> An empty
            JSON object
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="start" value="xml" /> An empty XML document
          </label>
        </fieldset>
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
