import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { POST as postEvents } from "../../app/api/v1/erp/updates/events/route";
import type { DbClient, DbKind } from "../../db/client";
import { query } from "../../db/repository";
import { errorEnvelopeSchema, eventsResponseSchema } from "../../lib/api/erp-schemas";
import { applyImport } from "../../lib/server/imports/import-service";
import { createIntegration } from "../../lib/server/integrations/integration-service";
import { publishBySlug } from "../../lib/server/integrations/use-case-service";
import { openTestDb } from "./test-db";

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

/** A route suite's database: integration "ERP" and its key, meters M1 and M2, use case "readings". */
export interface ApiWorld {
  client: DbClient;
  integrationId: string;
  key: string;
}

/** A fresh database seeded as the ApiWorld; hand it to the route handlers with useDbForTests. */
export async function openApiWorld(kind: DbKind): Promise<ApiWorld> {
  const client = await openTestDb(kind);
  const created = await createIntegration(client, "ERP");
  const integrationId = created.integration.id;
  await applyImport(client, {
    useCaseId: null,
    config: meterSetup,
    payload: { meters: [{ number: "M1" }, { number: "M2" }] },
    trigger: "cli",
  });
  await publishBySlug(client, {
    integrationId,
    slug: "readings",
    eventName: "meter.readings",
    config: readingsConfig,
  });
  return { client, integrationId, key: created.apiKey };
}

/** Posts events (timestamp and format filled in) to the events route with the world's key. */
export function postEventList(
  world: Pick<ApiWorld, "integrationId" | "key">,
  list: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) {
  return postEvents(
    request(
      "/api/v1/erp/updates/events",
      {
        integration_id: world.integrationId,
        events: list.map((e) => ({ timestamp: "2024-05-01T00:00:00Z", format: "json", ...e })),
        ...extra,
      },
      { key: world.key },
    ),
  );
}

/** The results of a 200 answer of the events route. */
export async function eventResults(response: Response) {
  expect(response.status).toBe(200);
  return eventsResponseSchema.strict().parse(await response.json()).results;
}
