import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { applyImport } from "../../../lib/server/imports/import-service";
import { supportDetail } from "../../../lib/server/support/detail-service";
import { entityPlanFixture } from "../../helpers/entity-plan-fixture";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const { config, stored, sample, id } = entityPlanFixture();

describe.each(await testDatabases())(
  "an import's entity decisions on its support page on %s",
  (kind) => {
    let client: DbClient;

    beforeAll(async () => {
      client = await openTestDb(kind);
    });
    afterAll(() => client?.close());

    it("sends the recorded entity decisions in plan order, also when readings name a meter the same import created", async () => {
      const first = await applyImport(client, {
        useCaseId: null,
        config,
        payload: stored,
        trigger: "cli",
      });
      const second = await applyImport(client, {
        useCaseId: null,
        config,
        payload: sample,
        trigger: "cli",
      });
      const before = await supportDetail(client.db, first.importId);
      expect(before?.import?.entityCount).toBe(7);
      expect(before?.import?.entities.map((e) => e.action)).toEqual(Array(7).fill("create"));

      const after = (await supportDetail(client.db, second.importId))?.import;
      expect(after?.entityCount).toBe(10);
      const prune = after?.entities.find((e) => e.code === "PRUNED");
      expect(prune).toMatchObject({ action: "delete", unique_ids: { contract_number: id("K3") } });
      expect(after?.entities.map((e) => e.action)).toEqual([
        "unchanged",
        "create",
        "error",
        "update",
        "unchanged",
        "create",
        "create",
        "delete",
        "update",
        "unchanged",
      ]);
    });
  },
);
