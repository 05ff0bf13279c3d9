"use server";

import { revalidatePath } from "next/cache";
import { type DbClient, getDb } from "@/db/client";
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

/** A form action: the service on the form's fields; on success the integration's pages refresh. */
function onForm<T>(service: (client: DbClient, fields: Record<string, string>) => Promise<T>) {
  return async (_previous: ActionResult<T> | null, formData: FormData) => {
    const fields = formFields(formData);
    const result = await toActionResult(() => service(getDb(), fields));
    if (result.ok) revalidateIntegration(fields.integrationId);
    return result;
  };
}

const createStudioUseCaseForm = onForm(createStudioUseCase);
const updateStudioUseCaseForm = onForm(updateStudioUseCase);
const createStudioApiKeyForm = onForm(createStudioApiKey);
const revokeStudioApiKeyForm = onForm(revokeStudioApiKey);
const createIntegrationVariableForm = onForm(createIntegrationVariable);
const updateIntegrationVariableValueForm = onForm(updateIntegrationVariableValue);
const deleteIntegrationVariableByKeyForm = onForm(deleteIntegrationVariableByKey);

/** A field of the submitted form, for the audit trail. */
const field = (form: unknown, name: string): string | null =>
  form instanceof FormData ? (form.get(name)?.toString() ?? null) : null;

const useCaseTarget = (form: unknown) => ({
  targetType: "use_case",
  targetId: `${field(form, "integrationId")}/${field(form, "slug")}`,
  targetLabel: field(form, "slug"),
});

const variableTarget = (form: unknown) => ({
  targetType: "integration_variable",
  targetId: field(form, "integrationId"),
  targetLabel: field(form, "key"),
  details: { secret: field(form, "secret") === "on" },
});

/** Form fields: integrationId, slug, name (optional), eventName (optional). */
export const createUseCaseAction = authorizedAction(
  {
    name: "integration.createUseCase",
    permission: "author",
    audit: (_result, [, form]) => useCaseTarget(form),
  },
  createStudioUseCaseForm,
);

/** Form fields: integrationId, slug (identifies the use case), name, eventName (optional). */
export const updateUseCaseAction = authorizedAction(
  {
    name: "integration.updateUseCase",
    permission: "author",
    audit: (_result, [, form]) => ({
      ...useCaseTarget(form),
      details: { name: field(form, "name"), eventName: field(form, "eventName") },
    }),
  },
  updateStudioUseCaseForm,
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
      details: { integrationId: field(form, "integrationId"), name: field(form, "name") },
    }),
  },
  createStudioApiKeyForm,
);

/** Form fields: integrationId, keyId. */
export const revokeApiKeyAction = authorizedAction(
  {
    name: "integration.revokeApiKey",
    permission: "administer",
    audit: (_result, [, form]) => ({
      targetType: "api_key",
      targetId: field(form, "keyId"),
      details: { integrationId: field(form, "integrationId") },
    }),
  },
  revokeStudioApiKeyForm,
);

/** Form fields: integrationId, key, value, secret ("on" when ticked). A secret is never returned. */
export const createVariableAction = authorizedAction(
  {
    name: "integration.createVariable",
    permission: "administer",
    audit: (_result, [, form]) => variableTarget(form),
  },
  createIntegrationVariableForm,
);

/** Form fields: integrationId, key, value (blank keeps a secret's value), secret. */
export const updateVariableAction = authorizedAction(
  {
    name: "integration.updateVariable",
    permission: "administer",
    audit: (_result, [, form]) => variableTarget(form),
  },
  updateIntegrationVariableValueForm,
);

/** Form fields: integrationId, key. */
export const deleteVariableAction = authorizedAction(
  {
    name: "integration.deleteVariable",
    permission: "administer",
    audit: (_result, [, form]) => variableTarget(form),
  },
  deleteIntegrationVariableByKeyForm,
);

/** The integration's page and its use-case pages, plus the counts on the list and home page. */
function revalidateIntegration(integrationId: string | undefined) {
  revalidatePath("/");
  revalidatePath("/integrations");
  if (integrationId) revalidatePath(`/integrations/${integrationId}`, "layout");
}
