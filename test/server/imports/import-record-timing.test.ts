import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query } from "../../../db/repository";
import { applyImport } from "../../../lib/server/imports/import-service";
import { openTestDb, testDatabases } from "../../helpers/test-db";

/** A meter entity and its readings: the record of such an import goes out before the readings. */
const config = {
  entities: [
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

const payload = {
  meters: [{ number: "T-1" }],
  readings: [{ meter: "T-1", id: "r1", at: "2026-01-01T00:00:00Z", value: 1 }],
};

describe.each(await testDatabases())("the record of an import with entities on %s", (kind) => {
  let client: DbClient;
  beforeAll(async () => {
    client = await openTestDb(kind);
    // Every statement that writes readings takes 300 ms more: only a finish time set after the
    // last write can include it.
    await client.db.execute(
      sql.raw(`CREATE FUNCTION slow_readings() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`),
    );
    await client.db.execute(
      sql.raw(`CREATE TRIGGER slow_readings AFTER INSERT ON readings
        FOR EACH STATEMENT EXECUTE FUNCTION slow_readings()`),
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it("is written before the readings, and finished after them: its duration counts every write", async () => {
    const outcome = await applyImport(client, {
      useCaseId: null,
      config,
      payload,
      trigger: "cli",
    });
    expect(outcome.plan.summary.create).toBe(1);
    const [row] = await query<{ duration_ms: number; exact: number; meters: number }>(
      client.db,
      sql`SELECT i.duration_ms,
            round(extract(epoch from i.finished_at - i.started_at) * 1000)::int AS exact,
            (SELECT count(*)::int FROM import_meters m WHERE m.import_id = i.id) AS meters
          FROM imports i WHERE i.id = ${outcome.importId}`,
    );
    expect(row?.duration_ms).toBeGreaterThanOrEqual(300);
    expect(row?.exact).toBe(row?.duration_ms);
    expect(outcome.durationMs).toBe(row?.duration_ms);
    // What it touched is recorded with it.
    expect(row?.meters).toBe(1);
  });
});
