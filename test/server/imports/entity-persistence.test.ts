import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { purgeExpiredEntities, query, relatedEntities } from "../../../db/repository";
import { applyImport } from "../../../lib/server/imports/import-service";
import { heldImport, settle } from "../../helpers/held-import";
import { openTestDb, testDatabases } from "../../helpers/test-db";

/** Contacts (repeatable email as a unique id), billing accounts related to them, contracts. */
const upserts = {
  entities: [
    {
      entity_schema: "contact",
      unique_ids: ["email"],
      jsonataExpression: "contacts",
      fields: [
        { attribute: "email", field: "mail", _type: "email" },
        { attribute: "name", field: "name" },
      ],
    },
    {
      entity_schema: "billing_account",
      unique_ids: ["number"],
      jsonataExpression: "accounts",
      fields: [
        { attribute: "number", field: "number" },
        {
          attribute: "holder",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "contact",
                _tags: ["PRIMARY"],
                unique_ids: [{ attribute: "email", field: "mail", _type: "email" }],
              },
            ],
          },
        },
      ],
    },
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
  ],
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

/** Contracts of a billing account, pruned to those the payload names (scope `relations`). */
const contracts = {
  entities: [
    {
      entity_schema: "contract",
      unique_ids: ["contract_number"],
      jsonataExpression: "contracts",
      mode: "upsert-prune-scope-delete",
      scope: {
        scope_mode: "relations",
        schema: "billing_account",
        unique_ids: [{ attribute: "number", field: "account" }],
      },
      fields: [
        { attribute: "contract_number", field: "number" },
        {
          attribute: "billing_account",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "billing_account",
                unique_ids: [{ attribute: "number", field: "$$.account" }],
              },
            ],
          },
        },
      ],
    },
  ],
};

const removal = (mode: "delete" | "purge", schema: string, attribute: string) => ({
  entities: [
    {
      entity_schema: schema,
      unique_ids: [attribute],
      mode,
      jsonataExpression: "items",
      fields: [{ attribute, field: "id" }],
    },
  ],
});

/** Contacts found by one attribute (mapped from the same field), with their city. */
const contactsBy = (attribute: string) => ({
  entities: [
    {
      entity_schema: "contact",
      unique_ids: [attribute],
      jsonataExpression: "contacts",
      fields: [
        { attribute, field: attribute },
        { attribute: "city", field: "city" },
      ],
    },
  ],
});

