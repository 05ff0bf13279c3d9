import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileConfig, type ExistingState, planImport, simulateMapping } from "../lib/engine";

/**
 * Properties of entity planning over generated payloads and stored states (SPEC-ENTITIES): it
 * never throws, planning twice gives equal plans, every relation resolves to an entity that is
 * stored or made earlier in the plan, and no entity is deleted twice.
 */

const config = {
  entities: [
    {
      entity_schema: "contact",
      unique_ids: ["customer_number"],
      jsonataExpression: "contacts",
      fields: [
        { attribute: "customer_number", field: "no" },
        { attribute: "email", field: "mail", _type: "email" },
        { attribute: "tags", jsonataExpression: '{ "_append": tags }' },
      ],
    },
    {
      entity_schema: "contract",
      unique_ids: ["n"],
      jsonataExpression: "contracts",
      mode: "upsert-prune-scope-delete",
      scope: { scope_mode: "query", query: [{ attribute: "kind", constant: "X" }] },
      fields: [
        { attribute: "n", field: "n" },
        { attribute: "kind", constant: "X" },
        {
          attribute: "customer",
          relations: {
            operation: "_append",
            items: [
              {
                entity_schema: "contact",
                unique_ids: [{ attribute: "customer_number", field: "customer" }],
              },
            ],
          },
        },
        {
          attribute: "address",
          relation_refs: {
            operation: "_set",
            items: [
              {
                entity_schema: "contact",
                unique_ids: [{ attribute: "customer_number", field: "customer" }],
                path: "address",
                value: { attribute: "address", operation: "_append", field: "street" },
              },
            ],
          },
        },
      ],
    },
    {
      entity_schema: "contact",
      unique_ids: ["customer_number"],
      mode: "delete",
      jsonataExpression: "gone",
      fields: [{ attribute: "customer_number", field: "no" }],
    },
  ],
};

const id = fc.constantFrom("A", "B", "C", "", "D");
const payloadArb = fc.record({
  contacts: fc.array(
    fc.record({
      no: id,
      mail: fc.option(fc.constantFrom("a@x.de", "b@x.de"), { nil: undefined }),
      tags: fc.array(fc.constantFrom("t1", "t2"), { maxLength: 2 }),
    }),
    { maxLength: 4 },
  ),
  contracts: fc.array(
    fc.record({
      n: fc.constantFrom("K1", "K2", "K3"),
      customer: id,
      street: fc.option(fc.constantFrom("S1", "S2"), { nil: undefined }),
    }),
    { maxLength: 4 },
  ),
  gone: fc.array(fc.record({ no: id }), { maxLength: 2 }),
});
const stateArb: fc.Arbitrary<ExistingState> = fc
  .record({
    contacts: fc.uniqueArray(fc.constantFrom("A", "B", "C"), { maxLength: 3 }),
    contracts: fc.uniqueArray(fc.constantFrom("K1", "K2", "K4"), { maxLength: 3 }),
    twin: fc.boolean(),
  })
  .map(({ contacts, contracts, twin }) => ({
    entities: [
      ...contacts.map((c) => ({
        id: `c-${c}`,
        entity_schema: "contact",
        attributes: { customer_number: c, email: [{ email: "a@x.de" }] },
      })),
      // A second contact A makes every relation to A ambiguous.
      ...(twin
        ? [{ id: "c-A2", entity_schema: "contact", attributes: { customer_number: "A" } }]
        : []),
      ...contracts.map((n) => ({
        id: `k-${n}`,
        entity_schema: "contract",
        attributes: { n, kind: "X" },
      })),
    ],
  }));

describe("entity planning over generated payloads and states", () => {
  const compiled = compileConfig(config);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.validation.errors));

  it("never throws, plans twice alike, resolves every relation, deletes nothing twice", async () => {
    await fc.assert(
      fc.asyncProperty(payloadArb, stateArb, async (payload, state) => {
        const plan = await planImport(compiled.compiled, payload, state);
        const again = await planImport(compiled.compiled, payload, state);
        expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(plan)));
        const known = new Set((state.entities ?? []).map((e) => e.id));
        const deleted = new Set<string>();
        for (const d of plan.entities) {
          for (const value of Object.values(d.attributes)) {
            const list = (value as { $relation?: { entity_id: string }[] })?.$relation;
            for (const r of list ?? []) expect(known.has(r.entity_id)).toBe(true);
          }
          if (d.action === "create" && d.id) known.add(d.id);
          if (d.action === "delete" && d.id) {
            expect(deleted.has(d.id)).toBe(false);
            deleted.add(d.id);
            known.delete(d.id);
          }
          if (d.code === "AMBIGUOUS_RELATION") expect(d.action).toBe("error");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("simulates any generated payload without throwing; an input that does not map is warned about", async () => {
    await fc.assert(
      fc.asyncProperty(payloadArb, async (payload) => {
        const simulation = await simulateMapping(compiled.compiled, payload);
        const inputs = payload.contacts.length + payload.contracts.length + payload.gone.length;
        const unmapped = [...payload.contacts, ...payload.gone].filter((c) => c.no === "").length;
        expect(simulation.entity_updates).toHaveLength(inputs - unmapped);
        // Warnings repeat once: many inputs without an id are one MISSING_IDENTIFIER per mapping.
        const missing = simulation.warnings.filter(
          (w) => "code" in w && w.code === "MISSING_IDENTIFIER",
        );
        expect(missing.length > 0).toBe(unmapped > 0);
      }),
      { numRuns: 150 },
    );
  });
});
