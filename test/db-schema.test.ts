import { gunzipSync, gzipSync } from "node:zlib";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbClient, rowsOf } from "../db/client";
import {
  entities,
  importMeters,
  imports,
  inboundRequests,
  integrations,
  readings,
} from "../db/schema";
import { openTestDb, testDatabases } from "./helpers/test-db";

/** The driver error behind drizzle's "Failed query" wrapper. */
function pgCode(error: unknown): string | undefined {
  let current: unknown = error;
  while (current && typeof current === "object") {
    if ("code" in current && typeof current.code === "string") return current.code;
    current = "cause" in current ? current.cause : undefined;
  }
  return undefined;
}

describe.each(await testDatabases())("the database schema on %s", (kind) => {
  let client: DbClient;
  let meterId: string;

  beforeAll(async () => {
    client = await openTestDb(kind);
    const [meter] = await client.db
      .insert(entities)
      .values({ entitySchema: "meter", attributes: { meterNumber: "M-1" } })
      .returning();
    if (!meter) throw new Error("no meter inserted");
    meterId = meter.id;
  });

  afterAll(async () => {
    await client?.close();
  });

  it("applies every migration to a fresh database", async () => {
    const tables = rowsOf<{ table_name: string }>(
      await client.db.execute(sql`
        select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'
        order by table_name`),
    ).map((row) => row.table_name);
    expect(tables).toEqual(
      expect.arrayContaining([
        "api_keys",
        "config_versions",
        "entities",
        "entity_keys",
        "imports",
        "inbound_events",
        "integrations",
        "readings",
        "sample_payloads",
        "use_cases",
      ]),
    );
  });

  it("round-trips a reading exactly", async () => {
    const [inserted] = await client.db
      .insert(readings)
      .values({
        meterId,
        externalId: "R-1",
        timestamp: new Date("2024-03-30T23:30:00.123Z"),
        berlinDay: "2024-03-31",
        value: "12345.678901234567890",
        attributes: { quality: "measured", nested: { list: [1, "two", null] } },
      })
      .returning();
    if (!inserted) throw new Error("no reading inserted");

    const [read] = await client.db.select().from(readings).where(eq(readings.id, inserted.id));
    expect(read).toMatchObject({
      meterId,
      counterId: null,
      externalId: "R-1",
      timestamp: new Date("2024-03-30T23:30:00.123Z"),
      berlinDay: "2024-03-31",
      value: "12345.678901234567890",
      attributes: { quality: "measured", nested: { list: [1, "two", null] } },
    });
    expect(read?.createdAt).toBeInstanceOf(Date);
  });

  it("returns numeric, date and timestamptz as strings from raw SQL", async () => {
    const [row] = rowsOf<Record<string, unknown>>(
      await client.db.execute(sql`
        select value, berlin_day, timestamp, attributes from readings where external_id = 'R-1'`),
    );
    expect(row).toEqual({
      value: "12345.678901234567890",
      berlin_day: "2024-03-31",
      timestamp: "2024-03-30 23:30:00.123+00",
      attributes: { quality: "measured", nested: { list: [1, "two", null] } },
    });
  });

  it("rejects a second reading with the same external id on the same meter", async () => {
    const reading = {
      meterId,
      externalId: "R-dup",
      timestamp: new Date("2024-01-01T00:00:00Z"),
      berlinDay: "2024-01-01",
      value: "1",
    };
    await client.db.insert(readings).values(reading);
    const error = await client.db
      .insert(readings)
      .values({ ...reading, value: "2" })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(error)).toBe("23505");
  });

  it("allows any number of readings without an external id on one meter", async () => {
    const reading = {
      meterId,
      timestamp: new Date("2024-01-02T00:00:00Z"),
      berlinDay: "2024-01-02",
      value: "1",
    };
    await client.db.insert(readings).values([reading, reading]);
  });

  it("keeps foreign keys inside the database's own schema", async () => {
    const error = await client.db
      .insert(readings)
      .values({
        meterId: "00000000-0000-0000-0000-000000000000",
        timestamp: new Date(),
        berlinDay: "2024-01-01",
        value: "1",
      })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(error)).toBe("23503");
  });

  it("checks a reading's counter, cascades a deleted meter and unsets a deleted counter", async () => {
    const insertEntity = async (schema: string) => {
      const [row] = await client.db
        .insert(entities)
        .values({ entitySchema: schema, attributes: {} })
        .returning({ id: entities.id });
      return (row as { id: string }).id;
    };
    const meter = await insertEntity("meter");
    const counter = await insertEntity("meter_counter");
    const reading = { timestamp: new Date(), berlinDay: "2024-01-01", value: "1" };
    const missingCounter = await client.db
      .insert(readings)
      .values({ ...reading, meterId: meter, counterId: "00000000-0000-0000-0000-000000000000" })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(missingCounter)).toBe("23503");
    await client.db.insert(readings).values([
      { ...reading, meterId: meter, counterId: counter, externalId: "with-counter" },
      { ...reading, meterId: meterId, counterId: counter, externalId: "other-meter" },
    ]);
    await client.db.delete(entities).where(eq(entities.id, counter));
    const after = await client.db
      .select({ externalId: readings.externalId, counterId: readings.counterId })
      .from(readings)
      .where(inArray(readings.externalId, ["with-counter", "other-meter"]))
      .orderBy(readings.externalId);
    expect(after).toEqual([
      { externalId: "other-meter", counterId: null },
      { externalId: "with-counter", counterId: null },
    ]);
    await client.db.delete(entities).where(eq(entities.id, meter));
    const left = await client.db
      .select({ externalId: readings.externalId })
      .from(readings)
      .where(inArray(readings.externalId, ["with-counter", "other-meter"]));
    expect(left).toEqual([{ externalId: "other-meter" }]);
  });

  it("checks a counter's meter and unsets it when the meter goes", async () => {
    const [existing] = await client.db
      .insert(entities)
      .values({ entitySchema: "meter", attributes: {} })
      .returning({ id: entities.id });
    const counterOf = (meterId: string | undefined) => ({
      entitySchema: "meter_counter",
      meterId,
      attributes: {},
    });
    // Checked once per meter named, among counters of a meter that exists.
    const missing = await client.db
      .insert(entities)
      .values([
        counterOf(existing?.id),
        counterOf("00000000-0000-0000-0000-000000000000"),
        counterOf(existing?.id),
      ])
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(missing)).toBe("23503");
    const [meter] = await client.db
      .insert(entities)
      .values({ entitySchema: "meter", attributes: {} })
      .returning({ id: entities.id });
    const [counter] = await client.db
      .insert(entities)
      .values({ entitySchema: "meter_counter", meterId: meter?.id, attributes: {} })
      .returning({ id: entities.id });
    await client.db.delete(entities).where(eq(entities.id, meter?.id as string));
    const [after] = await client.db
      .select({ meterId: entities.meterId })
      .from(entities)
      .where(eq(entities.id, counter?.id as string));
    expect(after).toEqual({ meterId: null });
  });

  it("checks an import meter row's import and removes the rows with their import", async () => {
    const meter = "00000000-0000-0000-0000-0000000000aa";
    const missing = await client.db
      .insert(importMeters)
      .values({ meterId: meter, importId: "00000000-0000-0000-0000-000000000000" })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgCode(missing)).toBe("23503");
    const [run] = await client.db
      .insert(imports)
      .values({ trigger: "cli", status: "applied", counts: {} })
      .returning({ id: imports.id });
    const importId = run?.id as string;
    await client.db.insert(importMeters).values({ meterId: meter, importId });
    expect(await client.db.select().from(importMeters)).toEqual([{ meterId: meter, importId }]);
    await client.db.delete(imports).where(eq(imports.id, importId));
    expect(await client.db.select().from(importMeters)).toEqual([]);
  });

  it("round-trips gzipped JSON through bytea", async () => {
    const json = JSON.stringify({ readings: [{ value: "1.5", note: "Zählerstand ✓" }] });
    const gzipped = gzipSync(json);
    const [integration] = await client.db.insert(integrations).values({ name: "ERP" }).returning();
    if (!integration) throw new Error("no integration inserted");
    const [request] = await client.db
      .insert(inboundRequests)
      .values({ integrationId: integration.id, body: gzipped, bodyBytes: Buffer.byteLength(json) })
      .returning();

    const [read] = await client.db
      .select({ payload: inboundRequests.body })
      .from(inboundRequests)
      .where(eq(inboundRequests.id, request?.id ?? ""));
    expect(Buffer.isBuffer(read?.payload)).toBe(true);
    expect(gunzipSync(read?.payload ?? Buffer.alloc(0)).toString("utf8")).toBe(json);
  });
});