describe.each(await testDatabases())("entity persistence on %s", (kind) => {
  let client: DbClient;
  const run = (config: unknown, payload: unknown) =>
    applyImport(client, { useCaseId: null, config, payload, trigger: "cli" });
  const entity = async (schema: string, where: string, value: string) =>
    (
      await query<{
        id: string;
        attributes: Record<string, unknown>;
        deleted_at: string | null;
      }>(
        client.db,
        sql`SELECT id::text, attributes, deleted_at::text FROM entities
            WHERE entity_schema = ${schema} AND attributes ->> ${where} = ${value}`,
      )
    )[0];
  const readingsOf = async (meterId: string) =>
    (
      await query<{ n: number }>(
        client.db,
        sql`SELECT count(*)::int AS n FROM readings WHERE meter_id = ${meterId}::uuid`,
      )
    )[0]?.n;

  beforeAll(async () => {
    client = await openTestDb(kind);
    await run(upserts, {
      contacts: [{ mail: "ada@example.org", name: "Ada" }],
      accounts: [{ number: "BA-1", mail: "ada@example.org" }],
      meters: [{ number: "M1" }, { number: "M2" }],
      readings: [
        { meter: "M1", id: "r1", at: "2026-01-01T00:00:00Z", value: 1 },
        { meter: "M2", id: "r2", at: "2026-01-01T00:00:00Z", value: 2 },
      ],
    });
  });

  afterAll(async () => {
    await client?.close();
  });

  it("stores a repeatable unique id as items and finds the entity by any item's value", async () => {
    const outcome = await run(upserts, {
      contacts: [{ mail: "ada@example.org", name: "Ada L." }],
    });
    expect(outcome.plan.entities.map((e) => [e.entity_schema, e.action])).toEqual([
      ["contact", "update"],
    ]);
    const contact = await entity("contact", "name", "Ada L.");
    expect(contact?.attributes.email).toEqual([{ email: "ada@example.org" }]);
  });

  it("stores a relation as a row that is followed in both directions", async () => {
    const contact = await entity("contact", "name", "Ada L.");
    const account = await entity("billing_account", "number", "BA-1");
    expect(account?.attributes.holder).toEqual({
      $relation: [{ entity_id: contact?.id, _schema: "contact", _tags: ["PRIMARY"] }],
    });
    const out = await relatedEntities(client.db, account?.id as string);
    expect(out.map((r) => [r.direction, r.attribute, r.entity_id, r.tags])).toEqual([
      ["out", "holder", contact?.id, ["PRIMARY"]],
    ]);
    const back = await relatedEntities(client.db, contact?.id as string);
    expect(back.map((r) => [r.direction, r.attribute, r.entity_id])).toEqual([
      ["in", "holder", account?.id],
    ]);
  });

  it("prunes the contracts of a billing account it did not name, found through stored relations", async () => {
    await run(contracts, { account: "BA-1", contracts: [{ number: "K1" }, { number: "K2" }] });
    const outcome = await run(contracts, { account: "BA-1", contracts: [{ number: "K2" }] });
    expect(
      outcome.plan.entities.map((e) => [e.action, e.code ?? null, e.unique_ids.contract_number]),
    ).toEqual([
      ["unchanged", null, "K2"],
      ["delete", "PRUNED", "K1"],
    ]);
    expect((await entity("contract", "contract_number", "K1"))?.deleted_at).not.toBeNull();
    expect((await entity("contract", "contract_number", "K2"))?.deleted_at).toBeNull();
    // A soft-deleted contract is out of the scope: pruning again deletes nothing more.
    const again = await run(contracts, { account: "BA-1", contracts: [{ number: "K2" }] });
    expect(again.plan.entities.map((e) => e.action)).toEqual(["unchanged"]);
  });

  it("soft-deletes a meter: out of lookups (its readings get METER_NOT_FOUND), readings kept", async () => {
    const meter = await entity("meter", "meter_number", "M1");
    const outcome = await run(removal("delete", "meter", "meter_number"), {
      items: [{ id: "M1" }],
    });
    expect(outcome.plan.entities.map((e) => [e.action, e.mode])).toEqual([["delete", "delete"]]);
    expect((await entity("meter", "meter_number", "M1"))?.deleted_at).not.toBeNull();
    expect(await readingsOf(meter?.id as string)).toBe(1);
    const reading = await run(upserts, {
      readings: [{ meter: "M1", id: "r9", at: "2026-01-02T00:00:00Z", value: 3 }],
    });
    expect(reading.plan.decisions.map((d) => [d.action, d.code])).toEqual([
      ["error", "METER_NOT_FOUND"],
    ]);
    // Deleting again finds nothing to delete.
    const twice = await run(removal("delete", "meter", "meter_number"), { items: [{ id: "M1" }] });
    expect(twice.plan.entities.map((e) => [e.action, e.code])).toEqual([["skip", "NOT_FOUND"]]);
  });

  it("keys only what lookups use, and a new unique id finds the entities stored before it", async () => {
    // Only the attributes some lookup used are keyed: the contact's name is not.
    const keyed = await query<{ attribute: string }>(
      client.db,
      sql`SELECT DISTINCT attribute FROM entity_keys WHERE entity_schema = 'contact' ORDER BY 1`,
    );
    expect(keyed.map((k) => k.attribute)).toEqual(["email"]);
    // A configuration that finds contacts by name: the name is keyed first, for every contact
    // stored, so Ada (renamed "Ada L." above) is updated, not created twice.
    const outcome = await run(contactsBy("name"), { contacts: [{ name: "Ada L.", city: "Köln" }] });
    expect(outcome.plan.entities.map((e) => e.action)).toEqual(["update"]);
    const ada = await entity("contact", "name", "Ada L.");
    expect(ada?.attributes).toMatchObject({ name: "Ada L.", city: "Köln" });
    const contacts = await query<{ n: number }>(
      client.db,
      sql`SELECT count(*)::int AS n FROM entities WHERE entity_schema = 'contact'`,
    );
    expect(contacts[0]?.n).toBe(1);
  });

  it("keys a new attribute only once the imports writing meanwhile are done, so it sees theirs", async () => {
    const withTeam = {
      entities: [
        {
          entity_schema: "contact",
          unique_ids: ["email"],
          jsonataExpression: "contacts",
          fields: [
            { attribute: "email", field: "mail", _type: "email" },
            { attribute: "team", field: "team" },
          ],
        },
      ],
    };
    // An import creating Zed of team Blue holds its transaction; `team` is keyed by nobody yet.
    const first = await heldImport(client, {
      useCaseId: null,
      config: withTeam,
      payload: { contacts: [{ mail: "zed@example.org", team: "Blue" }] },
      trigger: "cli",
    });
    const order = first.order;
    const second = run(contactsBy("team"), { contacts: [{ team: "Blue", city: "Bonn" }] });
    void second.then(() => order.push("by team"));
    await settle();
    expect(order).toEqual([]);
    first.release();
    const [, outcome] = await Promise.all([first.done, second]);
    expect(order).toEqual(["import", "by team"]);
    expect(outcome.plan.entities.map((e) => e.action)).toEqual(["update"]);
    const blue = await query<{ n: number }>(
      client.db,
      sql`SELECT count(*)::int AS n FROM entities WHERE entity_schema = 'contact' AND attributes->>'team' = 'Blue'`,
    );
    expect(blue[0]?.n).toBe(1);
  });

  it("purges a meter for good, with its readings and lookup keys", async () => {
    const meter = await entity("meter", "meter_number", "M2");
    expect(await readingsOf(meter?.id as string)).toBe(1);
    await run(removal("purge", "meter", "meter_number"), { items: [{ id: "M2" }] });
    expect(await entity("meter", "meter_number", "M2")).toBeUndefined();
    expect(await readingsOf(meter?.id as string)).toBe(0);
    const keys = await query<{ n: number }>(
      client.db,
      sql`SELECT count(*)::int AS n FROM entity_keys WHERE entity_id = ${meter?.id}::uuid`,
    );
    expect(keys[0]?.n).toBe(0);
  });

  it("purges soft-deleted entities after 30 days, not before, in one sweep", async () => {
    const meter = await entity("meter", "meter_number", "M1");
    const soon = new Date(Date.now() + 29 * 86_400_000);
    expect(await purgeExpiredEntities(client.db, soon)).toBe(0);
    expect(await entity("meter", "meter_number", "M1")).toBeDefined();
    const later = new Date(Date.now() + 31 * 86_400_000);
    // M1 and the pruned contract K1.
    expect(await purgeExpiredEntities(client.db, later)).toBe(2);
    expect(await entity("meter", "meter_number", "M1")).toBeUndefined();
    expect(await entity("contract", "contract_number", "K1")).toBeUndefined();
    expect(await readingsOf(meter?.id as string)).toBe(0);
  });
});
