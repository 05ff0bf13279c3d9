import "server-only";
import { z } from "zod";
import type { DbClient } from "../../../db/client";
import {
  findIntegration,
  findUseCaseByEventName,
  findUseCaseBySlug,
  latestVersion,
  listApiKeys,
  listImports,
  listIntegrations,
  listUseCases,
  renameIntegration,
  revokeApiKey,
  updateUseCase,
} from "../../../db/repository";
import { dbText } from "../../api/erp-schemas";
import { AppError } from "../http/app-error";
import { issueApiKey } from "../integrations/api-keys";
import { createIntegration } from "../integrations/integration-service";
import { createUseCase } from "../integrations/use-case-service";

/*
 * The studio's navigation pages: integrations, their use cases and API keys. Every door (server
 * actions today, routes tomorrow) parses with these schemas and calls the functions below. Empty
 * optional fields arrive as "" from forms and mean "not given".
 */
const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const id = z.guid("Not a valid id");
const requiredName = (what: string) =>
  dbText.trim().min(1, `Give the ${what} a name`).max(120, "Keep the name under 120 characters");
const optionalText = (max: number, label: string) =>
  z.preprocess(
    blankToUndefined,
    dbText.trim().max(max, `Keep the ${label} under ${max} characters`).optional(),
  );
const slug = z
  .string()
  .trim()
  .min(1, "Enter a slug")
  .max(64, "Keep the slug under 64 characters")
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "Not a valid slug: use lowercase letters, digits and single hyphens, e.g. meter-readings",
  );

export const createIntegrationInput = z.object({ name: requiredName("integration") });
export const renameIntegrationInput = z.object({
  integrationId: id,
  name: requiredName("integration"),
});
export const createUseCaseInput = z.object({
  integrationId: id,
  slug,
  name: optionalText(120, "name"),
  eventName: optionalText(120, "event name"),
});
export const updateUseCaseInput = z.object({
  integrationId: id,
  slug,
  name: requiredName("use case"),
  eventName: optionalText(120, "event name"),
});
export const createApiKeyInput = z.object({
  integrationId: id,
  name: optionalText(60, "key name"),
});
export const revokeApiKeyInput = z.object({ integrationId: id, keyId: id });

/** Every integration with how many use cases and live keys it has, oldest first. */
export async function listIntegrationSummaries(client: DbClient) {
  const integrations = await listIntegrations(client.db);
  return Promise.all(
    integrations.map(async (integration) => {
      const [useCases, keys] = await Promise.all([
        listUseCases(client.db, integration.id),
        listApiKeys(client.db, integration.id),
      ]);
      return {
        id: integration.id,
        name: integration.name,
        createdAt: integration.createdAt,
        useCaseCount: useCases.length,
        activeKeyCount: keys.filter((key) => key.revokedAt === null).length,
      };
    }),
  );
}
export type IntegrationSummary = Awaited<ReturnType<typeof listIntegrationSummaries>>[number];

/** The integration page: its use cases with their latest version and import, and its keys. */
export async function getIntegrationOverview(client: DbClient, integrationId: string) {
  const integration = await requireIntegration(client, integrationId);
  const [useCases, keys] = await Promise.all([
    listUseCases(client.db, integration.id),
    listApiKeys(client.db, integration.id),
  ]);
  const useCaseRows = await Promise.all(
    useCases.map(async (useCase) => {
      const [version, [lastImport]] = await Promise.all([
        latestVersion(client.db, useCase.id),
        listImports(client.db, useCase.id, 1),
      ]);
      return {
        id: useCase.id,
        slug: useCase.slug,
        name: useCase.name,
        eventName: useCase.eventName,
        latestVersion: version
          ? { version: version.version, publishedAt: version.publishedAt }
          : null,
        lastImport: lastImport
          ? { status: lastImport.status, startedAt: lastImport.startedAt }
          : null,
      };
    }),
  );
  return {
    integration,
    useCases: useCaseRows,
    apiKeys: keys.map((key) => ({
      id: key.id,
      keyPrefix: key.keyPrefix,
      name: key.name,
      createdAt: key.createdAt,
      revokedAt: key.revokedAt,
    })),
  };
}
export type IntegrationOverview = Awaited<ReturnType<typeof getIntegrationOverview>>;

