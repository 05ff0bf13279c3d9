import { describe, expect, it } from "vitest";
import {
  decisionOfEntity,
  type EntityRow,
  entityKind,
  relatedEntities,
  summarizeEntities,
} from "../../components/preview/entity-rows";
import type { EntityDecision } from "../../lib/engine";

const decision = (over: Partial<EntityDecision>): EntityDecision => ({
  item: 0,
  index: 0,
  entity_schema: "contact",
  action: "create",
  unique_ids: {},
  attributes: {},
  ...over,
});

describe("entity decisions as the preview shows them", () => {
  it("labels stubs and prunes apart and counts purges", () => {
    const decisions = [
      decision({ action: "create", code: "RELATION_STUB" }),
      decision({ action: "create" }),
      decision({ action: "delete", code: "PRUNED", mode: "purge" }),
      decision({ action: "delete", mode: "delete" }),
      decision({ action: "error", code: "MISSING_IDENTIFIER" }),
    ];
    expect(decisions.map(entityKind)).toEqual(["stub", "create", "prune", "delete", "error"]);
    expect(summarizeEntities(decisions)).toEqual({
      counts: {
        create: 1,
        stub: 1,
        update: 0,
        unchanged: 0,
        skip: 0,
        delete: 1,
        prune: 1,
        error: 1,
      },
      purged: 1,
      total: 5,
    });
  });

  it("reads relations and relation refs from stored attributes, and nothing else", () => {
    const refs = relatedEntities({
      name: "Ann",
      customer: {
        $relation: [
          { entity_id: "a", _schema: "contact", _tags: ["PRIMARY"] },
          { entity_id: "b", _schema: "contact" },
        ],
      },
      billing_address: { $relation_ref: [{ entity_id: "a", path: "address", _id: "addr-1" }] },
      odd: { $relation: [{ _schema: "contact" }, "x", null] },
      list: [{ $relation: [{ entity_id: "c" }] }],
    });
    expect(refs).toEqual([
      {
        attribute: "customer",
        kind: "relation",
        position: 0,
        entityId: "a",
        schema: "contact",
        tags: ["PRIMARY"],
      },
      { attribute: "customer", kind: "relation", position: 1, entityId: "b", schema: "contact" },
      {
        attribute: "billing_address",
        kind: "ref",
        position: 0,
        entityId: "a",
        path: "address",
        itemId: "addr-1",
      },
    ]);
  });

  it("links to the last decision about an entity before the link, else the first after", () => {
    const rows: EntityRow[] = [
      decision({ id: "a", action: "create" }),
      decision({ id: "b" }),
      decision({ id: "a", action: "update" }),
      decision({ id: "x", action: "create" }),
      decision({ id: "a", action: "unchanged" }),
    ].map((d, n) => ({ decision: d, n }));
    expect(decisionOfEntity(rows, "a", 3)?.n).toBe(2);
    expect(decisionOfEntity(rows, "a", 1)?.n).toBe(0);
    expect(decisionOfEntity(rows, "a", 0)?.n).toBe(2);
    expect(decisionOfEntity(rows, "a")?.n).toBe(4);
    expect(decisionOfEntity(rows, "nope", 2)).toBeNull();
  });
});
