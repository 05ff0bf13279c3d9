import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { toActionResult } from "../../../lib/server/http/action-result";
import {
  createStudioApiKey,
  createStudioIntegration,
  createStudioUseCase,
  getIntegrationOverview,
  listIntegrationSummaries,
  renameStudioIntegration,
  revokeStudioApiKey,
  updateStudioUseCase,
} from "../../../lib/server/studio/studio-service";
import { openTestDb, testDatabases } from "../../helpers/test-db";

describe.each(await testDatabases())(
  "the studio service (integrations, use cases, keys) on %s",
  (kind) => {
    let client: DbClient;
    let integrationId: string;

    beforeAll(async () => {
      client = await openTestDb(kind);
      ({ integrationId } = await createStudioIntegration(client, { name: "  SAP IS-U  " }));
    });
    afterAll(() => client.close());

    it("lists integrations with their use case and live key counts", async () => {
      await createStudioUseCase(client, {
        integrationId,
        slug: "counted",
        name: "",
        eventName: "",
      });
      const { keyId } = await createStudioApiKey(client, { integrationId, name: "spare" });
      await revokeStudioApiKey(client, { integrationId, keyId });

      const [summary] = await listIntegrationSummaries(client);
      expect(summary).toMatchObject({ name: "SAP IS-U", useCaseCount: 1, activeKeyCount: 1 });
    });

    it("turns an invalid slug into a field error that names the rule", async () => {
      const result = await toActionResult(() =>
        createStudioUseCase(client, { integrationId, slug: "Meter Readings!" }),
      );
      expect(result).toMatchObject({
        ok: false,
        fieldErrors: { slug: [expect.stringMatching(/slug/)] },
      });
    });

    it("refuses names holding a NUL character or a lone surrogate, next to that field", async () => {
      for (const text of ["nul\u0000", "sur\ud800"]) {
        const result = await toActionResult(() =>
          createStudioUseCase(client, { integrationId, slug: "odd", name: text, eventName: text }),
        );
        expect(result).toMatchObject({
          ok: false,
          fieldErrors: { name: [expect.any(String)], eventName: [expect.any(String)] },
        });
      }
    });

    it("refuses a second use case with the same slug or event name, next to that field", async () => {
      await createStudioUseCase(client, { integrationId, slug: "readings", eventName: "Changed" });
      const sameSlug = await toActionResult(() =>
        createStudioUseCase(client, { integrationId, slug: "readings" }),
      );
      expect(sameSlug).toMatchObject({ ok: false, fieldErrors: { slug: [expect.any(String)] } });
      const sameEvent = await toActionResult(() =>
        createStudioUseCase(client, { integrationId, slug: "other", eventName: "Changed" }),
      );
      expect(sameEvent).toMatchObject({
        ok: false,
        fieldErrors: { eventName: [expect.any(String)] },
      });
    });

    it("renames a use case and clears its event name, keeping the slug", async () => {
      await createStudioUseCase(client, { integrationId, slug: "tariffs", eventName: "Tariffs" });
      // Its own event name is not a conflict.
      await updateStudioUseCase(client, {
        integrationId,
        slug: "tariffs",
        name: "HT/NT",
        eventName: "Tariffs",
      });
      await updateStudioUseCase(client, {
        integrationId,
        slug: "tariffs",
        name: "HT/NT",
        eventName: "",
      });
      const { useCases } = await getIntegrationOverview(client, integrationId);
      expect(useCases.find((u) => u.slug === "tariffs")).toMatchObject({
        name: "HT/NT",
        eventName: null,
        latestVersion: null,
        lastImport: null,
      });
    });

    it("revokes a key once; the second time is a form message, not a crash", async () => {
      const { keyId, apiKey, keyPrefix } = await createStudioApiKey(client, {
        integrationId,
        name: "",
      });
      expect(apiKey.startsWith(keyPrefix)).toBe(true);
      await revokeStudioApiKey(client, { integrationId, keyId });
      const again = await toActionResult(() =>
        revokeStudioApiKey(client, { integrationId, keyId }),
      );
      expect(again).toMatchObject({ ok: false, fieldErrors: {} });
      const { apiKeys } = await getIntegrationOverview(client, integrationId);
      expect(apiKeys.find((key) => key.id === keyId)?.revokedAt).toBeInstanceOf(Date);
    });

    it("treats an id that is not a uuid as not found", async () => {
      await expect(getIntegrationOverview(client, "not-an-id")).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      const renamed = await toActionResult(() =>
        renameStudioIntegration(client, { integrationId: "x", name: "New" }),
      );
      expect(renamed).toMatchObject({
        ok: false,
        fieldErrors: { integrationId: [expect.any(String)] },
      });
    });

    it("refuses an empty integration name", async () => {
      const result = await toActionResult(() =>
        renameStudioIntegration(client, { integrationId, name: "   " }),
      );
      expect(result).toMatchObject({
        ok: false,
        fieldErrors: { name: ["Give the integration a name"] },
      });
    });
  },
);