/** A new integration and its first API key, in clear this once. */
export async function createStudioIntegration(client: DbClient, input: unknown) {
  const { name } = createIntegrationInput.parse(input);
  const { integration, apiKey } = await createIntegration(client, name);
  return { integrationId: integration.id, name: integration.name, apiKey };
}

export async function renameStudioIntegration(client: DbClient, input: unknown) {
  const { integrationId, name } = renameIntegrationInput.parse(input);
  const renamed = await renameIntegration(client.db, integrationId, name);
  if (!renamed) throw new AppError("NOT_FOUND", "This integration no longer exists");
  return { integrationId: renamed.id, name: renamed.name };
}

export async function createStudioUseCase(client: DbClient, input: unknown) {
  const { integrationId, slug, name, eventName } = createUseCaseInput.parse(input);
  await requireIntegration(client, integrationId);
  if (await findUseCaseBySlug(client.db, integrationId, slug)) {
    throw new AppError("CONFLICT", `This integration already has a use case "${slug}"`, {
      field: "slug",
    });
  }
  await assertEventNameFree(client, integrationId, eventName, null);
  const useCase = await createUseCase(client, { integrationId, slug, name, eventName });
  return { slug: useCase.slug, name: useCase.name };
}

/** Renames a use case and changes its event name; the slug stays (ERP events may route by it). */
export async function updateStudioUseCase(client: DbClient, input: unknown) {
  const { integrationId, slug, name, eventName } = updateUseCaseInput.parse(input);
  const useCase = await findUseCaseBySlug(client.db, integrationId, slug);
  if (!useCase) throw new AppError("NOT_FOUND", `No use case "${slug}" in this integration`);
  await assertEventNameFree(client, integrationId, eventName, useCase.id);
  const updated = await updateUseCase(client.db, useCase.id, {
    name,
    eventName: eventName ?? null,
  });
  return { slug, name: updated?.name ?? name, eventName: updated?.eventName ?? null };
}

/** A new API key for the integration, in clear this once. */
export async function createStudioApiKey(client: DbClient, input: unknown) {
  const { integrationId, name } = createApiKeyInput.parse(input);
  await requireIntegration(client, integrationId);
  const { key, record } = await issueApiKey(client, integrationId, name ?? null);
  return { apiKey: key, keyId: record.id, keyPrefix: record.keyPrefix, name: record.name };
}

export async function revokeStudioApiKey(client: DbClient, input: unknown) {
  const { integrationId, keyId } = revokeApiKeyInput.parse(input);
  const revoked = await revokeApiKey(client.db, integrationId, keyId);
  if (!revoked) throw new AppError("NOT_FOUND", "This key does not exist or is already revoked");
  return { keyId: revoked.id, keyPrefix: revoked.keyPrefix };
}

async function requireIntegration(client: DbClient, integrationId: string) {
  // Not a uuid means it cannot exist; asking Postgres would fail with a cast error instead.
  const integration = id.safeParse(integrationId).success
    ? await findIntegration(client.db, integrationId)
    : null;
  if (!integration) {
    throw new AppError("NOT_FOUND", "No such integration", { integration_id: integrationId });
  }
  return integration;
}

/** Events are routed by event name, so two use cases of one integration never share one. */
async function assertEventNameFree(
  client: DbClient,
  integrationId: string,
  eventName: string | undefined,
  ownUseCaseId: string | null,
) {
  if (!eventName) return;
  const owner = await findUseCaseByEventName(client.db, integrationId, eventName);
  if (owner && owner.id !== ownUseCaseId) {
    throw new AppError("CONFLICT", `The use case "${owner.slug}" already has this event name`, {
      field: "eventName",
    });
  }
}
