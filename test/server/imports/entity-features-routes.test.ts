import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postSimulation } from "../../../app/api/v1/erp/updates/mapping_simulation/route";
import { type DbClient, useDbForTests } from "../../../db/client";
import { query } from "../../../db/repository";
import { createIntegrationVariable } from "../../../lib/server/integrations/manage-integration-variables";
import { publishBySlug } from "../../../lib/server/integrations/use-case-service";
import { eventResults, openApiWorld, postEventList, request } from "../../helpers/api-fixtures";
import { testDatabases } from "../../helpers/test-db";

/** Contracts related to their contact, and a contact mapping that deletes. */
const relationsConfig = {
  entities: [
    {
      entity_schema: "contract",
      unique_ids: ["contract_number"],
      fields: [
        { attribute: "contract_number", field: "contract" },
        {
          attribute: "customer",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "contact",
                unique_ids: [{ attribute: "customer_number", field: "customer" }],
              },
            ],
          },
        },
      ],
    },
    {
      entity_schema: "contact",
      unique_ids: ["customer_number"],
      mode: "delete",
      fields: [{ attribute: "customer_number", field: "old_customer" }],
    },
  ],
};

/** What imports can write: plain attributes, array operations, a repeatable value, legacy keys. */
const upsertConfig = {
  entities: [
    {
      entity_schema: "contact",
      unique_ids: ["customer_number"],
      condition: "$exists(customer)",
      fields: [
        { attribute: "customer_number", field: "customer" },
        { attribute: "email", field: "mail", _type: "email" },
        { attribute: "tags", constant: { _append: ["erp"] } },
        { attribute: "doc", file_proxy_url: { url: "x" } },
      ],
    },
  ],
};

/** A contact whose tenant and token come from the integration's variables (SPEC-ENTITIES 5). */
const variablesConfig = {
  entities: [
    {
      entity_schema: "contact",
      unique_ids: ["customer_number"],
      fields: [
        { attribute: "customer_number", field: "customer" },
        { attribute: "tenant", env_var_ref: { key: "tenant" } },
        { attribute: "token", env_var_ref: { key: "api.token", default: "hidden" } },
        { attribute: "region", env_var_ref: { key: "region" } },
      ],
    },
  ],
};

const payload = { contract: "K-1", customer: "C-1", old_customer: "C-0", mail: "a@b.de" };

describe.each(await testDatabases())("entity features through the routes on %s", (kind) => {
  let client: DbClient;
  let world: Awaited<ReturnType<typeof openApiWorld>>;

  beforeAll(async () => {
    world = await openApiWorld(kind);
    client = world.client;
    useDbForTests(client);
    for (const [slug, config] of [
      ["relations", relationsConfig],
      ["contacts", upsertConfig],
      ["variables", variablesConfig],
    ] as const)
      await publishBySlug(client, { integrationId: world.integrationId, slug, config });
  });

  afterAll(async () => {
    useDbForTests(undefined);
    await client?.close();
  });

  it("simulates relations and modes (SPEC-ENTITIES 6) without touching data", async () => {
    const response = await postSimulation(
      request(
        "/api/v1/erp/updates/mapping_simulation",
        { event_configuration: relationsConfig, format: "json", payload },
        { key: world.key },
      ),
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.entity_updates).toEqual([
      {
        entity_slug: "contract",
        mode: "upsert",
        unique_identifiers: { contract_number: "K-1" },
        attributes: {
          contract_number: "K-1",
          customer: {
            $relation: {
              _set: [{ $entity_unique_ids: { customer_number: "C-1" }, _schema: "contact" }],
            },
          },
        },
      },
      {
        entity_slug: "contact",
        mode: "delete",
        unique_identifiers: { customer_number: "C-0" },
        attributes: { customer_number: "C-0" },
      },
    ]);
  });

  it("imports relations through the events route: the contact is stubbed, the relation stored both ways", async () => {
    const [result] = await eventResults(
      await postEventList(world, [{ use_case_slug: "relations", payload }]),
    );
    expect(result?.status).toBe("success");
    const rows = await query<{
      id: string;
      entity_schema: string;
      attributes: Record<string, unknown>;
    }>(
      client.db,
      sql`SELECT id::text, entity_schema, attributes FROM entities
          WHERE entity_schema IN ('contract', 'contact') ORDER BY entity_schema`,
    );
    const contact = rows.find((r) => r.entity_schema === "contact");
    const contract = rows.find((r) => r.entity_schema === "contract");
    expect(contact?.attributes).toEqual({ customer_number: "C-1" });
    expect(contract?.attributes).toEqual({
      contract_number: "K-1",
      customer: { $relation: [{ entity_id: contact?.id, _schema: "contact" }] },
    });
    const relations = await query<{ from_id: string; to_id: string; kind: string }>(
      client.db,
      sql`SELECT from_id::text, to_id::text, kind FROM entity_relations`,
    );
    expect(relations).toEqual([{ from_id: contract?.id, to_id: contact?.id, kind: "relation" }]);
  });

  it("imports what it can write: an array operation on the stored array, a repeatable value", async () => {
    const post = async () => {
      const [result] = await eventResults(
        await postEventList(world, [{ use_case_slug: "contacts", payload }]),
      );
      expect(result?.status).toBe("success");
    };
    await post();
    await post();
    const [row] = await query<{ attributes: Record<string, unknown> }>(
      client.db,
      sql`SELECT attributes FROM entities WHERE entity_schema = 'contact'`,
    );
    // _append skips a value already there: the second event changes nothing.
    expect(row?.attributes).toEqual({
      customer_number: "C-1",
      email: [{ email: "a@b.de" }],
      tags: ["erp"],
    });
  });

  it("resolves env_var_ref from the API key's integration in the simulation and in imports", async () => {
    const integrationId = world.integrationId;
    await createIntegrationVariable(client, { integrationId, key: "tenant", value: "north" });
    await createIntegrationVariable(client, {
      integrationId,
      key: "api.token",
      value: "s3cret",
      secret: "on",
    });
    const simulated = await postSimulation(
      request(
        "/api/v1/erp/updates/mapping_simulation",
        { event_configuration: variablesConfig, format: "json", payload: { customer: "C-9" } },
        { key: world.key },
      ),
    );
    const body = await simulated.json();
    // A secret is never read: its default stands in; a missing one is left out with a warning.
    expect(body.entity_updates[0].attributes).toEqual({
      customer_number: "C-9",
      tenant: "north",
      token: "hidden",
    });
    expect(body.warnings.map((w: { code: string }) => w.code)).toContain("ENV_VAR_REF_NOT_FOUND");

    const [result] = await eventResults(
      await postEventList(world, [{ use_case_slug: "variables", payload: { customer: "C-9" } }]),
    );
    expect(result?.status).toBe("success");
    const [row] = await query<{ attributes: Record<string, unknown> }>(
      client.db,
      sql`SELECT attributes FROM entities WHERE attributes->>'customer_number' = 'C-9'`,
    );
    expect(row?.attributes).toEqual({ customer_number: "C-9", tenant: "north", token: "hidden" });
  });
});
