"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { type ActionResult, formFields, toActionResult } from "@/lib/server/http/action-result";
import { loggedAction } from "@/lib/server/http/logged-action";
import {
  createStudioIntegration,
  renameStudioIntegration,
} from "@/lib/server/studio/studio-service";

export type CreateIntegrationResult = ActionResult<
  Awaited<ReturnType<typeof createStudioIntegration>>
>;
export type RenameIntegrationResult = ActionResult<
  Awaited<ReturnType<typeof renameStudioIntegration>>
>;

/** Form fields: name. The result carries the integration's first API key, in clear this once. */
export const createIntegrationAction = loggedAction(
  "integrations.createIntegration",
  async (
    _previous: CreateIntegrationResult | null,
    formData: FormData,
  ): Promise<CreateIntegrationResult> => {
    const result = await toActionResult(() =>
      createStudioIntegration(getDb(), formFields(formData)),
    );
    if (result.ok) revalidateIntegrations();
    return result;
  },
);

/** Form fields: integrationId, name. Used by the list and by the integration's own page. */
export const renameIntegrationAction = loggedAction(
  "integrations.renameIntegration",
  async (
    _previous: RenameIntegrationResult | null,
    formData: FormData,
  ): Promise<RenameIntegrationResult> => {
    const result = await toActionResult(() =>
      renameStudioIntegration(getDb(), formFields(formData)),
    );
    if (result.ok) revalidateIntegrations();
    return result;
  },
);

/** The home page, the list and every integration page show names and counts. */
function revalidateIntegrations() {
  revalidatePath("/");
  revalidatePath("/integrations", "layout");
}
