import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { findImportRow, query } from "../../../db/repository";
import { AppError } from "../../../lib/server/http/app-error";
import { applyImport } from "../../../lib/server/imports/import-service";
import { previewUndo, undoImport } from "../../../lib/server/imports/undo-service";
import { heldImport, settle } from "../../helpers/held-import";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const meterSetup = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
  ],
};

const meter = { unique_ids: [{ attribute: "meter_number", field: "meter" }] };
/** Upserts `readings` and deletes `deletes` (by external id). */
const config = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter,
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "value" },
        { attribute: "source", constant: "ERP" },
        { attribute: "unit", field: "unit" },
      ],
    },
    {
      jsonataExpression: "deletes",
      mode: "delete",
      meter,
      fields: [{ attribute: "external_id", field: "id" }],
    },
  ],
};

/**
 * Every column of the readings table, the import that wrote each row included, but the times an
 * undo writes anew (a re-inserted row is created again; a restored one updated now).
 */
function readingsTable(client: DbClient) {
  return query<Record<string, unknown>>(
    client.db,
    sql`SELECT id, meter_id, counter_id, direction, external_id, timestamp::text AS timestamp,
          berlin_day::text AS berlin_day, value::text AS value, source, reason, attributes,
          import_id
        FROM readings ORDER BY id`,
  );
}

const run = (client: DbClient, payload: unknown) =>
  applyImport(client, { useCaseId: null, config, payload, trigger: "cli" });

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(await testDatabases())("undo on %s", (kind) => {
  let client: DbClient;

  beforeAll(async () => {
    client = await openTestDb(kind);
    await applyImport(client, {
      useCaseId: null,
      config: meterSetup,
      payload: { meters: [{ number: "M1" }, { number: "M2" }] },
      trigger: "cli",
    });
    await run(client, {
      readings: [
        { meter: "M1", id: "e1", at: "2024-01-01", value: "10", unit: "kWh" },
        { meter: "M1", id: "e2", at: "2024-01-02", value: "20" },
        { meter: "M2", id: "e3", at: "2024-01-03", value: "30" },
      ],
    });
  });
  afterAll(() => client?.close());

  it("restores the readings table exactly, and an undo of the undo brings the import back", async () => {
    const before = await readingsTable(client);
    const b = await run(client, {
      readings: [
        { meter: "M1", id: "e1", at: "2024-01-01T06:00:00+01:00", value: "11.5", unit: "MWh" },
        { meter: "M2", id: "e4", at: "2024-01-04", value: "40" },
      ],
      deletes: [{ meter: "M1", id: "e2" }],
    });
    expect(b.plan.summary).toMatchObject({ create: 1, update: 1, delete: 1 });
    const after = await readingsTable(client);

    const preview = await previewUndo(client, b.importId);
    expect(preview.refusal).toBeNull();
    expect(preview.plan?.conflicts).toEqual([]);
    expect(preview.plan?.removes.map((r) => r.external_id)).toEqual(["e4"]);
    expect(preview.plan?.restores.map((r) => [r.after.external_id, r.before === null])).toEqual([
      ["e1", false],
      ["e2", true],
    ]);
    expect(preview.plan?.restores[0]?.changed).toEqual(["timestamp", "value", "attributes"]);

    const undone = await undoImport(client, b.importId, { removes: 1, restores: 2 });
    expect(undone.summary).toMatchObject({ create: 1, update: 1, delete: 1 });
    expect(await readingsTable(client)).toEqual(before);
    const original = await findImportRow(client.db, b.importId);
    expect(original).toMatchObject({ status: "undone", undoneBy: undone.undoId });
    expect(await findImportRow(client.db, undone.undoId)).toMatchObject({
      trigger: "undo",
      status: "applied",
      counts: undone.summary,
    });

    // A second undo of the same import is refused, writing nothing.
    const again = await refusal(undoImport(client, b.importId));
    expect(again.message).toMatch(/already undone/);

    const redo = await undoImport(client, undone.undoId);
    expect(redo.summary).toMatchObject({ create: 1, update: 1, delete: 1 });
    expect(await readingsTable(client)).toEqual(after);
    expect((await previewUndo(client, undone.undoId)).import.undoOf).toBe(b.importId);
  });

  it("refuses, naming the readings, when a later import changed them; nothing is written", async () => {
    const b = await run(client, {
      readings: [
        { meter: "M2", id: "e5", at: "2024-02-05", value: "50" },
        { meter: "M2", id: "e6", at: "2024-02-06", value: "60" },
      ],
    });
    const c = await run(client, {
      readings: [{ meter: "M2", id: "e5", at: "2024-02-05", value: "55" }],
    });
    const table = await readingsTable(client);
    const preview = await previewUndo(client, b.importId);
    expect(preview.plan?.conflicts).toEqual([
      expect.objectContaining({
        external_id: "e5",
        reason: "changed since by another import",
        import_id: c.importId,
      }),
    ]);
    expect(preview.plan?.imports[c.importId]?.trigger).toBe("cli");
    const error = await refusal(undoImport(client, b.importId));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("e5 (meter M2): changed since by another import");
    expect(await readingsTable(client)).toEqual(table);
    expect(await findImportRow(client.db, b.importId)).toMatchObject({
      status: "applied",
      undoneBy: null,
    });

    // A reading the later import deleted stops the undo too.
    const d = await run(client, { deletes: [{ meter: "M2", id: "e6" }] });
    const deleted = await previewUndo(client, b.importId);
    expect(deleted.plan?.conflicts.map((x) => [x.reason, x.import_id])).toEqual([
      ["changed since by another import", c.importId],
      ["deleted since the import", null],
    ]);
    // Undoing the later imports, newest first, makes the first one undoable again.
    await undoImport(client, d.importId);
    await undoImport(client, c.importId);
    expect((await previewUndo(client, b.importId)).plan?.conflicts).toEqual([]);
  });

  it("waits for an import on the same meters, then sees what it did", async () => {
    const b = await run(client, {
      readings: [{ meter: "M1", id: "w1", at: "2024-03-01", value: "1" }],
    });
    // A later import on M1 holds its locks until released; it changes w1.
    const later = await heldImport(client, {
      useCaseId: null,
      config,
      payload: { readings: [{ meter: "M1", id: "w1", at: "2024-03-01", value: "2" }] },
      trigger: "cli",
    });
    const order = later.order;
    const undo = undoImport(client, b.importId).then(
      () => order.push("undo done"),
      (e: AppError) => order.push(`undo refused: ${e.code}`),
    );
    await settle();
    expect(order).toEqual([]);
    later.release();
    await Promise.all([later.done, undo]);
    expect(order).toEqual(["import", "undo refused: CONFLICT"]);
  });

  it("refuses an import whose audit lacks a row it changed", async () => {
    const b = await run(client, {
      readings: [{ meter: "M2", id: "e3", at: "2024-01-03", value: "33" }],
    });
    await client.db.execute(sql`UPDATE imports SET audit = NULL WHERE id = ${b.importId}`);
    const preview = await previewUndo(client, b.importId);
    expect(preview.plan?.conflicts.map((c) => [c.external_id, c.reason])).toEqual([
      ["e3", "its state before the import is not in the import's audit"],
    ]);
  });
});
