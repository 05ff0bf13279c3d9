"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogActions } from "@/components/ui/dialog";
import { fieldErrorsOf } from "@/components/ui/form-error";
import { Field } from "@/components/ui/input";
import { StatusMessage } from "@/components/ui/status-message";
import type {
  StudioResult,
  UseCaseRef,
  VersionSummary,
} from "@/lib/server/studio/studio-use-case-service";
import { publishAction } from "./actions";

type Published = { version: VersionSummary; draftUpdatedAt: string };

/** Publish: a message, then the draft (saved with it) becomes the next version. */
export function PublishDialog({
  studioRef,
  draftText,
  nextVersion,
  onClose,
  onPublished,
}: {
  studioRef: UseCaseRef;
  draftText: string;
  nextVersion: number;
  onClose: () => void;
  onPublished: (published: Published, draftText: string) => void;
}) {
  const [state, submit, pending] = useActionState<StudioResult<Published> | null, FormData>(
    async (_previous, form) => {
      const draft = String(form.get("draft") ?? "");
      const result = await publishAction({
        ...studioRef,
        draftText: draft,
        message: String(form.get("message") ?? ""),
      });
      if (result.ok) onPublished(result.data, draft);
      return result;
    },
    null,
  );
  const problems = state && !state.ok ? (state.validation?.errors ?? []) : [];
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Publish v${nextVersion}`}
      description="The draft is saved and becomes the version that ERP events and Apply use from now on."
      size="lg"
    >
      <form action={submit} className="flex flex-col gap-4">
        <input type="hidden" name="draft" value={draftText} />
        <Field
          name="message"
          label="What changed"
          required
          maxLength={500}
          data-autofocus
          placeholder="e.g. Map the unit and skip readings without a meter number"
          errors={fieldErrorsOf(state, "message")}
        />
        {state && !state.ok && !state.fieldErrors.message ? (
          <StatusMessage tone="error">
            {state.message}
            {problems.length > 0 ? (
              <ul className="mt-1.5 list-disc pl-5">
                {problems.slice(0, 8).map((p) => (
                  <li key={`${p.path}-${p.code}`}>
                    <code className="font-mono text-xs">{p.path}</code> {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </StatusMessage>
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={pending}>
            {pending ? "Publishing…" : `Publish v${nextVersion}`}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
