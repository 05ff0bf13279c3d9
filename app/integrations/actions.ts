"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { type ActionResult, formFields, toActionResult } from "@/lib/server/http/action-result";
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
export const createIntegrationAction = authorizedAction(
  {
    name: "integrations.createIntegration",
    permission: "administer",
    audit: (result, [, _form]) => ({
      targetType: "integration",
      targetId: result.ok ? result.data.integrationId : null,
      targetLabel: result.ok ? result.data.name : null,
      details: { firstApiKey: true },
    }),
  },
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
export const renameIntegrationAction = authorizedAction(
  {
    name: "integrations.renameIntegration",
    permission: "author",
    audit: (_result, [, form]) => ({
      targetType: "integration",
      targetId: (form as FormData).get("integrationId")?.toString() ?? null,
      targetLabel: (form as FormData).get("name")?.toString() ?? null,
    }),
  },
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
