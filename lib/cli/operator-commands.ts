import type { DbClient } from "../../db/client";
import {
  findIntegration,
  findUseCaseByEventName,
  findUseCaseBySlug,
  latestVersion,
} from "../../db/repository";
import { validateConfig } from "../engine";
import { AppError } from "../server/http/app-error";
import { applyImport } from "../server/imports/import-service";
import { createIntegration } from "../server/integrations/integration-service";
import { checkSlug, publishBySlug } from "../server/integrations/use-case-service";
import {
  CliInputError,
  type CliIo,
  payloadFormat,
  printJson,
  readJsonFile,
  readPayload,
  required,
} from "./cli-io";
import { withOperatorDb } from "./operator-db";

export interface OperatorArgs {
  name?: string;
  integration?: string;
  slug?: string;
  "event-name"?: string;
  config?: string;
  message?: string;
  "use-case"?: string;
  payload?: string;
  format?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function integrationIdArg(value: string | undefined): string {
  const id = required(value, "integration", "ID");
  if (!UUID.test(id)) {
    throw new CliInputError(`--integration must be an integration id (a UUID), got "${id}"`);
  }
  return id;
}

function slugArg(value: string | undefined, flag: string): string {
  try {
    return checkSlug(required(value, flag, "SLUG"));
  } catch (error) {
    if (error instanceof AppError) throw new CliInputError(`--${flag}: ${error.message}`);
    throw error;
  }
}

async function requireIntegration(client: DbClient, id: string): Promise<void> {
  if (!(await findIntegration(client.db, id))) {
    throw new CliInputError(
      `no integration with id ${id} (create one with: mms integration create --name NAME)`,
    );
  }
}

/** `mms integration create --name N`: the API key is printed this once and stored hashed. */
export async function integrationCreateCommand(io: CliIo, args: OperatorArgs): Promise<number> {
  const name = required(args.name, "name", "NAME").trim();
  if (!name) throw new CliInputError("--name must not be empty");
  const { integration, apiKey } = await withOperatorDb((client) => createIntegration(client, name));
  printJson(io, { integration_id: integration.id, api_key: apiKey });
  return 0;
}

/** `mms use-case publish`: creates the use case on first use, then publishes the next version. */
export async function useCasePublishCommand(io: CliIo, args: OperatorArgs): Promise<number> {
  const integrationId = integrationIdArg(args.integration);
  const slug = slugArg(args.slug, "slug");
  const eventName = args["event-name"]?.trim() || undefined;
  const config = await readJsonFile(required(args.config, "config"), "config");
  // Validate before opening the database: an invalid configuration needs neither.
  const validation = validateConfig(config);
  if (!validation.valid) {
    printJson(io, validation);
    return 1;
  }
  for (const w of validation.warnings) io.err(`warning at ${w.path || "/"}: ${w.message}\n`);
  const { useCase, version } = await withOperatorDb(async (client) => {
    await requireIntegration(client, integrationId);
    if (eventName) {
      const owner = await findUseCaseByEventName(client.db, integrationId, eventName);
      if (owner && owner.slug !== slug) {
        throw new CliInputError(
          `event name "${eventName}" already belongs to use case "${owner.slug}"`,
        );
      }
    }
    return publishBySlug(client, {
      integrationId,
      slug,
      eventName,
      config,
      message: args.message ?? "",
    });
  });
  printJson(io, { use_case_id: useCase.id, slug: useCase.slug, version: version.version });
  return 0;
}

/** `mms import`: runs a payload through the use case's latest published configuration. */
export async function importCommand(io: CliIo, args: OperatorArgs): Promise<number> {
  const integrationId = integrationIdArg(args.integration);
  const slug = slugArg(args["use-case"], "use-case");
  const payloadPath = required(args.payload, "payload");
  const payload = await readPayload(payloadPath, payloadFormat(payloadPath, args.format));
  try {
    const outcome = await withOperatorDb(async (client) => {
      await requireIntegration(client, integrationId);
      const useCase = await findUseCaseBySlug(client.db, integrationId, slug);
      if (!useCase) throw new CliInputError(`the integration has no use case "${slug}"`);
      const version = await latestVersion(client.db, useCase.id);
      if (!version) {
        throw new CliInputError(
          `use case "${slug}" was never published (publish it with: mms use-case publish)`,
        );
      }
      return applyImport(client, {
        useCaseId: useCase.id,
        config: version.config,
        configVersion: { id: version.id, version: version.version },
        payload,
        trigger: "cli",
      });
    });
    printJson(io, { import_id: outcome.importId, summary: outcome.plan.summary });
    return 0;
  } catch (error) {
    // A stored version the current engine no longer accepts: report it like `mms validate`.
    if (error instanceof AppError && error.code === "CONFIG_INVALID") {
      printJson(io, { valid: false, ...error.details });
      return 1;
    }
    throw error;
  }
}
