import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { DbClient } from "../../db/client";
import { query } from "../../db/repository";
import { errorEnvelopeSchema } from "../../lib/api/erp-schemas";

/** The route suites' world: meters M1, M2... made by `number`, readings by `meter`, `id`, `at`, `value`. */
export const meterSetup = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
  ],
};

export const readingsConfig = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "value" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

export const BASE = "http://localhost";

/** A POST to a route handler, JSON unless `type` says otherwise, with the key as a bearer. */
export function request(
  path: string,
  body: unknown,
  options: { key?: string | null; type?: string } = {},
) {
  const headers: Record<string, string> = { "content-type": options.type ?? "application/json" };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** An error response: the SPEC 5 envelope with this status and code. */
export async function expectError(response: Response, status: number, code: string) {
  const body = await response.json();
  expect({ status: response.status, code: body?.error?.code }).toEqual({ status, code });
  return errorEnvelopeSchema.strict().parse(body);
}

export async function countRows(
  client: DbClient,
  table: "readings" | "imports" | "inbound_events",
) {
  const [row] = await query<{ n: number }>(
    client.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`,
  );
  return row?.n ?? 0;
}
