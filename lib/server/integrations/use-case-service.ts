import "server-only";
import type { DbClient } from "../../../db/client";
import {
  findIntegration,
  findUseCaseBySlug,
  insertUseCase,
  insertVersion,
  updateUseCase,
} from "../../../db/repository";
import { validateConfig } from "../../engine";
import { AppError } from "../http/app-error";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function checkSlug(slug: string): string {
  if (!SLUG.test(slug)) {
    throw new AppError(
      "INVALID_REQUEST",
      "A slug is lowercase letters, digits and single hyphens, e.g. meter-readings",
      {
        field: "slug",
        received: slug,
      },
    );
  }
  return slug;
}

export async function createUseCase(
  client: DbClient,
  input: {
    integrationId: string;
    slug: string;
    name?: string;
    eventName?: string | null;
    draftConfig?: unknown;
  },
) {
  if (!(await findIntegration(client.db, input.integrationId))) {
    throw new AppError("NOT_FOUND", "No such integration", { integration_id: input.integrationId });
  }
  const slug = checkSlug(input.slug);
  if (await findUseCaseBySlug(client.db, input.integrationId, slug)) {
    throw new AppError("CONFLICT", `The integration already has a use case "${slug}"`, { slug });
  }
  return insertUseCase(client.db, {
    integrationId: input.integrationId,
    slug,
    name: input.name?.trim() || slug,
    eventName: input.eventName?.trim() || null,
    draftConfig: input.draftConfig ?? {},
  });
}

/** Publishes a configuration as the use case's next version; an invalid one is refused (422). */
export async function publishConfig(
  client: DbClient,
  useCaseId: string,
  config: unknown,
  message: string,
  configText: string | null = null,
) {
  const validation = validateConfig(config);
  if (!validation.valid) {
    throw new AppError("CONFIG_INVALID", "An invalid configuration cannot be published", {
      errors: validation.errors,
      warnings: validation.warnings,
    });
  }
  return insertVersion(client.db, useCaseId, config, message, configText);
}

/**
 * The operator's publish: creates the use case on first use, stores the configuration as its
 * draft and publishes it as the next version.
 */
export async function publishBySlug(
  client: DbClient,
  input: {
    integrationId: string;
    slug: string;
    eventName?: string | null;
    config: unknown;
    message?: string;
  },
) {
  const existing = await findUseCaseBySlug(client.db, input.integrationId, input.slug);
  const useCase =
    existing ??
    (await createUseCase(client, {
      integrationId: input.integrationId,
      slug: input.slug,
      eventName: input.eventName ?? null,
    }));
  // Keep the text in the parsed object's key order: jsonb would reorder the keys.
  const text = JSON.stringify(input.config, null, 2);
  const version = await publishConfig(client, useCase.id, input.config, input.message ?? "", text);
  const changes: Parameters<typeof updateUseCase>[2] = {
    draftConfig: input.config,
    draftText: text,
  };
  if (input.eventName !== undefined && input.eventName !== null)
    changes.eventName = input.eventName;
  const updated = await updateUseCase(client.db, useCase.id, changes);
  return { useCase: updated ?? useCase, version };
}
