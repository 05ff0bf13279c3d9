"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { undoImport } from "@/lib/server/imports/undo-service";
import { attempt, type StudioResult } from "@/lib/server/studio/studio-use-case-service";

const count = z.number().int().nonnegative();
const schema = z.object({
  importId: z.string().max(64),
  /** The counts the user confirmed: an undo that would now do anything else is refused. */
  removes: count,
  restores: count,
});

const malformed: StudioResult<never> = {
  ok: false,
  message: "The request is malformed; reload the page",
  fieldErrors: {},
};

/** Undoes an import in one transaction, as an import of its own (trigger "undo"). */
export const undoImportAction = authorizedAction(
  {
    name: "undo.apply",
    permission: "author",
    audit: (result, [input]) => ({
      targetType: "import",
      targetId: (input as { importId?: string })?.importId ?? null,
      details: result.ok
        ? { undoImportId: (result.data as { importId?: string }).importId ?? null }
        : {},
    }),
  },
  async (input: z.input<typeof schema>) => {
    const parsed = schema.safeParse(input);
    if (!parsed.success) return malformed;
    const { importId, removes, restores } = parsed.data;
    return attempt(() => undoImport(getDb(), importId, { removes, restores }));
  },
);
