import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query } from "../../../db/repository";
import { AppError } from "../../../lib/server/http/app-error";
import { applyImport } from "../../../lib/server/imports/import-service";
import { previewUndo, undoImport } from "../../../lib/server/imports/undo-service";
import { heldImport, settle } from "../../helpers/held-import";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const meter = { unique_ids: [{ attribute: "meter_number", field: "meter" }] };

/** Contacts, billing accounts and pruned contracts related to them, meters, purges, readings. */
const config = {
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
                unique_ids: [{ attribute: "email", field: "mail", _type: "email" }],
              },
            ],
          },
        },
      ],
    },
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
        { attribute: "tariff", field: "tariff" },
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
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      mode: "purge",
      jsonataExpression: "purge",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
  ],
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter,
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "value" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

/** Every column of the entity tables and the readings (but the times an undo writes anew). */
async function tables(client: DbClient) {
  const rows = (statement: ReturnType<typeof sql>) =>
    query<Record<string, unknown>>(client.db, statement);
  return {
    entities: await rows(
      sql`SELECT id, entity_schema, attributes, meter_id, created_at::text AS created_at,
            updated_at::text AS updated_at, deleted_at::text AS deleted_at, import_id
          FROM entities ORDER BY id`,
    ),
    keys: await rows(
      sql`SELECT * FROM entity_keys ORDER BY entity_id, entity_schema, attribute, value`,
    ),
    relations: await rows(
      sql`SELECT * FROM entity_relations ORDER BY from_id, attribute, position`,
    ),
    readings: await rows(
      sql`SELECT id, meter_id, counter_id, direction, external_id, timestamp::text AS timestamp,
            berlin_day::text AS berlin_day, value::text AS value, source, reason, attributes,
            import_id
          FROM readings ORDER BY id`,
    ),
  };
}

describe.each(await testDatabases())("undo of entities on %s", (kind) => {
  let client: DbClient;
  const run = (payload: unknown) =>
    applyImport(client, { useCaseId: null, config, payload, trigger: "cli" });

  beforeAll(async () => {
    client = await openTestDb(kind);
    await run({
      contacts: [{ mail: "ada@example.org", name: "Ada" }],
      accounts: [{ number: "BA-1", mail: "ada@example.org" }],
      account: "BA-1",
      contracts: [
        { number: "K1", tariff: "basic" },
        { number: "K2", tariff: "basic" },
      ],
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

  /** Updates, creates, a stub, a prune, a purge with its reading, reading updates and creates. */
  const changes = {
    contacts: [
      { mail: "ada@example.org", name: "Ada Lovelace" },
      { mail: "bob@example.org", name: "Bob" },
    ],
    accounts: [{ number: "BA-2", mail: "carol@example.org" }],
    account: "BA-1",
    contracts: [
      { number: "K2", tariff: "green" },
      { number: "K3", tariff: "green" },
    ],
    meters: [{ number: "M3" }],
    purge: [{ number: "M2" }],
    readings: [
      { meter: "M1", id: "r1", at: "2026-01-01T00:00:00Z", value: 10 },
      { meter: "M3", id: "r3", at: "2026-01-02T00:00:00Z", value: 3 },
    ],
  };

  it("restores the entity and reading tables exactly, and an undo of the undo brings the import back", async () => {
    const before = await tables(client);
    const outcome = await run(changes);
    const actions = outcome.plan.entities.map((e) => [e.entity_schema, e.action, e.code ?? null]);
    expect(actions).toEqual([
      ["contact", "update", null],
      ["contact", "create", null],
      ["contact", "create", "RELATION_STUB"],
      ["billing_account", "create", null],
      ["contract", "update", null],
      ["contract", "create", null],
      ["contract", "delete", "PRUNED"],
      ["meter", "create", null],
      ["meter", "delete", null],
    ]);
    const after = await tables(client);
    expect(after.readings.map((r) => r.external_id).sort()).toEqual(["r1", "r3"]);
    expect(after.entities.some((e) => e.deleted_at !== null)).toBe(true);

    // Created: contact, stub, billing account, contract, meter; restored: contact, two contracts
    // (one updated, one pruned) and the purged meter.
    const preview = await previewUndo(client, outcome.importId);
    expect(preview.totals).toMatchObject({
      entityRemoves: 5,
      entityRestores: 4,
      entityConflicts: 0,
    });
    const undone = await undoImport(client, outcome.importId);
    expect(await tables(client)).toEqual(before);

    await undoImport(client, undone.undoId);
    const again = await tables(client);
    // The entities and readings the import left, back as it left them.
    expect(again.entities).toEqual(after.entities);
    expect(again.keys).toEqual(after.keys);
    expect(again.relations).toEqual(after.relations);
    expect(again.readings.map(({ import_id: _, ...r }) => r)).toEqual(
      after.readings.map(({ import_id: _, ...r }) => r),
    );
  });

  it("refuses, naming the entity, when a later import changed it; nothing is written", async () => {
    const outcome = await run({ contacts: [{ mail: "dave@example.org", name: "Dave" }] });
    await run({ contacts: [{ mail: "dave@example.org", name: "David" }] });
    const before = await tables(client);
    expect((await previewUndo(client, outcome.importId)).totals.entityConflicts).toBe(1);
    const error = await undoImport(client, outcome.importId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain("1 of its entities changed since");
    expect((error as AppError).message).toContain("changed since by another import");
    expect(await tables(client)).toEqual(before);
  });

  it("waits for an import looking up the same entity, then sees what it did", async () => {
    const outcome = await run({ contacts: [{ mail: "erin@example.org", name: "Erin" }] });
    // A later import of the same contact (no meters, no readings) holds its locks until
    // released; it renames her.
    const later = await heldImport(client, {
      useCaseId: null,
      config,
      payload: { contacts: [{ mail: "erin@example.org", name: "Erin Example" }] },
      trigger: "cli",
    });
    const order = later.order;
    const undo = undoImport(client, outcome.importId).then(
      () => order.push("undo done"),
      (e: AppError) => order.push(`undo refused: ${e.code}`),
    );
    await settle();
    expect(order).toEqual([]);
    later.release();
    await Promise.all([later.done, undo]);
    expect(order).toEqual(["import", "undo refused: CONFLICT"]);
  });
});
