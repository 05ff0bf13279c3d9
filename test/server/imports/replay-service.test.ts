import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbClient, useDbForTests } from "../../../db/client";
import { findImportRow, query } from "../../../db/repository";
import { AppError } from "../../../lib/server/http/app-error";
import { applyReplay, planReplay } from "../../../lib/server/imports/replay-service";
import { createUseCase, publishBySlug } from "../../../lib/server/integrations/use-case-service";
import {
  type ApiWorld,
  eventResults,
  openApiWorld,
  postEventList,
  readingsConfig,
} from "../../helpers/api-fixtures";
import { testDatabases } from "../../helpers/test-db";

/** The route world's configuration with a fix: a decimal comma becomes a point. */
const fixedConfig = {
  meter_readings: [
    {
      ...readingsConfig.meter_readings[0],
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", jsonataExpression: "$replace($string(value), ',', '.')" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

const payload = {
  readings: [
    { meter: "M1", id: "r1", at: "2024-03-01", value: "10" },
    { meter: "M1", id: "r2", at: "2024-03-02", value: "12,5" },
    { meter: "M2", id: "r3", at: "2024-03-03", value: "30" },
  ],
};

function storedValues(client: DbClient) {
  return query<{ external_id: string; value: string; import_id: string }>(
    client.db,
    sql`SELECT external_id, value::text AS value, import_id::text FROM readings
        WHERE external_id LIKE 'r%' OR external_id LIKE 'x%' ORDER BY external_id`,
  );
}

async function refused(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(await testDatabases())("replay on %s", (kind) => {
  let world: ApiWorld;

  beforeAll(async () => {
    world = await openApiWorld(kind);
    useDbForTests(world.client);
  });
  afterAll(async () => {
    useDbForTests(undefined);
    await world?.client.close();
  });

  it("replays a success event after a configuration fix: the failed reading goes from error to create", async () => {
    const [result] = await eventResults(
      await postEventList(world, [{ use_case_slug: "readings", payload }]),
    );
    expect(result).toMatchObject({ status: "success", summary: { create: 2, error: 1 } });
    const eventId = result?.event_id as string;
    const originalId = result?.import_id as string;

    // Unfixed, the replay would do nothing new: the stored readings are unchanged, r2 still fails.
    const same = await planReplay(world.client, eventId, "published");
    expect(same.original?.id).toBe(originalId);
    expect(same.diff.counts).toMatchObject({ action: 2, same: 1, new: 0, vanished: 0 });
    expect(same.diff.rows.map((r) => [r.key, r.before?.action, r.after?.action])).toEqual([
      ["0:0", "create", "unchanged"],
      ["0:2", "create", "unchanged"],
    ]);

    await publishBySlug(world.client, {
      integrationId: world.integrationId,
      slug: "readings",
      config: fixedConfig,
      message: "decimal comma",
    });
    const fixed = await planReplay(world.client, eventId, "published");
    expect(fixed.config.version?.version).toBe(2);
    expect(fixed.plan.summary).toMatchObject({ create: 1, unchanged: 2, error: 0 });
    const r2 = fixed.diff.rows.find((r) => r.key === "0:1");
    expect(r2).toMatchObject({
      kind: "action",
      before: { action: "error", code: "INVALID_READING_VALUE" },
      after: { action: "create", reading: { external_id: "r2", value: "12.5" } },
      // An error maps no reading to compare values with: its message says what was wrong.
      changed: [],
    });
    expect(r2?.before?.message).toBe("Invalid reading value");

    // A fingerprint of another plan is refused, writing nothing.
    const stale = await refused(
      applyReplay(world.client, eventId, {
        choice: "published",
        versionId: fixed.config.version?.id,
        confirmed: { fingerprint: same.fingerprint, summary: same.plan.summary },
      }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect((await storedValues(world.client)).map((r) => r.external_id)).toEqual(["r1", "r3"]);

    const applied = await applyReplay(world.client, eventId, {
      choice: "published",
      versionId: fixed.config.version?.id,
      confirmed: { fingerprint: fixed.fingerprint, summary: fixed.plan.summary },
    });
    expect(applied.summary).toMatchObject({ create: 1, unchanged: 2 });
    expect(await findImportRow(world.client.db, applied.importId)).toMatchObject({
      trigger: "replay",
      replayOf: originalId,
      inboundEventId: eventId,
      configVersion: 2,
    });
    expect(await storedValues(world.client)).toEqual([
      { external_id: "r1", value: "10", import_id: originalId },
      { external_id: "r2", value: "12.5", import_id: applied.importId },
      { external_id: "r3", value: "30", import_id: originalId },
    ]);

    // Opened from the replay import, the replay compares with that import.
    const again = await planReplay(world.client, applied.importId, "published");
    expect(again.original?.id).toBe(applied.importId);
    expect(again.diff.rows.map((r) => [r.key, r.before?.action, r.after?.action])).toEqual([
      ["0:1", "create", "unchanged"],
    ]);
  });

  it("classifies value changes, new and vanished readings against the original import", async () => {
    const [result] = await eventResults(
      await postEventList(world, [
        {
          use_case_slug: "readings",
          payload: {
            readings: [
              { meter: "M1", id: "x1", at: "2024-04-01", value: "1" },
              { meter: "M9", id: "x2", at: "2024-04-02", value: "2" },
            ],
          },
        },
      ]),
    );
    const eventId = result?.event_id as string;
    // The draft maps another value and extracts one reading fewer, from another list.
    const draft = {
      meter_readings: [
        {
          ...fixedConfig.meter_readings[0],
          jsonataExpression: "readings[id = 'x1']",
          fields: [
            { attribute: "external_id", field: "id" },
            { attribute: "timestamp", field: "at" },
            { attribute: "value", jsonataExpression: "value & '0'" },
            { attribute: "source", constant: "ERP" },
          ],
        },
      ],
    };
    await world.client.db.execute(
      sql`UPDATE use_cases SET draft_config = ${JSON.stringify(draft)}::jsonb, draft_updated_at = now()
          WHERE slug = 'readings'`,
    );
    const preview = await planReplay(world.client, eventId, "draft");
    expect(preview.config).toMatchObject({ choice: "draft", version: null });
    expect(preview.diff.rows).toEqual([
      expect.objectContaining({
        key: "0:0",
        kind: "action",
        before: expect.objectContaining({
          action: "create",
          reading: expect.objectContaining({ value: "1" }),
        }),
        after: expect.objectContaining({
          action: "update",
          reading: expect.objectContaining({ value: "10" }),
        }),
        changed: ["value"],
      }),
      expect.objectContaining({ key: "0:1", kind: "vanished", after: null }),
    ]);
    expect(preview.diff.rows[1]?.before).toMatchObject({
      action: "error",
      code: "METER_NOT_FOUND",
    });

    // A draft saved again since the dry run is refused.
    await world.client.db.execute(
      sql`UPDATE use_cases SET draft_updated_at = now() + interval '1 second' WHERE slug = 'readings'`,
    );
    const refusal = await refused(
      applyReplay(world.client, eventId, {
        choice: "draft",
        draftUpdatedAt: preview.config.draftUpdatedAt,
        confirmed: { fingerprint: preview.fingerprint, summary: preview.plan.summary },
      }),
    );
    expect(refusal.message).toMatch(/draft was saved again/);
  });

  it("replays an error event, where nothing was written, once the use case is published", async () => {
    await createUseCase(world.client, { integrationId: world.integrationId, slug: "later" });
    const [result] = await eventResults(
      await postEventList(world, [
        {
          use_case_slug: "later",
          payload: { readings: [{ meter: "M2", id: "z1", at: "2024-05-01", value: "5" }] },
        },
      ]),
    );
    expect(result).toMatchObject({ status: "error" });
    const eventId = result?.event_id as string;
    const unpublished = await refused(planReplay(world.client, eventId, "published"));
    expect(unpublished.message).toMatch(/no published configuration/);

    await publishBySlug(world.client, {
      integrationId: world.integrationId,
      slug: "later",
      config: readingsConfig,
    });
    const preview = await planReplay(world.client, eventId, "published");
    expect(preview.original).toBeNull();
    expect(preview.diff.counts).toMatchObject({ new: 1, action: 0, same: 0 });
    expect(preview.diff.rows[0]).toMatchObject({
      kind: "new",
      before: null,
      after: { action: "create" },
    });
    const applied = await applyReplay(world.client, eventId, {
      choice: "published",
      versionId: preview.config.version?.id,
      confirmed: { fingerprint: preview.fingerprint, summary: preview.plan.summary },
    });
    expect(await findImportRow(world.client.db, applied.importId)).toMatchObject({
      trigger: "replay",
      replayOf: null,
      inboundEventId: eventId,
    });
  });

  it("refuses what cannot be replayed: an unknown id, an ignored event", async () => {
    expect((await refused(planReplay(world.client, "nope", "published"))).code).toBe("NOT_FOUND");
    const [ignored] = await eventResults(
      await postEventList(world, [{ use_case_slug: "readngs", payload }]),
    );
    const error = await refused(planReplay(world.client, ignored?.event_id as string, "published"));
    expect(error.message).toContain('slug "readngs"');
  });
});
