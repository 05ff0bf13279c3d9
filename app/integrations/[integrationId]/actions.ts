"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { authorizedAction } from "@/lib/server/auth/authorized-action";
import { type ActionResult, formFields, toActionResult } from "@/lib/server/http/action-result";
import {
  createIntegrationVariable,
  deleteIntegrationVariableByKey,
  updateIntegrationVariableValue,
} from "@/lib/server/integrations/manage-integration-variables";
import {
  createStudioApiKey,
  createStudioUseCase,
  revokeStudioApiKey,
  updateStudioUseCase,
} from "@/lib/server/studio/studio-service";

type ResultOf<F extends (...args: never[]) => Promise<unknown>> = ActionResult<
  Awaited<ReturnType<F>>
>;
export type CreateUseCaseResult = ResultOf<typeof createStudioUseCase>;
export type UpdateUseCaseResult = ResultOf<typeof updateStudioUseCase>;
export type CreateApiKeyResult = ResultOf<typeof createStudioApiKey>;
export type RevokeApiKeyResult = ResultOf<typeof revokeStudioApiKey>;
export type CreateVariableResult = ResultOf<typeof createIntegrationVariable>;
export type UpdateVariableResult = ResultOf<typeof updateIntegrationVariableValue>;
export type DeleteVariableResult = ResultOf<typeof deleteIntegrationVariableByKey>;

/** Form fields: integrationId, slug, name (optional), eventName (optional). */
export const createUseCaseAction = authorizedAction(
  {
    name: "integration.createUseCase",
    permission: "author",
    audit: (result, [, form]) => ({
      targetType: "use_case",
      targetId: result.ok
        ? `${(form as FormData).get("integrationId")?.toString() ?? null}/${(form as FormData).get("slug")?.toString() ?? null}`
        : null,
      targetLabel: (form as FormData).get("slug")?.toString() ?? null,
    }),
  },
  async (
    _previous: CreateUseCaseResult | null,
    formData: FormData,
  ): Promise<CreateUseCaseResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => createStudioUseCase(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** Form fields: integrationId, slug (identifies the use case), name, eventName (optional). */
export const updateUseCaseAction = authorizedAction(
  {
    name: "integration.updateUseCase",
    permission: "author",
    audit: (_result, [, form]) => ({
      targetType: "use_case",
      targetId: `${(form as FormData).get("integrationId")?.toString() ?? null}/${(form as FormData).get("slug")?.toString() ?? null}`,
      targetLabel: (form as FormData).get("slug")?.toString() ?? null,
      details: {
        name: (form as FormData).get("name")?.toString() ?? null,
        eventName: (form as FormData).get("eventName")?.toString() ?? null,
      },
    }),
  },
  async (
    _previous: UpdateUseCaseResult | null,
    formData: FormData,
  ): Promise<UpdateUseCaseResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => updateStudioUseCase(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** Form fields: integrationId, name (optional). The result carries the key, in clear this once. */
export const createApiKeyAction = authorizedAction(
  {
    name: "integration.createApiKey",
    permission: "administer",
    audit: (result, [, form]) => ({
      targetType: "api_key",
      targetId: result.ok ? result.data.keyId : null,
      targetLabel: result.ok ? result.data.keyPrefix : null,
      details: {
        integrationId: (form as FormData).get("integrationId")?.toString() ?? null,
        name: (form as FormData).get("name")?.toString() ?? null,
      },
    }),
  },
  async (_previous: CreateApiKeyResult | null, formData: FormData): Promise<CreateApiKeyResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => createStudioApiKey(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** Form fields: integrationId, keyId. */
export const revokeApiKeyAction = authorizedAction(
  {
    name: "integration.revokeApiKey",
    permission: "administer",
    audit: (_result, [, form]) => ({
      targetType: "api_key",
      targetId: (form as FormData).get("keyId")?.toString() ?? null,
      details: { integrationId: (form as FormData).get("integrationId")?.toString() ?? null },
    }),
  },
  async (_previous: RevokeApiKeyResult | null, formData: FormData): Promise<RevokeApiKeyResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => revokeStudioApiKey(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** Form fields: integrationId, key, value, secret ("on" when ticked). A secret is never returned. */
export const createVariableAction = authorizedAction(
  {
    name: "integration.createVariable",
    permission: "administer",
    audit: (_result, [, form]) => ({
      targetType: "integration_variable",
      targetId: (form as FormData).get("integrationId")?.toString() ?? null,
      targetLabel: (form as FormData).get("key")?.toString() ?? null,
      details: { secret: (form as FormData).get("secret") === "on" },
    }),
  },
  async (
    _previous: CreateVariableResult | null,
    formData: FormData,
  ): Promise<CreateVariableResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => createIntegrationVariable(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** Form fields: integrationId, key, value (blank keeps a secret's value), secret. */
export const updateVariableAction = authorizedAction(
  {
    name: "integration.updateVariable",
    permission: "administer",
    audit: (_result, [, form]) => ({
      targetType: "integration_variable",
      targetId: (form as FormData).get("integrationId")?.toString() ?? null,
      targetLabel: (form as FormData).get("key")?.toString() ?? null,
      details: { secret: (form as FormData).get("secret") === "on" },
    }),
  },
  async (
    _previous: UpdateVariableResult | null,
    formData: FormData,
  ): Promise<UpdateVariableResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => updateIntegrationVariableValue(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** Form fields: integrationId, key. */
export const deleteVariableAction = authorizedAction(
  {
    name: "integration.deleteVariable",
    permission: "administer",
    audit: (_result, [, form]) => ({
      targetType: "integration_variable",
      targetId: (form as FormData).get("integrationId")?.toString() ?? null,
      targetLabel: (form as FormData).get("key")?.toString() ?? null,
      details: { secret: (form as FormData).get("secret") === "on" },
    }),
  },
  async (
    _previous: DeleteVariableResult | null,
    formData: FormData,
  ): Promise<DeleteVariableResult> => {
    const fields = formFields(formData);
    const result = await toActionResult(() => deleteIntegrationVariableByKey(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  },
);

/** The integration's page and its use-case pages, plus the counts on the list and home page. */
function revalidateIntegration(integrationId: string | undefined) {
  revalidatePath("/");
  revalidatePath("/integrations");
  if (integrationId) revalidatePath(`/integrations/${integrationId}`, "layout");
}
