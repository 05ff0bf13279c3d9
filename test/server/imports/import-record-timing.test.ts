import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query } from "../../../db/repository";
import { applyImport } from "../../../lib/server/imports/import-service";
import { meterSetup, readingsConfig } from "../../helpers/api-fixtures";
import { metersAndCounters } from "../../helpers/meters-then-contracts";
import { openTestDb, testDatabases } from "../../helpers/test-db";

/** A meter entity and its readings: the record of such an import goes out before the readings. */
const config = { ...meterSetup, ...readingsConfig };

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

describe.each(await testDatabases())("an early entity write that fails on %s", (kind) => {
  let client: DbClient;
  beforeAll(async () => {
    client = await openTestDb(kind);
    // The meters' keys are refused once the server has them all, after the counters were sent.
    await client.db.execute(
      sql.raw(`CREATE FUNCTION refuse_meter_keys() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM new_keys WHERE attribute = 'meter_number') THEN
            RAISE EXCEPTION 'meter keys refused by the test';
          END IF;
          RETURN NULL;
        END $$`),
    );
    await client.db.execute(
      sql.raw(`CREATE TRIGGER refuse_meter_keys AFTER INSERT ON entity_keys
        REFERENCING NEW TABLE AS new_keys FOR EACH STATEMENT EXECUTE FUNCTION refuse_meter_keys()`),
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it("fails the import with its own error, not with those of the writes sent behind it", async () => {
    const meters = Array.from({ length: 50 }, (_, i) => ({ number: `F-${i}` }));
    const counters = meters.map((m) => ({ number: `${m.number}/1`, meter: m.number }));
    await expect(
      applyImport(client, {
        useCaseId: null,
        config: metersAndCounters,
        payload: { meters, counters },
        trigger: "cli",
      }),
    ).rejects.toThrow(/meter keys refused by the test/);
    const [left] = await query<{ n: number }>(
      client.db,
      sql`SELECT count(*)::int AS n FROM entities WHERE entity_schema IN ('meter', 'meter_counter')`,
    );
    expect(left?.n).toBe(0);
  });
});
