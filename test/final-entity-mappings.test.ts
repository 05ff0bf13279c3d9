import { describe, expect, it } from "vitest";
import { compileConfig } from "../lib/engine";
import { finalEntityMappings } from "../lib/engine/final-entity-mappings";

/** Whether each mapping of `entities` is final (its creates can be written before the plan ends). */
function final(entities: unknown[]): boolean[] {
  const result = compileConfig({ entities });
  if (!result.ok) throw new Error(JSON.stringify(result.validation.errors));
  return finalEntityMappings(result.compiled.entities);
}

const mapping = (entity_schema: string, extra: Record<string, unknown> = {}) => ({
  entity_schema,
  unique_ids: ["number"],
  jsonataExpression: "items",
  fields: [{ attribute: "number", field: "number" }],
  ...extra,
});

const related = (kind: "relations" | "relation_refs", entity_schema: string) => ({
  attribute: `to_${entity_schema}`,
  [kind]: {
    operation: "_append",
    items: [
      {
        entity_schema,
        unique_ids: [{ attribute: "number", field: "number" }],
        ...(kind === "relation_refs"
          ? {
              path: "address",
              value: { attribute: "address", jsonataExpression: "{ 'street': street }" },
            }
          : {}),
      },
    ],
  },
});

describe("final entity mappings", () => {
  it("are those no later mapping writes a schema of", () => {
    // Meters, their counters, contracts relating both: nothing later changes what one creates.
    expect(
      final([
        mapping("meter"),
        mapping("meter_counter"),
        mapping("contract", {
          fields: [{ attribute: "number", field: "number" }, related("relations", "meter")],
        }),
      ]),
    ).toEqual([true, true, true]);
    // A later mapping of the same schema may update (or prune) what the first one created.
    expect(final([mapping("account"), mapping("contact"), mapping("contact")])).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("count stubs a mapping's relations create, and the entities later references change", () => {
    // The contract's relations may create contact stubs, which the later contact mapping updates.
    const contract = mapping("contract", {
      fields: [{ attribute: "number", field: "number" }, related("relations", "contact")],
    });
    expect(final([mapping("meter"), contract, mapping("contact")])).toEqual([true, false, false]);
    // A later reference puts its value into a contact: contacts created earlier are not final.
    const order = mapping("order", {
      fields: [{ attribute: "number", field: "number" }, related("relation_refs", "contact")],
    });
    expect(final([mapping("contact"), order])).toEqual([false, false]);
    // Later relations only find contacts (or create stubs of their own): nothing changes them.
    expect(
      final([
        mapping("contact"),
        mapping("order", {
          fields: [{ attribute: "number", field: "number" }, related("relations", "contact")],
        }),
      ]),
    ).toEqual([true, true]);
  });

  it("are only a leading run, and relation items an expression returns could be of any schema", () => {
    // The counters follow a mapping that is not final: their meters may not be written yet.
    expect(final([mapping("meter"), mapping("meter_counter"), mapping("meter")])).toEqual([
      false,
      false,
      false,
    ]);
    // A meter that goes takes its counters along.
    expect(final([mapping("meter_counter"), mapping("meter")])).toEqual([false, false]);
    const anyRelations = mapping("contract", {
      fields: [
        { attribute: "number", field: "number" },
        { attribute: "parties", relations: { operation: "_set", jsonataExpression: "parties" } },
      ],
    });
    expect(final([anyRelations, mapping("account")])).toEqual([false, false]);
    expect(final([mapping("account"), anyRelations])).toEqual([true, true]);
  });
});
