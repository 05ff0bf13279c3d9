import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import {
  findImport,
  LOCK_CLASS,
  lockKeys,
  query,
  ReadingsLoader,
  writeReadings,
} from "../../../db/repository";
import type { StoredReading } from "../../../lib/engine";
import { AppError } from "../../../lib/server/http/app-error";
import { decodeAudit, decodeDecisions } from "../../../lib/server/imports/import-record";
import { applyImport, dryRunImport } from "../../../lib/server/imports/import-service";
import { undoImport } from "../../../lib/server/imports/undo-service";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const meterSetup = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
    {
      entity_schema: "meter_counter",
      unique_ids: ["counter_code"],
      jsonataExpression: "counters",
      fields: [
        { attribute: "counter_code", field: "code" },
        { attribute: "meter", jsonataExpression: "{ 'meter_number': meter }" },
      ],
    },
  ],
};

const readingFields = [
  { attribute: "external_id", field: "id" },
  { attribute: "timestamp", field: "at" },
  { attribute: "value", field: "value" },
  { attribute: "source", constant: "ERP" },
];

const upsertConfig = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
      fields: readingFields,
    },
  ],
};

const pruneConfig = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      mode: "upsert-prune-scope",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
      meter_counter: { unique_ids: [{ attribute: "counter_code", field: "counter" }] },
      fields: readingFields,
    },
  ],
};

async function allReadings(client: DbClient) {
  return query<{
    external_id: string;
    value: string;
    meter: string;
    counter: string | null;
    berlin_day: string;
  }>(
    client.db,
    sql`SELECT r.external_id, r.value::text AS value, m.attributes->>'meter_number' AS meter,
          c.attributes->>'counter_code' AS counter, r.berlin_day::text AS berlin_day
        FROM readings r JOIN entities m ON m.id = r.meter_id LEFT JOIN entities c ON c.id = r.counter_id
        ORDER BY m.attributes->>'meter_number', r.external_id`,
  );
}

