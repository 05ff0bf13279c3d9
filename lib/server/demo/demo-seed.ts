import "server-only";
import type { DbClient } from "../../../db/client";
import { listIntegrations, lockKeys, updateUseCase, upsertSample } from "../../../db/repository";
import { applyImport } from "../imports/import-service";
import { createIntegration } from "../integrations/integration-service";
import { publishBySlug } from "../integrations/use-case-service";
import {
  meterReadingsConfig,
  meterReadingsSamples,
  setupConfig,
  setupPayload,
  tariffReadingsConfig,
  tariffReadingsSamples,
} from "./demo-data";

/** Its own advisory lock class (see db/repository/locks.ts), so two servers never both seed. */
const DEMO_SEED_LOCK_CLASS = 100;

const DEMO_USE_CASES = [
  {
    slug: "meter-readings",
    name: "Meter readings (complete example)",
    eventName: "MeterReadingsChanged",
    config: meterReadingsConfig,
    message: "Demo: the product document's complete example, corrected",
    samples: meterReadingsSamples,
  },
  {
    slug: "meter-readings-tariffs",
    name: "HT/NT tariff readings",
    eventName: "TariffReadingsChanged",
    config: tariffReadingsConfig,
    message: "Demo: the product document's multi-tariff example, one item per counter",
    samples: tariffReadingsSamples,
  },
];

export interface DemoSeed {
  integration: { id: string; name: string };
  /** The integration's API key, in clear this once. */
  apiKey: string;
  useCases: { id: string; slug: string; version: number }[];
}

/**
 * Seeds the demo into a database without integrations; returns null (and writes nothing) when
 * there is any. All of it happens in one transaction, so a failed seed leaves an empty database
 * that the next start seeds again, never half a demo.
 */
export async function seedDemo(client: DbClient): Promise<DemoSeed | null> {
  return client.db.transaction(async (tx) => {
    await lockKeys(tx, DEMO_SEED_LOCK_CLASS, ["demo-seed"]);
    if ((await listIntegrations(tx)).length > 0) return null;
    // The services take a client; this one runs them inside the transaction (nested
    // transactions, such as an import's, become savepoints).
    const scoped: DbClient = { ...client, db: tx };
    const { integration, apiKey } = await createIntegration(scoped, "Demo ERP");
    await applyImport(scoped, {
      useCaseId: null,
      config: setupConfig,
      payload: setupPayload,
      trigger: "cli",
    });
    const useCases: DemoSeed["useCases"] = [];
    for (const demo of DEMO_USE_CASES) {
      const { useCase, version } = await publishBySlug(scoped, {
        integrationId: integration.id,
        slug: demo.slug,
        eventName: demo.eventName,
        config: demo.config,
        message: demo.message,
      });
      await updateUseCase(tx, useCase.id, { name: demo.name });
      for (const [name, payload] of Object.entries(demo.samples)) {
        await upsertSample(tx, useCase.id, name, payload);
      }
      useCases.push({ id: useCase.id, slug: useCase.slug, version: version.version });
    }
    return { integration: { id: integration.id, name: integration.name }, apiKey, useCases };
  });
}
