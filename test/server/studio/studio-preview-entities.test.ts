import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decisionOfEntity,
  type EntityRow,
  entityKind,
  isStoredId,
  relatedEntities,
} from "../../../components/preview/entity-rows";
import type { DbClient } from "../../../db/client";
import type { EntityDecision } from "../../../lib/engine";
import { type DemoSeed, seedDemo } from "../../../lib/server/demo/demo-seed";
import { applyImport } from "../../../lib/server/imports/import-service";
import { storedEntity } from "../../../lib/server/studio/stored-entity";
import { planApply, previewDraft } from "../../../lib/server/studio/studio-preview-service";
import { publishDraft } from "../../../lib/server/studio/studio-use-case-service";
import { entityPlanFixture } from "../../helpers/entity-plan-fixture";
import { openTestDb, testDatabases } from "../../helpers/test-db";

function unwrap<T>(result: { ok: true; data: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result.data;
}

const { config, stored, sample, id } = entityPlanFixture();

describe.each(await testDatabases())("entity decisions in the studio preview on %s", (kind) => {
  let client: DbClient;

  beforeAll(async () => {
    client = await openTestDb(kind);
    await applyImport(client, { useCaseId: null, config, payload: stored, trigger: "cli" });
  });
  afterAll(() => client?.close());

  async function preview() {
    const outcome = unwrap(
      await previewDraft(client, {
        configText: JSON.stringify(config),
        payloadText: JSON.stringify(sample),
      }),
    );
    if (outcome.kind !== "plan") throw new Error(`expected a plan, got ${outcome.kind}`);
    const rows = outcome.entities.map((decision, n): EntityRow => ({ decision, n }));
    const find = (schema: string, key: string, value: string) => {
      const row = rows.find(
        (r) => r.decision.entity_schema === schema && r.decision.unique_ids[key] === value,
      );
      if (!row) throw new Error(`no decision for ${schema} ${key}=${value}`);
      return row;
    };
    return { outcome, rows, find };
  }

  it("sends every kind of entity decision in plan order, stubs and prunes told apart", async () => {
    const { outcome, rows } = await preview();
    expect(outcome.entityMappings).toBe(4);
    const shown = (d: EntityDecision) =>
      [d.entity_schema, entityKind(d), d.code ?? "", Object.values(d.unique_ids).join()].join(" ");
    expect(rows.map((r) => shown(r.decision))).toEqual([
      `contact unchanged  ${id("C1")}`,
      `contact create  ${id("C3")}`,
      "contact error MISSING_IDENTIFIER ",
      `contract update  ${id("K1")}`,
      `contract unchanged  ${id("K2")}`,
      `contact stub RELATION_STUB ${id("C9")}`,
      `contract create  ${id("K4")}`,
      `contract prune PRUNED ${id("K3")}`,
      `meter update  ${id("M1")}`,
      `meter_counter unchanged  ${id("Z1")}`,
    ]);
    const prune = rows.find((r) => r.decision.code === "PRUNED")?.decision;
    expect(prune).toMatchObject({ action: "delete", mode: "delete" });
    expect(isStoredId(prune?.id ?? "")).toBe(true);
  });

  it("links a relation to the related entity's decision in the plan, else to the stored entity", async () => {
    const { rows, find } = await preview();
    const k4 = find("contract", "contract_number", id("K4"));
    const [customer] = relatedEntities(k4.decision.attributes);
    expect(customer).toMatchObject({ attribute: "customer", kind: "relation", schema: "contact" });
    expect(customer?.tags).toEqual(["PRIMARY"]);
    // K4's customer is the stub made just before it, under a provisional id.
    const stub = decisionOfEntity(rows, customer?.entityId ?? "", k4.n);
    expect(stub?.decision).toMatchObject({
      code: "RELATION_STUB",
      unique_ids: { customer_number: id("C9") },
    });
    expect(isStoredId(customer?.entityId ?? "")).toBe(false);

    // K1's customer C1 is stored, and the plan has its (unchanged) decision.
    const k1 = find("contract", "contract_number", id("K1"));
    const c1 = decisionOfEntity(
      rows,
      relatedEntities(k1.decision.attributes)[0]?.entityId ?? "",
      k1.n,
    );
    expect(c1?.decision).toMatchObject({
      action: "unchanged",
      unique_ids: { customer_number: id("C1") },
    });

    // M1's update names K4 in its changes: from K1 (stored) to K4 (created in this payload).
    const m1 = find("meter", "meter_number", id("M1"));
    const contract = relatedEntities(m1.decision.attributes)[0];
    expect(decisionOfEntity(rows, contract?.entityId ?? "", m1.n)).toBe(k4);
    expect(m1.decision.changes?.contract).toBeDefined();

    // K2's customer C2 is stored and not in the plan: the drawer loads it.
    const k2 = find("contract", "contract_number", id("K2"));
    const c2 = relatedEntities(k2.decision.attributes)[0]?.entityId ?? "";
    expect(decisionOfEntity(rows, c2, k2.n)).toBeNull();
    expect(isStoredId(c2)).toBe(true);
    const loaded = unwrap(await storedEntity(client, c2));
    expect(loaded).toMatchObject({
      id: c2,
      entitySchema: "contact",
      attributes: { customer_number: id("C2"), name: "Bob" },
      deletedAt: null,
      restorableUntil: null,
      meterId: null,
    });
    expect(loaded.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("links a reading decision's meter and counter to their entity decisions", async () => {
    const { outcome, rows, find } = await preview();
    const [reading] = outcome.decisions;
    expect(reading).toMatchObject({ action: "create" });
    expect(decisionOfEntity(rows, reading?.meter?.id ?? "")).toBe(
      find("meter", "meter_number", id("M1")),
    );
    expect(decisionOfEntity(rows, reading?.counter?.id ?? "")).toBe(
      find("meter_counter", "counter_number", id("Z1")),
    );
  });

  it("loads a counter with its meter, and a soft-deleted entity with the day it is purged", async () => {
    const { find } = await preview();
    const z1 = unwrap(
      await storedEntity(
        client,
        find("meter_counter", "counter_number", id("Z1")).decision.id ?? "",
      ),
    );
    expect(z1.meterId).toBe(find("meter", "meter_number", id("M1")).decision.id);

    const k3 = find("contract", "contract_number", id("K3")).decision.id ?? "";
    await applyImport(client, { useCaseId: null, config, payload: sample, trigger: "cli" });
    const pruned = unwrap(await storedEntity(client, k3));
    expect(pruned.deletedAt).not.toBeNull();
    expect(Date.parse(pruned.restorableUntil ?? "") - Date.parse(pruned.deletedAt ?? "")).toBe(
      30 * 86_400_000,
    );
  });

  it("answers an unknown or provisional entity id with not found, never a database error", async () => {
    for (const missing of ["00000000-0000-4000-8000-000000000000", "new:entity:0:1", "x'; drop"]) {
      expect(await storedEntity(client, missing)).toMatchObject({
        ok: false,
        code: "NOT_FOUND",
        message: "This entity is not stored (any more)",
      });
    }
  });

  it("counts the entity deletions for the apply confirmation: all, by pruning, purged", async () => {
    const demo = (await seedDemo(client)) as DemoSeed;
    const ref = { integrationId: demo.integration.id, slug: "meter-readings" };
    unwrap(await publishDraft(client, ref, JSON.stringify(config), "entities"));
    // A fresh portfolio: the earlier test's import pruned K3 from the first one.
    const fresh = entityPlanFixture("-apply");
    await applyImport(client, { useCaseId: null, config, payload: fresh.stored, trigger: "cli" });
    const planned = unwrap(await planApply(client, ref, JSON.stringify(fresh.sample)));
    expect(planned.entityDeletions).toEqual({ total: 1, pruned: 1, purged: 0 });

    const purging = structuredClone(config);
    (purging.entities[1] as { mode: string }).mode = "upsert-prune-scope-purge";
    unwrap(await publishDraft(client, ref, JSON.stringify(purging), "purge"));
    const purged = unwrap(await planApply(client, ref, JSON.stringify(fresh.sample)));
    expect(purged.entityDeletions).toEqual({ total: 1, pruned: 1, purged: 1 });
  });
});