async function count(client: DbClient, table: "readings" | "entities" | "imports") {
  const [row] = await query<{ n: number }>(
    client.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`,
  );
  return row?.n ?? 0;
}

const apply = (client: DbClient, config: unknown, payload: unknown) =>
  applyImport(client, { useCaseId: null, config, payload, trigger: "cli" });

describe.each(await testDatabases())("the import service on %s", (kind) => {
  let client: DbClient;

  beforeAll(async () => {
    client = await openTestDb(kind);
    await apply(client, meterSetup, {
      meters: [{ number: "M1" }, { number: "M2" }],
      counters: [
        { code: "M1-HT", meter: "M1" },
        { code: "M1-NT", meter: "M1" },
      ],
    });
  });
  afterAll(() => client.close());

  it("creates meters and counters from entity mappings, with their lookup keys", async () => {
    expect(await count(client, "entities")).toBe(4);
    const plan = await dryRunImport(client, meterSetup, {
      meters: [{ number: "M1" }],
      counters: [],
    });
    expect(plan.entities.map((e) => e.action)).toEqual(["unchanged"]);
  });

  it("writes each decision kind exactly as planned", async () => {
    await apply(client, upsertConfig, {
      readings: [
        { meter: "M1", id: "A", at: "2024-01-01T10:00:00Z", value: 1 },
        { meter: "M1", id: "B", at: "2024-01-02T10:00:00Z", value: 2 },
        { meter: "M2", id: "C", at: "2024-01-01T10:00:00Z", value: "3.50" },
      ],
    });
    const outcome = await apply(client, upsertConfig, {
      readings: [
        { meter: "M1", id: "A", at: "2024-01-01T10:00:00Z", value: 10 },
        { meter: "M1", id: "B", at: "2024-01-02T10:00:00Z", value: 2 },
        { meter: "M1", id: "D", at: "2024-01-02T12:00:00Z", value: 4 },
        { meter: "M2", id: "E", at: "2024-01-05T10:00:00Z", value: 5 },
        { meter: "M9", id: "F", at: "2024-01-05T10:00:00Z", value: 6 },
      ],
    });
    expect(outcome.plan.summary).toEqual({
      create: 1,
      update: 1,
      unchanged: 1,
      skip: 1,
      delete: 0,
      error: 1,
    });
    expect(await allReadings(client)).toEqual([
      { external_id: "A", value: "10", meter: "M1", counter: null, berlin_day: "2024-01-01" },
      { external_id: "B", value: "2", meter: "M1", counter: null, berlin_day: "2024-01-02" },
      { external_id: "C", value: "3.5", meter: "M2", counter: null, berlin_day: "2024-01-01" },
      { external_id: "E", value: "5", meter: "M2", counter: null, berlin_day: "2024-01-05" },
    ]);
    const record = await findImport(client.db, outcome.importId);
    expect(record?.counts).toEqual(outcome.plan.summary);
    const audit = await decodeAudit(record?.audit as Buffer);
    expect(audit.map((r) => [r.external_id, r.value])).toEqual([["A", "1"]]);
    // The stored decisions name the rows they wrote by their real ids.
    const stored = await decodeDecisions(record?.decisions as Buffer);
    expect(stored.summary).toEqual(outcome.plan.summary);
    expect(stored.decisions.map((d) => d.action)).toEqual(
      outcome.plan.decisions.map((d) => d.action),
    );
    const idOf = new Map(
      (
        await query<{ id: string; external_id: string }>(
          client.db,
          sql`SELECT id, external_id FROM readings`,
        )
      ).map((r) => [r.external_id, r.id]),
    );
    outcome.plan.decisions.forEach((d, i) => {
      if (d.action === "create" || d.action === "update")
        expect(stored.decisions[i]?.reading_id).toBe(idOf.get(d.reading?.external_id as string));
    });
    const error = stored.decisions.find((d) => d.action === "error");
    expect(error?.code).toBeTruthy();
    expect(error?.message).toBeTruthy();
  });

  it("posting the same payload again changes nothing", async () => {
    const payload = { readings: [{ meter: "M2", id: "E", at: "2024-01-05T10:00:00Z", value: 5 }] };
    const before = await allReadings(client);
    const outcome = await apply(client, upsertConfig, payload);
    expect(outcome.plan.summary.unchanged).toBe(1);
    expect(await allReadings(client)).toEqual(before);
  });

  it("writes a reading's last version when one payload touches it several times", async () => {
    const config = {
      meter_readings: [
        upsertConfig.meter_readings[0],
        {
          jsonataExpression: "deletions",
          mode: "delete",
          meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
          fields: [{ attribute: "external_id", field: "id" }],
        },
      ],
    };
    const at = (day: number) => `2024-03-${String(day).padStart(2, "0")}T10:00:00Z`;
    await apply(client, upsertConfig, {
      readings: [{ meter: "M1", id: "V-stored", at: at(1), value: 1 }],
    });
    const outcome = await apply(client, config, {
      readings: [
        // Created, then changed twice by later readings of the same payload.
        { meter: "M1", id: "V-new", at: at(2), value: 1 },
        { meter: "M1", id: "V-new", at: at(2), value: 2 },
        { meter: "M1", id: "V-new", at: at(2), value: 3 },
        // A stored reading changed twice.
        { meter: "M1", id: "V-stored", at: at(1), value: 5 },
        { meter: "M1", id: "V-stored", at: at(1), value: 6 },
        // Created, then deleted by the same payload: never written.
        { meter: "M1", id: "V-gone", at: at(3), value: 1 },
      ],
      deletions: [{ meter: "M1", id: "V-gone" }],
    });
    expect(outcome.plan.summary).toMatchObject({ create: 2, update: 4, delete: 1 });
    const rows = (await allReadings(client)).filter((r) => r.external_id.startsWith("V-"));
    expect(rows.map((r) => [r.external_id, r.value])).toEqual([
      ["V-new", "3"],
      ["V-stored", "6"],
    ]);
  });

  it("an update writes what changed and keeps every other column", async () => {
    const full = {
      meter_readings: [
        {
          ...upsertConfig.meter_readings[0],
          fields: [
            ...readingFields,
            { attribute: "reason", field: "reason" },
            { attribute: "unit", field: "unit" },
          ],
        },
      ],
    };
    const row = async () => {
      const [r] = await query<Record<string, string | null>>(
        client.db,
        sql`SELECT r.timestamp::text AS timestamp, r.berlin_day::text AS berlin_day,
              r.value::text AS value, r.source, r.reason, r.attributes::text AS attributes,
              r.import_id::text AS import_id
            FROM readings r WHERE r.external_id = 'W'`,
      );
      return r;
    };
    await apply(client, full, {
      readings: [
        {
          meter: "M2",
          id: "W",
          at: "2023-04-01T10:00:00Z",
          value: 1,
          reason: "irregular",
          unit: "kWh",
        },
      ],
    });
    // A new time (and Berlin day) and value; source, reason and unit stay as stored.
    const moved = await apply(client, upsertConfig, {
      readings: [{ meter: "M2", id: "W", at: "2023-04-02T23:30:00Z", value: 2 }],
    });
    expect(await row()).toEqual({
      timestamp: "2023-04-02 23:30:00+00",
      berlin_day: "2023-04-03",
      value: "2",
      source: "ERP",
      reason: "irregular",
      attributes: '{"unit": "kWh"}',
      import_id: moved.importId,
    });
    // Only a custom attribute changes.
    await apply(client, full, {
      readings: [
        {
          meter: "M2",
          id: "W",
          at: "2023-04-02T23:30:00Z",
          value: 2,
          reason: "irregular",
          unit: "MWh",
        },
      ],
    });
    expect(await row()).toMatchObject({
      timestamp: "2023-04-02 23:30:00+00",
      berlin_day: "2023-04-03",
      value: "2",
      reason: "irregular",
      attributes: '{"unit": "MWh"}',
    });
  });

  it("reads stored instants back exactly, fractions of a second and all", async () => {
    const stamps = [
      "2024-01-06T10:00:00.5Z",
      "2024-01-07T12:59:59.999Z",
      "2024-01-08T00:00:00.01Z",
    ];
    const payload = {
      readings: stamps.map((at, i) => ({ meter: "M2", id: `F${i}`, at, value: i })),
    };
    expect((await apply(client, upsertConfig, payload)).plan.summary.create).toBe(3);
    const again = await apply(client, upsertConfig, payload);
    expect(again.plan.summary.unchanged).toBe(3);
    expect(again.plan.decisions.map((d) => d.previous?.timestamp)).toEqual([
      "2024-01-06T10:00:00.500Z",
      "2024-01-07T12:59:59.999Z",
      "2024-01-08T00:00:00.010Z",
    ]);
  });

  it("prunes exactly the planned rows and keeps them in the audit", async () => {
    await apply(client, pruneConfig, {
      readings: [
        { meter: "M1", counter: "M1-HT", id: "H1", at: "2024-02-01T10:00:00Z", value: 1 },
        { meter: "M1", counter: "M1-HT", id: "H2", at: "2024-02-02T10:00:00Z", value: 2 },
        { meter: "M1", counter: "M1-NT", id: "N1", at: "2024-02-01T10:00:00Z", value: 1 },
      ],
    });
    const outcome = await apply(client, pruneConfig, {
      readings: [
        { meter: "M1", counter: "M1-HT", id: "H2", at: "2024-02-02T10:00:00Z", value: 2 },
        {
          meter: "M1",
          counter: "M1-HT",
          id: "H3",
          at: "2024-02-03T10:00:00Z",
          value: "not a number",
        },
      ],
    });
    const pruned = outcome.plan.decisions.filter((d) => d.code === "PRUNED");
    expect(pruned.map((d) => d.previous?.external_id)).toEqual(["H1"]);
    const remaining = (await allReadings(client)).filter((r) => r.counter !== null);
    expect(remaining.map((r) => `${r.counter}:${r.external_id}`)).toEqual(["M1-HT:H2", "M1-NT:N1"]);
    const record = await findImport(client.db, outcome.importId);
    const audit = await decodeAudit(record?.audit as Buffer);
    expect(audit.map((r) => r.external_id)).toEqual(["H1"]);
    const stored = await decodeDecisions(record?.decisions as Buffer);
    const prunedRecord = stored.decisions.filter((d) => d.code === "PRUNED");
    expect(prunedRecord).toEqual([
      {
        item: pruned[0]?.item,
        index: null,
        action: "delete",
        code: "PRUNED",
        message: pruned[0]?.message,
        details: pruned[0]?.details,
        reading_id: audit[0]?.id,
        meter_id: pruned[0]?.meter?.id,
        counter_id: pruned[0]?.counter?.id,
        matched_by: "scope",
      },
    ]);
    expect(stored.decisions.find((d) => d.action === "error")).toMatchObject({
      code: "INVALID_READING_VALUE",
      details: { field: "value", received: "not a number" },
    });
  });

  it("an import that fails midway writes nothing", async () => {
    const before = {
      readings: await allReadings(client),
      imports: await count(client, "imports"),
      entities: await count(client, "entities"),
    };
    const failing = applyImport(
      client,
      {
        useCaseId: null,
        config: { ...upsertConfig, ...meterSetup },
        payload: {
          meters: [{ number: "M3" }],
          counters: [],
          readings: [{ meter: "M3", id: "Z", at: "2024-03-01", value: 1 }],
        },
        trigger: "cli",
      },
      { beforeCommit: () => Promise.reject(new Error("killed")) },
    );
    await expect(failing).rejects.toThrow("killed");
    expect(await allReadings(client)).toEqual(before.readings);
    expect(await count(client, "imports")).toBe(before.imports);
    expect(await count(client, "entities")).toBe(before.entities);
  });

  it("writes readings on meters it creates after the meters, and the others as soon as planned", async () => {
    const outcome = await apply(
      client,
      { ...upsertConfig, ...meterSetup },
      {
        meters: [{ number: "M6" }],
        counters: [],
        readings: [
          { meter: "M1", id: "NEWM-1", at: "2004-02-01T10:00:00Z", value: 1 },
          { meter: "M6", id: "NEWM-2", at: "2004-02-01T10:00:00Z", value: 2 },
          { meter: "M2", id: "NEWM-3", at: "2004-02-01T10:00:00Z", value: 3 },
        ],
      },
    );
    expect(outcome.plan.summary.create).toBe(3);
    const rows = (await allReadings(client)).filter((r) => r.external_id.startsWith("NEWM-"));
    expect(rows.map((r) => [r.external_id, r.meter, r.value])).toEqual([
      ["NEWM-1", "M1", "1"],
      ["NEWM-3", "M2", "3"],
      ["NEWM-2", "M6", "2"],
    ]);
  });

  it("a reading replaced by date gives up its external id to a new reading in the same import", async () => {
    const strictConfig = {
      meter_readings: [{ ...upsertConfig.meter_readings[0], reading_matching: "strict-date" }],
    };
    await apply(client, upsertConfig, {
      readings: [{ meter: "M2", id: "SWAP-A", at: "1928-03-01T10:00:00Z", value: 1 }],
    });
    // SWAP-B replaces SWAP-A on its day, so SWAP-A, sent for another day, is a new reading: the
    // stored row must give up its external id before the new row takes it (the unique key).
    // Enough readings on another meter that new rows are written while the plan goes on.
    const others = Array.from({ length: 6000 }, (_, i) => ({
      meter: "M1",
      id: `SWAP-M1-${i}`,
      at: new Date(Date.UTC(1930, 0, 1, 12) + i * 86_400_000).toISOString(),
      value: i,
    }));
    const outcome = await apply(client, strictConfig, {
      readings: [
        { meter: "M2", id: "SWAP-B", at: "1928-03-01T12:00:00Z", value: 2 },
        { meter: "M2", id: "SWAP-A", at: "1928-03-02T12:00:00Z", value: 3 },
        ...others,
      ],
    });
    expect(outcome.plan.decisions.slice(0, 2).map((d) => [d.action, d.code ?? null])).toEqual([
      ["update", "REPLACED_BY_DATE"],
      ["create", null],
    ]);
    const rows = (await allReadings(client)).filter((r) => /^SWAP-[AB]$/.test(r.external_id));
    expect(rows.map((r) => [r.external_id, r.value, r.berlin_day])).toEqual([
      ["SWAP-A", "3", "1928-03-02"],
      ["SWAP-B", "2", "1928-03-01"],
    ]);
  });

  it("a COPY the server refuses fails with the server's error, and the connection lives on", async () => {
    await apply(client, upsertConfig, {
      readings: [{ meter: "M1", id: "TAKEN", at: "2002-01-01T10:00:00Z", value: 1 }],
    });
    const [stored] = await query<{ meter_id: string; external_id: string }>(
      client.db,
      sql`SELECT meter_id::text AS meter_id, external_id FROM readings WHERE external_id = 'TAKEN'`,
    );
    if (!stored) throw new Error("no stored reading to collide with");
    const before = await count(client, "readings");
    // Its (meter, external id) is taken: the server refuses it once the rows are in.
    const twin: StoredReading = {
      id: randomUUID(),
      meter_id: stored.meter_id,
      counter_id: null,
      direction: null,
      external_id: stored.external_id,
      timestamp: "2003-01-01T00:00:00.000Z",
      value: "1",
      source: null,
      reason: null,
      attributes: {},
    };
    const copy = client.db.transaction((tx) =>
      writeReadings(tx, { inserts: [twin], updates: [], deletes: [] }, randomUUID()),
    );
    await expect(copy).rejects.toThrow(/readings_meter_external_id_unique/);
    expect(await count(client, "readings")).toBe(before);
    expect(await query(client.db, sql`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });

  it("an import that fails while its first rows are being written writes nothing", async () => {
    const before = await allReadings(client);
    const readings = Array.from({ length: 6000 }, (_, i) => ({
      meter: i % 2 === 0 ? "M1" : "M2",
      id: `EARLY-${i}`,
      // One a day on each meter: none is a same-day duplicate of another.
      at: new Date(Date.UTC(2005, 0, 1, 12) + Math.floor(i / 2) * 86_400_000).toISOString(),
      value: i,
    }));
    const failing = applyImport(
      client,
      { useCaseId: null, config: upsertConfig, payload: { readings }, trigger: "cli" },
      { afterPlan: () => Promise.reject(new Error("killed")) },
    );
    await expect(failing).rejects.toThrow("killed");
    expect(await allReadings(client)).toEqual(before);
    // The connection is clean again: the same import goes through.
    const outcome = await apply(client, upsertConfig, { readings });
    expect(outcome.plan.summary.create).toBe(6000);
    const written = (await allReadings(client)).filter((r) => r.external_id.startsWith("EARLY-"));
    expect(written).toHaveLength(6000);
  });

  it("an import that fails after its first entities are written writes none of them", async () => {
    // Meters, then counters of them, then readings of stored meters: on a Postgres server the
    // meters and counters are written while the plan goes on, the readings right behind them.
    const config = { ...meterSetup, ...upsertConfig };
    const payload = {
      meters: Array.from({ length: 3000 }, (_, i) => ({ number: `EARLY-M${i}` })),
      counters: Array.from({ length: 3000 }, (_, i) => ({
        code: `EARLY-C${i}`,
        meter: `EARLY-M${i}`,
      })),
      readings: Array.from({ length: 6000 }, (_, i) => ({
        meter: i % 2 === 0 ? "M1" : "M2",
        id: `EARLY-E${i}`,
        at: new Date(Date.UTC(1950, 0, 1, 12) + Math.floor(i / 2) * 86_400_000).toISOString(),
        value: i,
      })),
    };
    const entities = await count(client, "entities");
    const readings = await allReadings(client);
    const failing = applyImport(
      client,
      { useCaseId: null, config, payload, trigger: "cli" },
      { afterPlan: () => Promise.reject(new Error("killed")) },
    );
    await expect(failing).rejects.toThrow("killed");
    expect(await count(client, "entities")).toBe(entities);
    expect(await allReadings(client)).toEqual(readings);

    const outcome = await apply(client, config, payload);
    expect(outcome.plan.summary.create).toBe(6000);
    expect(await count(client, "entities")).toBe(entities + 6000);
    const [counter] = await query<{ meter: string }>(
      client.db,
      sql`SELECT m.attributes->>'meter_number' AS meter FROM entities c JOIN entities m ON m.id = c.meter_id
          WHERE c.attributes->>'counter_code' = 'EARLY-C2999'`,
    );
    expect(counter).toEqual({ meter: "EARLY-M2999" });
    // Its record names every entity it created: an undo takes them all away again.
    await undoImport(client, outcome.importId);
    expect(await count(client, "entities")).toBe(entities);
    expect(await allReadings(client)).toEqual(readings);
  });

  it("purges a meter after entities written early, and an undo puts both back", async () => {
    // Contacts go out while the plan goes on; the purge reads the meter's counters and readings
    // for its audit once those writes are done.
    await apply(client, meterSetup, {
      meters: [{ number: "PURGED" }],
      counters: [{ code: "PURGED-HT", meter: "PURGED" }],
    });
    await apply(client, upsertConfig, {
      readings: [{ meter: "PURGED", id: "P1", at: "1960-01-01T10:00:00Z", value: 1 }],
    });
    const entities = await count(client, "entities");
    const readings = await allReadings(client);
    const config = {
      entities: [
        {
          entity_schema: "contact",
          unique_ids: ["email"],
          jsonataExpression: "contacts",
          fields: [{ attribute: "email", field: "email" }],
        },
        {
          entity_schema: "meter",
          unique_ids: ["meter_number"],
          mode: "purge",
          jsonataExpression: "purged",
          fields: [{ attribute: "meter_number", field: "number" }],
        },
      ],
    };
    const outcome = await apply(client, config, {
      contacts: Array.from({ length: 3000 }, (_, i) => ({ email: `early-${i}@example.com` })),
      purged: [{ number: "PURGED" }],
    });
    expect(outcome.plan.entities.filter((e) => e.action === "create")).toHaveLength(3000);
    // The meter went with its reading; its counter stays, without a meter.
    const counterMeter = async () =>
      (
        await query<{ meter: string | null }>(
          client.db,
          sql`SELECT m.attributes->>'meter_number' AS meter FROM entities c
              LEFT JOIN entities m ON m.id = c.meter_id WHERE c.attributes->>'counter_code' = 'PURGED-HT'`,
        )
      )[0]?.meter;
    expect(await count(client, "entities")).toBe(entities + 3000 - 1);
    expect(await counterMeter()).toBeNull();
    expect((await allReadings(client)).some((r) => r.meter === "PURGED")).toBe(false);
    await undoImport(client, outcome.importId);
    expect(await count(client, "entities")).toBe(entities);
    expect(await counterMeter()).toBe("PURGED");
    expect(await allReadings(client)).toEqual(readings);
  });

  it("looks stored readings up with plain index scans, and leaves the setting as it was", async () => {
    const setting = async (tx: Parameters<Parameters<DbClient["db"]["transaction"]>[0]>[0]) =>
      (await query<{ enable_bitmapscan: string }>(tx, sql`SHOW enable_bitmapscan`))[0]
        ?.enable_bitmapscan;
    await client.db.transaction(async (tx) => {
      const loader = new ReadingsLoader(tx);
      loader.add([{ meter_id: randomUUID(), external_id: "X", berlin_day: "2024-01-01" }], false);
      expect(await setting(tx)).toBe("off");
      loader.close();
      await loader.finished();
      expect(await setting(tx)).toBe("on");
    });
  });

  it("locks the whole key space with one lock when an import names many keys", async () => {
    // As bucket locks, an import naming 10k meters took 8k locks, and a second such import at
    // the same time overflowed the server's lock table ("out of shared memory").
    const held = (tx: Parameters<Parameters<DbClient["db"]["transaction"]>[0]>[0]) =>
      query<{ n: number }>(
        tx,
        sql`SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted`,
      );
    await client.db.transaction(async (tx) => {
      await lockKeys(
        tx,
        LOCK_CLASS.meter,
        Array.from({ length: 10_000 }, (_, i) => `meter-${i}`),
      );
      expect(await held(tx)).toEqual([{ n: 1 }]);
    });
    await client.db.transaction(async (tx) => {
      await lockKeys(tx, LOCK_CLASS.meter, ["one", "two"]);
      // The whole space shared, and one lock per bucket.
      expect(await held(tx)).toEqual([{ n: 3 }]);
    });
  });

  it("imports naming many meters run beside each other and beside small ones", async () => {
    const numbers = (from: number) => Array.from({ length: 1000 }, (_, i) => `BIG-${from + i}`);
    await apply(client, meterSetup, {
      meters: [...numbers(0), ...numbers(1000)].map((number) => ({ number })),
      counters: [],
    });
    const readings = (meters: string[]) => ({
      readings: meters.map((meter) => ({
        meter,
        id: `LOCK-${meter}`,
        at: "1999-06-01T10:00:00Z",
        value: 1,
      })),
    });
    const outcomes = await Promise.all([
      apply(client, upsertConfig, readings(numbers(0))),
      apply(client, upsertConfig, readings(["M1"])),
      apply(client, upsertConfig, readings(numbers(1000))),
      apply(client, upsertConfig, readings(["M2"])),
    ]);
    expect(outcomes.map((o) => o.plan.summary.create)).toEqual([1000, 1, 1000, 1]);
  });

  it("concurrent imports on the same meters neither duplicate nor lose updates", async () => {
    const payload = (value: number, ids: string[]) => ({
      readings: ids.map((id, i) => ({
        meter: "M2",
        id,
        at: `2024-04-${String(i + 1).padStart(2, "0")}T10:00:00Z`,
        value,
      })),
    });
    const ids = Array.from({ length: 20 }, (_, i) => `CC${i}`);
    await Promise.all([
      apply(client, upsertConfig, payload(1, ids)),
      apply(client, upsertConfig, payload(2, ids)),
    ]);
    const rows = (await allReadings(client)).filter((r) => r.external_id.startsWith("CC"));
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.value)).size).toBe(1);
    const sameDay = ids.map((id, i) => ({
      meter: "M2",
      id: `SD${id}`,
      at: `2024-04-${String(i + 1).padStart(2, "0")}T15:00:00Z`,
      value: 9,
    }));
    await Promise.all([
      apply(client, upsertConfig, { readings: sameDay }),
      apply(client, upsertConfig, { readings: sameDay }),
    ]);
    expect((await allReadings(client)).filter((r) => r.external_id.startsWith("SD"))).toHaveLength(
      0,
    );
  });

  it("round-trips awkward text through COPY: tabs, newlines, backslashes and quotes", async () => {
    const odd = 'tab\there\\back\nline "q"';
    const config = {
      meter_readings: [
        {
          jsonataExpression: "readings",
          meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
          fields: [...readingFields, { attribute: "note", field: "note" }],
        },
      ],
    };
    const payload = {
      readings: [{ meter: "M2", id: odd, at: "2024-06-01T10:00:00Z", value: 1, note: odd }],
    };
    expect((await apply(client, config, payload)).plan.summary.create).toBe(1);
    const again = await apply(client, config, payload);
    expect(again.plan.summary).toMatchObject({ unchanged: 1, create: 0 });
    expect(again.plan.decisions[0]?.previous).toMatchObject({
      external_id: odd,
      attributes: { note: odd },
    });
  });

  it("stores custom attributes named like Object.prototype's members, __proto__ included", async () => {
    const names = ["toString", "constructor", "__proto__", "valueOf"];
    const config = {
      meter_readings: [
        {
          ...upsertConfig.meter_readings[0],
          fields: [...readingFields, ...names.map((attribute) => ({ attribute, field: "extra" }))],
        },
      ],
    };
    const payload = {
      readings: [{ meter: "M2", id: "PROTO", at: "2024-07-01T10:00:00Z", value: 1, extra: "x" }],
    };
    expect((await apply(client, config, payload)).plan.summary.create).toBe(1);
    const [row] = await query<{ attributes: string }>(
      client.db,
      sql`SELECT attributes::text AS attributes FROM readings WHERE external_id = 'PROTO'`,
    );
    expect(Object.keys(JSON.parse(row?.attributes ?? "{}")).sort()).toEqual([...names].sort());
    const again = await apply(client, config, payload);
    expect(again.plan.summary).toMatchObject({ unchanged: 1, create: 0 });
  });

  it("fails only the entities whose text the database cannot store, sending none of it in a query", async () => {
    const before = await count(client, "entities");
    const outcome = await apply(client, meterSetup, {
      meters: [{ number: "M\u0000" }, { number: "M\ud800" }, { number: "M-TEXT" }],
      counters: [{ code: "HT\u0000", meter: "M-TEXT" }],
    });
    expect(outcome.plan.entities.map((e) => [e.action, e.code, e.details])).toEqual([
      ["error", "INVALID_TEXT", { field: "meter_number", received: "M\\u0000" }],
      ["error", "INVALID_TEXT", { field: "meter_number", received: "M\\ud800" }],
      ["create", undefined, undefined],
      ["error", "INVALID_TEXT", { field: "counter_code", received: "HT\\u0000" }],
    ]);
    expect(await count(client, "entities")).toBe(before + 1);
  });

  it("rejects an invalid configuration before touching anything", async () => {
    await expect(apply(client, { meter_readings: [{}] }, {})).rejects.toBeInstanceOf(AppError);
  });
});
