import "server-only";
import type { Db } from "../../../db/client";
import { listIntegrationVariables } from "../../../db/repository";
import type { IntegrationVariables } from "../../engine";

export type { IntegrationVariables };

/**
 * The integration's variables for the engine: imports, dry runs and the mapping simulation of the
 * API key's integration. Secret values are here too, because the engine needs them; they never
 * leave the server (the studio lists variables through manage-integration-variables, which hides
 * them). A null-prototype object: a key such as "constructor" must not find Object's own.
 */
export async function loadIntegrationVariables(
  db: Db,
  integrationId: string,
): Promise<IntegrationVariables> {
  const rows = await listIntegrationVariables(db, integrationId);
  const variables: Record<string, { value: string; secret: boolean }> = Object.create(null);
  for (const row of rows) variables[row.key] = { value: row.value, secret: row.secret };
  return variables;
}
