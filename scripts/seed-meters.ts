import { sql } from "drizzle-orm";
import type { DbClient } from "../db/client";
import { query } from "../db/repository";
import { applyImport } from "../lib/server/imports/import-service";

/**
 * Creates meters by `meter_number` through an ordinary import (so they are stored exactly as the
 * app stores them) and returns every meter's id by number, the new ones included.
 */
export async function createMeters(
  client: DbClient,
  meterNumbers: readonly string[],
): Promise<Map<string, string>> {
  await applyImport(client, {
    useCaseId: null,
    config: {
      entities: [
        {
          entity_schema: "meter",
          unique_ids: ["meter_number"],
          jsonataExpression: "meters",
          fields: [{ attribute: "meter_number", field: "n" }],
        },
      ],
    },
    payload: { meters: meterNumbers.map((n) => ({ n })) },
    trigger: "cli",
  });
  const rows = await query<{ id: string; n: string }>(
    client.db,
    sql`SELECT id, attributes->>'meter_number' AS n FROM entities WHERE entity_schema = 'meter'`,
  );
  return new Map(rows.map((r) => [r.n, r.id]));
}
