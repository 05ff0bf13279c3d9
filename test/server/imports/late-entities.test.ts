import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query } from "../../../db/repository";
import { applyImport } from "../../../lib/server/imports/import-service";
import { undoImport } from "../../../lib/server/imports/undo-service";
import {
  metersThenContracts,
  metersThenContractsPayload,
} from "../../helpers/meters-then-contracts";
import { openTestDb, testDatabases } from "../../helpers/test-db";

// The stored contracts are looked up while the meters and counters are planned (LateEntities),
// and must be found all the same.
const config = metersThenContracts;

interface Row {
  id: string;
  entity_schema: string;
  attributes: Record<string, unknown>;
  deleted_at: string | null;
}

const entities = (client: DbClient) =>
  query<Row>(
    client.db,
    sql`SELECT id::text, entity_schema, attributes, deleted_at::text FROM entities ORDER BY entity_schema, attributes->>'contract_number', attributes->>'meter_number', attributes->>'counter_number'`,
  );

describe.each(await testDatabases())("stored entities looked up late on %s", (kind) => {
  let client: DbClient;
  const run = (payload: unknown) =>
    applyImport(client, { useCaseId: null, config, payload, trigger: "cli" });

  beforeAll(async () => {
    client = await openTestDb(kind);
    await run({ contracts: [{ number: "K1", status: "draft" }] });
  });

  afterAll(async () => {
    await client?.close();
  });

  it("updates the stored contract, relates it, and an undo restores it", async () => {
    const before = await entities(client);
    const outcome = await run(metersThenContractsPayload);
    expect(outcome.plan.entities.map((d) => [d.entity_schema, d.action])).toEqual([
      ["meter", "create"],
      ["meter", "create"],
      ["meter_counter", "create"],
      ["meter_counter", "create"],
      ["contract", "update"],
      ["contract", "create"],
    ]);
    const after = await entities(client);
    const contracts = after.filter((e) => e.entity_schema === "contract");
    expect(contracts.map((c) => [c.attributes.contract_number, c.attributes.status])).toEqual([
      ["K1", "active"],
      ["K2", "active"],
    ]);
    // The stored row was updated, not created again.
    expect(contracts[0]?.id).toBe(before[0]?.id);
    const m1 = after.find((e) => e.attributes.meter_number === "M1");
    expect(contracts[0]?.attributes.meters).toEqual({
      $relation: [{ entity_id: m1?.id, _schema: "meter" }],
    });

    // The audit kept the contract as it was read: the undo restores it.
    await undoImport(client, outcome.importId);
    const undone = await entities(client);
    expect(undone.filter((e) => e.deleted_at === null)).toEqual(before);
  });
});
