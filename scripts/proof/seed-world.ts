import type { DbClient } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";
import { createUser } from "../../lib/server/auth/users-service";
import { applyImport } from "../../lib/server/imports/import-service";
import { issueApiKey } from "../../lib/server/integrations/api-keys";
import { createIntegration } from "../../lib/server/integrations/integration-service";
import { createUseCase, publishBySlug } from "../../lib/server/integrations/use-case-service";
import { revokeStudioApiKey } from "../../lib/server/studio/studio-service";
import { createMeters } from "../seed-meters";
import { READINGS_CONFIG } from "./arbitraries/configs";
import { installCommitOrder } from "./commit-order";
import {
  dayStamp,
  EVENT_NAME,
  FAULT_METERS,
  LOAD_METERS,
  OTHER_SLUG,
  RACE_SCENARIOS,
  RACE_STORED,
  raceMeters,
  SLUG,
  UNPUBLISHED_SLUG,
  type World,
} from "./world";

/**
 * Migrates a fresh database and seeds it (before a server opens it: a PGlite folder has one
 * process at a time): two integrations with keys, one revoked; the published `readings` use
 * case; the meters of the concurrency, fault and load parts; the race meters' stored readings;
 * a consultant's account; and the proof's commit-order bookkeeping.
 */
export async function seedWorld(client: DbClient): Promise<World> {
  await migrateDatabase(client);
  await installCommitOrder(client);
  const { integration, apiKey } = await createIntegration(client, "Proof ERP");
  const revoked = await issueApiKey(client, integration.id, "revoked");
  await revokeStudioApiKey(client, { integrationId: integration.id, keyId: revoked.record.id });
  await publishBySlug(client, {
    integrationId: integration.id,
    slug: SLUG,
    eventName: EVENT_NAME,
    config: READINGS_CONFIG,
    message: "proof",
  });
  await createUseCase(client, { integrationId: integration.id, slug: UNPUBLISHED_SLUG });
  const other = await createIntegration(client, "Other ERP");
  await publishBySlug(client, {
    integrationId: other.integration.id,
    slug: OTHER_SLUG,
    config: READINGS_CONFIG,
    message: "other",
  });
  await createMeters(client, [
    ...RACE_SCENARIOS.flatMap(raceMeters),
    ...FAULT_METERS,
    ...LOAD_METERS,
  ]);
  await applyImport(client, {
    useCaseId: null,
    config: READINGS_CONFIG,
    payload: {
      readings: RACE_SCENARIOS.flatMap(raceMeters).flatMap((meterId) =>
        Array.from({ length: RACE_STORED }, (_, k) => ({
          meterId,
          id: `S-${k}`,
          timestamp: dayStamp(k),
          value: 100 + k,
          unit: "kWh",
        })),
      ),
    },
    trigger: "cli",
  });
  const account = await createUser(client, { email: "proof@example.org", role: "consultant" });
  return {
    integrationId: integration.id,
    apiKey,
    revokedKey: revoked.key,
    otherIntegrationId: other.integration.id,
    otherKey: other.apiKey,
    account: { email: account.user.email, oneTimePassword: account.oneTimePassword },
  };
}
