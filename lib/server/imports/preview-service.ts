import "server-only";
import type { DbClient } from "../../../db/client";
import { findUseCaseBySlug, latestVersion } from "../../../db/repository";
import type { PayloadFormat } from "../../api/erp-schemas";
import {
  type IntegrationVariables,
  type MappingSimulation,
  type Plan,
  simulateMapping,
} from "../../engine";
import { escapedText, isStorableText } from "../../engine/storable-text";
import { parseJson } from "../../json/parse-json";
import { AppError } from "../http/app-error";
import { loadIntegrationVariables } from "../integrations/integration-variables";
import { compileOrThrow, dryRunImport } from "./import-service";
import { requestBudget } from "./request-budget";
import { xmlPayload } from "./xml-payload";

/**
 * A payload as the API accepts it: a JSON object or array, or a string holding one; with format
 * "xml", a string holding an XML document, converted (422 otherwise).
 */
export async function payloadValue(
  payload: unknown,
  format: PayloadFormat = "json",
): Promise<unknown> {
  if (format === "xml") return xmlPayload(payload);
  if (typeof payload !== "string") return payload;
  const parsed = parseJson(payload);
  if (!parsed.ok) {
    const { message, offset, line, column, tooDeep } = parsed.error;
    const where = { position: offset, line, column };
    if (tooDeep)
      throw new AppError("PAYLOAD_INVALID", `The payload string is ${message}`, {
        ...where,
        path: tooDeep.path,
        max_depth: tooDeep.maxDepth,
      });
    throw new AppError(
      "PAYLOAD_INVALID",
      `The payload string is not valid JSON: ${message}`,
      where,
    );
  }
  if (parsed.value === null || typeof parsed.value !== "object") {
    throw new AppError("PAYLOAD_INVALID", "The payload must be a JSON object or array");
  }
  return parsed.value;
}

/**
 * What a configuration maps out of a payload, without looking at or writing any data. `variables`
 * are the integration's (the API key's), for env_var_ref; none given, every one is missing.
 */
export async function simulateMappingRequest(
  configuration: unknown,
  payload: unknown,
  format: PayloadFormat = "json",
  variables: IntegrationVariables = {},
): Promise<MappingSimulation> {
  const compiled = compileOrThrow(configuration);
  const value = await payloadValue(payload, format);
  return simulateMapping(compiled, value, { budget: requestBudget(), variables });
}

/**
 * The full plan of a payload against the stored state, writing nothing: with the given
 * configuration, else the use case's latest published one.
 */
export async function dryRunUseCase(
  client: DbClient,
  integrationId: string,
  slug: string,
  input: { payload: unknown; format?: PayloadFormat; configuration?: unknown },
): Promise<{ plan: Plan }> {
  if (!isStorableText(slug)) {
    throw new AppError(
      "INVALID_REQUEST",
      "The use case slug in the path holds a NUL character or a lone surrogate",
      { parameter: "slug", received: escapedText(slug) },
    );
  }
  const useCase = await findUseCaseBySlug(client.db, integrationId, slug);
  if (!useCase) {
    throw new AppError("NOT_FOUND", `This integration has no use case "${slug}"`, {
      use_case_slug: slug,
    });
  }
  let configuration = input.configuration;
  if (configuration === undefined) {
    const version = await latestVersion(client.db, useCase.id);
    if (!version) {
      throw new AppError(
        "NOT_FOUND",
        `Use case "${slug}" has no published configuration; send one as "configuration"`,
        { use_case_slug: slug },
      );
    }
    configuration = version.config;
  }
  const plan = await dryRunImport(
    client,
    configuration,
    await payloadValue(input.payload, input.format),
    await loadIntegrationVariables(client.db, integrationId),
  );
  return { plan };
}
