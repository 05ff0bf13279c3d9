import "server-only";
import type { DbClient } from "../../../db/client";
import { insertIntegration } from "../../../db/repository";
import { AppError } from "../http/app-error";
import { issueApiKey } from "./api-keys";

/** Creates an integration with its first API key (returned once, stored hashed). */
export async function createIntegration(client: DbClient, name: string) {
  const trimmed = name.trim();
  if (!trimmed)
    throw new AppError("INVALID_REQUEST", "An integration needs a name", { field: "name" });
  const integration = await insertIntegration(client.db, trimmed);
  const { key } = await issueApiKey(client, integration.id, "default");
  return { integration, apiKey: key };
}
