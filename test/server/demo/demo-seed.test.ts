import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import {
  findActiveKey,
  latestVersion,
  listIntegrations,
  listSamples,
  listUseCases,
  query,
} from "../../../db/repository";
import type { Plan } from "../../../lib/engine";
import { type DemoSeed, seedDemo } from "../../../lib/server/demo/demo-seed";
import { dryRunImport } from "../../../lib/server/imports/import-service";
import { hashApiKey } from "../../../lib/server/integrations/api-keys";
import { openTestDb, testDatabases } from "../../helpers/test-db";

async function count(client: DbClient, table: string, where = "true") {
  const [row] = await query<{ n: number }>(
    client.db,
    sql`SELECT count(*)::int AS n FROM ${sql.raw(table)} WHERE ${sql.raw(where)}`,
  );
  return row?.n ?? 0;
}

/** "create", "update", "skip:DUPLICATE", "error:METER_NOT_FOUND", ... of a plan, in order. */
const outcomes = (plan: Plan) =>
  plan.decisions.map((d) => (d.code ? `${d.action}:${d.code}` : d.action));

describe.each(await testDatabases())("the demo seed on %s", (kind) => {
  let client: DbClient;
  let seeded: DemoSeed | null;

  beforeAll(async () => {
    client = await openTestDb(kind);
    seeded = await seedDemo(client);
  });
  afterAll(() => client.close());

  it("creates the demo integration with a working API key", async () => {
    expect(seeded?.integration.name).toBe("Demo ERP");
    expect(seeded?.apiKey).toMatch(/^mms_/);
    const key = await findActiveKey(client.db, hashApiKey(seeded?.apiKey ?? ""));
    expect(key?.integrationId).toBe(seeded?.integration.id);
    expect(await listIntegrations(client.db)).toHaveLength(1);
  });

  it("creates ten meters with an HT and an NT counter each, indexed for lookup", async () => {
    expect(await count(client, "entities", "entity_schema = 'meter'")).toBe(10);
    expect(await count(client, "entities", "entity_schema = 'meter_counter'")).toBe(20);
    expect(
      await count(client, "entities", "entity_schema = 'meter_counter' AND meter_id IS NULL"),
    ).toBe(0);
    expect(await count(client, "entity_keys", "attribute = 'meter_number'")).toBe(10);
    expect(await count(client, "readings", "source = 'ECP'")).toBe(2);
  });

  it("publishes both use cases as version 1 with the draft equal to the published config", async () => {
    const useCases = await listUseCases(client.db, seeded?.integration.id ?? "");
    expect(useCases.map((u) => [u.slug, u.eventName])).toEqual([
      ["meter-readings", "MeterReadingsChanged"],
      ["meter-readings-tariffs", "TariffReadingsChanged"],
    ]);
    for (const useCase of useCases) {
      const version = await latestVersion(client.db, useCase.id);
      expect(version?.version).toBe(1);
      expect(useCase.draftConfig).toEqual(version?.config);
    }
    const first = await latestVersion(client.db, useCases[0]?.id ?? "");
    expect(first?.message).toBe("Demo: the product document's complete example, corrected");
  });

  it("runs the seed's complete example to an update of M001 and a create for M002", async () => {
    const plan = await dryRunSample("meter-readings", "Complete example (seed)");
    expect(outcomes(plan)).toEqual(["update", "create"]);
    expect(plan.decisions[0]?.reading).toMatchObject({
      external_id: "M001-2024-01-15",
      timestamp: "2024-01-15T08:00:00.000Z",
      value: "12500.5",
      source: "ERP",
      unit: "kWh",
      batch_id: "BATCH-2024-01-15",
    });
  });

  it("shows a create, an update, a DUPLICATE skip and a METER_NOT_FOUND in the daily batch", async () => {
    const plan = await dryRunSample("meter-readings", "Daily batch");
    expect(outcomes(plan)).toEqual([
      "create",
      "create",
      "skip:DUPLICATE",
      "update",
      "error:METER_NOT_FOUND",
    ]);
    expect(plan.decisions[4]?.details).toEqual({ meter_number: "M999" });
  });

  it("resolves the tariff readings to their meter's HT and NT counters", async () => {
    const plan = await dryRunSample("meter-readings-tariffs", "Daily HT/NT readings");
    // Config order: every HT reading, then every NT reading.
    expect(outcomes(plan)).toEqual([
      "update",
      "create",
      "error:METER_NOT_FOUND",
      "create",
      "skip:DUPLICATE",
      "error:METER_NOT_FOUND",
    ]);
    expect(plan.decisions.slice(0, 2).every((d) => d.counter?.id)).toBe(true);
  });

  it("stores the sample payloads of each use case", async () => {
    const names = async (slug: string) =>
      (await listSamples(client.db, await idOfUseCase(slug))).map((s) => s.name);
    expect(await names("meter-readings")).toEqual([
      "Complete example (seed)",
      "Daily batch",
      "Unknown meter",
    ]);
    expect(await names("meter-readings-tariffs")).toEqual([
      "Daily HT/NT readings",
      "Unknown meter",
    ]);
  });

  it("does nothing the second time", async () => {
    const before = await Promise.all(
      ["integrations", "api_keys", "use_cases", "config_versions", "entities", "readings"].map(
        (t) => count(client, t),
      ),
    );
    expect(await seedDemo(client)).toBeNull();
    const after = await Promise.all(
      ["integrations", "api_keys", "use_cases", "config_versions", "entities", "readings"].map(
        (t) => count(client, t),
      ),
    );
    expect(after).toEqual(before);
  });

  async function idOfUseCase(slug: string): Promise<string> {
    const useCases = await listUseCases(client.db, seeded?.integration.id ?? "");
    const found = useCases.find((u) => u.slug === slug);
    if (!found) throw new Error(`no use case ${slug}`);
    return found.id;
  }

  async function dryRunSample(slug: string, sample: string): Promise<Plan> {
    const id = await idOfUseCase(slug);
    const version = await latestVersion(client.db, id);
    const payload = (await listSamples(client.db, id)).find((s) => s.name === sample)?.payload;
    return dryRunImport(client, version?.config, payload);
  }
});
