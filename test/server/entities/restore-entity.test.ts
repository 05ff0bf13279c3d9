import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query, relatedEntities } from "../../../db/repository";
import { deletedEntitiesPage } from "../../../lib/server/entities/deleted-entities-service";
import { restoreEntity } from "../../../lib/server/entities/restore-entity";
import { AppError } from "../../../lib/server/http/app-error";
import { applyImport } from "../../../lib/server/imports/import-service";
import { heldImport, settle } from "../../helpers/held-import";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const DAY = 24 * 60 * 60 * 1000;

/** Contacts, meters related to them (upserted, or soft-deleted by `delete`), readings. */
const config = {
  entities: [
    {
      entity_schema: "contact",
      unique_ids: ["customer_number"],
      jsonataExpression: "contacts",
      fields: [
        { attribute: "customer_number", field: "number" },
        { attribute: "name", field: "name" },
      ],
    },
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [
        { attribute: "meter_number", field: "number" },
        {
          attribute: "owner",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "contact",
                unique_ids: [{ attribute: "customer_number", field: "owner" }],
              },
            ],
          },
        },
      ],
    },
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      mode: "delete",
      jsonataExpression: "delete",
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

describe.each(await testDatabases())("restoring soft-deleted entities on %s", (kind) => {
  let client: DbClient;
  const run = (payload: unknown) =>
    applyImport(client, { useCaseId: null, config, payload, trigger: "cli" });

  /** The meters with this number, live or not, oldest first. */
  const meters = (number: string) =>
    query<{ id: string; deleted_at: string | null; updated_at: string; import_id: string | null }>(
      client.db,
      sql`SELECT id::text, deleted_at::text, updated_at::text, import_id::text FROM entities
          WHERE entity_schema = 'meter' AND attributes->>'meter_number' = ${number}
          ORDER BY created_at, id`,
    );
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  beforeAll(async () => {
    client = await openTestDb(kind);
  });

  afterAll(async () => {
    await client?.close();
  });

  it("restores a deleted meter: back in the lookups (the next import updates it), its relations and readings", async () => {
    const created = {
      contacts: [{ number: "C1", name: "Ada" }],
      meters: [{ number: "M1", owner: "C1" }],
      readings: [{ meter: "M1", id: "r1", at: "2026-01-01T00:00:00Z", value: 1 }],
    };
    await run(created);
    const [m1] = await meters("M1");
    const [c1] = await query<{ id: string }>(
      client.db,
      sql`SELECT id::text FROM entities WHERE entity_schema = 'contact'`,
    );
    const deleting = await run({ delete: [{ number: "M1" }] });
    expect(deleting.plan.entities.map((e) => [e.action, e.mode])).toEqual([["delete", "delete"]]);
    const [deleted] = await meters("M1");
    expect(deleted).toMatchObject({ id: m1?.id, import_id: deleting.importId });
    expect(deleted?.deleted_at).not.toBeNull();
    expect(await relatedEntities(client.db, c1?.id as string)).toEqual([]);

    const listed = await deletedEntitiesPage(client.db, {});
    expect(
      listed.rows.map((r) => [r.id, r.entity_schema, r.label, r.import_id, r.days_left]),
    ).toEqual([
      [m1?.id, "meter", [{ attribute: "meter_number", value: "M1" }], deleting.importId, 30],
    ]);
    expect(listed.schemas).toEqual(["meter"]);

    const restored = await restoreEntity(client, m1?.id as string);
    expect(restored).toEqual({
      id: m1?.id,
      entity_schema: "meter",
      label: "meter_number M1",
      deleted_by: deleting.importId,
      twin_checked: true,
    });
    const [back] = await meters("M1");
    expect(back?.deleted_at).toBeNull();
    expect(Date.parse(back?.updated_at as string)).toBeGreaterThan(
      Date.parse(deleted?.updated_at as string),
    );
    expect((await deletedEntitiesPage(client.db, {})).rows).toEqual([]);
    expect(
      (await relatedEntities(client.db, c1?.id as string)).map((r) => [r.direction, r.entity_id]),
    ).toEqual([["in", m1?.id]]);

    // The same payload again: the restored meter is found, nothing is created, the reading is there.
    const again = await run(created);
    expect(again.plan.entities.map((e) => [e.entity_schema, e.action, e.id])).toEqual([
      ["contact", "unchanged", c1?.id],
      ["meter", "unchanged", m1?.id],
    ]);
    expect(again.plan.summary).toMatchObject({ create: 0, unchanged: 1 });
    expect(await meters("M1")).toHaveLength(1);
  });

  it("refuses while a live meter holds the unique ids the deleting import found it by, naming it", async () => {
    await run({ meters: [{ number: "M2" }] });
    await run({ delete: [{ number: "M2" }] });
    // Out of every lookup, the deleted one lets the next payload create a new M2.
    await run({ meters: [{ number: "M2" }] });
    const [old, twin] = await meters("M2");
    const error = await refusal(restoreEntity(client, old?.id as string));
    expect(error.code).toBe("CONFLICT");
    expect(error.status).toBe(409);
    expect(error.message).toContain(`another live meter, ${twin?.id} (meter_number M2)`);
    expect(error.message).toContain("Delete that meter first");
    expect(error.details).toMatchObject({
      twin_ids: [twin?.id],
      unique_ids: { meter_number: "M2" },
    });
    expect((await meters("M2"))[0]?.deleted_at).not.toBeNull();

    // Once the twin is deleted in turn, the old one comes back.
    await run({ delete: [{ number: "M2" }] });
    await restoreEntity(client, old?.id as string);
    expect((await meters("M2")).map((m) => m.deleted_at === null)).toEqual([true, false]);
  });

  it("refuses past 30 days, when only the sweep is left", async () => {
    await run({ meters: [{ number: "M3" }] });
    await run({ delete: [{ number: "M3" }] });
    const [m3] = await meters("M3");
    const later = new Date(Date.now() + 31 * DAY);
    const page = await deletedEntitiesPage(client.db, { q: "M3" }, later);
    expect(page.rows.map((r) => [r.id, r.days_left])).toEqual([[m3?.id, 0]]);
    const error = await refusal(restoreEntity(client, m3?.id as string, later));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("more than 30 days ago");
    expect((await meters("M3"))[0]?.deleted_at).not.toBeNull();
    // 29 days on, it still can.
    await restoreEntity(client, m3?.id as string, new Date(Date.now() + 29 * DAY));
    expect((await meters("M3"))[0]?.deleted_at).toBeNull();
  });

  it("restores unchecked when no import recorded the delete", async () => {
    await run({ meters: [{ number: "M4" }] });
    const [m4] = await meters("M4");
    await client.db.execute(
      sql`UPDATE entities SET deleted_at = now(), import_id = NULL WHERE id = ${m4?.id}::uuid`,
    );
    const restored = await restoreEntity(client, m4?.id as string);
    expect(restored).toMatchObject({ id: m4?.id, deleted_by: null, twin_checked: false });
    expect((await meters("M4"))[0]?.deleted_at).toBeNull();
  });

  it("refuses a live entity (restored already) and answers NOT_FOUND for an unknown or malformed id", async () => {
    const [m1] = await meters("M1");
    const live = await refusal(restoreEntity(client, m1?.id as string));
    expect([live.code, live.message]).toEqual([
      "CONFLICT",
      "This meter (meter_number M1) is not deleted: it was restored already.",
    ]);
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      const missing = await refusal(restoreEntity(client, id));
      expect(missing.code).toBe("NOT_FOUND");
    }
  });

  it("waits for an import looking up the same key, then sees the twin it created", async () => {
    await run({ meters: [{ number: "M5" }] });
    await run({ delete: [{ number: "M5" }] });
    const [m5] = await meters("M5");
    // An import of M5 (which no longer finds the deleted one, so creates a new M5) holds its
    // locks until released.
    const later = await heldImport(client, {
      useCaseId: null,
      config,
      payload: { meters: [{ number: "M5" }] },
      trigger: "cli",
    });
    const order = later.order;
    const restore = restoreEntity(client, m5?.id as string).then(
      () => order.push("restored"),
      (e: AppError) => order.push(`restore refused: ${e.code}`),
    );
    await settle();
    expect(order).toEqual([]);
    later.release();
    await Promise.all([later.done, restore]);
    expect(order).toEqual(["import", "restore refused: CONFLICT"]);
    expect((await meters("M5")).map((m) => m.deleted_at === null)).toEqual([false, true]);
  });

  it("lists newest first in keyset pages, filtered by schema and by a key value", async () => {
    const numbers = Array.from({ length: 51 }, (_, i) => `P${String(i).padStart(3, "0")}`);
    await run({ meters: numbers.map((number) => ({ number })) });
    await run({ delete: numbers.map((number) => ({ number })) });
    await run({ contacts: [{ number: "C9", name: "Bob" }] });
    await client.db.execute(
      sql`UPDATE entities SET deleted_at = now() WHERE entity_schema = 'contact' AND attributes->>'customer_number' = 'C9'`,
    );
    const first = await deletedEntitiesPage(client.db, {});
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]?.entity_schema).toBe("contact");
    expect(first.rows[0]?.label).toEqual([
      { attribute: "customer_number", value: "C9" },
      { attribute: "name", value: "Bob" },
    ]);
    expect(first.next).not.toBeNull();
    const second = await deletedEntitiesPage(client.db, { cursor: first.next });
    expect(second.next).toBeNull();
    const all = [...first.rows, ...second.rows];
    const deletedNow = await query<{ id: string }>(
      client.db,
      sql`SELECT id::text FROM entities WHERE deleted_at IS NOT NULL`,
    );
    expect(new Set(all.map((r) => r.id))).toEqual(new Set(deletedNow.map((r) => r.id)));
    expect(all).toHaveLength(deletedNow.length);
    const times = all.map((r) => r.deleted_at);
    expect([...times].sort().reverse()).toEqual(times);

    const one = await deletedEntitiesPage(client.db, { q: "P007" });
    expect(one.rows.map((r) => r.label)).toEqual([[{ attribute: "meter_number", value: "P007" }]]);
    // With a schema, the value is looked up in that schema's keys only.
    const asMeter = await deletedEntitiesPage(client.db, { q: "P007", schema: "meter" });
    expect(asMeter.rows.map((r) => r.id)).toEqual(one.rows.map((r) => r.id));
    expect((await deletedEntitiesPage(client.db, { q: "P007", schema: "contact" })).rows).toEqual(
      [],
    );
    const contacts = await deletedEntitiesPage(client.db, { schema: "contact" });
    expect(contacts.rows.map((r) => r.entity_schema)).toEqual(["contact"]);
    expect(first.schemas).toEqual(["contact", "meter"]);
    const bad = await deletedEntitiesPage(client.db, { cursor: "nonsense" });
    expect(bad.ignored).toEqual(["cursor"]);
  });
});
