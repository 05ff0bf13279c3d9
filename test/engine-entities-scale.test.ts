import { describe, expect, it } from "vitest";
import { compileConfig, type EntityDecision, planImport, simulateMapping } from "../lib/engine";

const CONTRACTS = 10_000;

/** Contracts, each with a meter and two counters, related: contract -> contact, meter -> contract, counter -> meter. */
const config = {
  entities: [
    {
      entity_schema: "contract",
      unique_ids: ["contract_number"],
      jsonataExpression: "contracts",
      fields: [
        { attribute: "contract_number", field: "contract_number" },
        { attribute: "status", field: "status" },
        {
          attribute: "customer",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "contact",
                _tags: ["PRIMARY"],
                unique_ids: [{ attribute: "customer_number", field: "customer" }],
              },
            ],
          },
        },
      ],
    },
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "contracts",
      fields: [
        { attribute: "meter_number", field: "meter_number" },
        {
          attribute: "contract",
          relations: {
            operation: "_append",
            items: [
              {
                entity_schema: "contract",
                unique_ids: [{ attribute: "contract_number", field: "contract_number" }],
              },
            ],
          },
        },
      ],
    },
    {
      entity_schema: "meter_counter",
      unique_ids: ["obis"],
      jsonataExpression: "contracts.counters",
      fields: [
        { attribute: "obis", field: "obis" },
        { attribute: "meter", jsonataExpression: '{ "meter_number": meter_number }' },
        {
          attribute: "belongs_to",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "meter",
                unique_ids: [{ attribute: "meter_number", field: "meter_number" }],
              },
            ],
          },
        },
      ],
    },
  ],
};

const n = (i: number) => String(i).padStart(5, "0");

const payload = {
  contracts: Array.from({ length: CONTRACTS }, (_, i) => ({
    contract_number: `K-${n(i)}`,
    // Odd contracts change their status; even ones are sent as stored.
    status: i % 2 === 0 ? "active" : "ended",
    customer: `C-${n(i % 5_000)}`,
    meter_number: `M-${n(i)}`,
    counters: [
      { meter_number: `M-${n(i)}`, obis: "1.8.1" },
      { meter_number: `M-${n(i)}`, obis: "1.8.2" },
    ],
  })),
};

/** 10k stored contracts, related to their stored contacts; contacts exist for half the customers. */
const state = {
  entities: [
    ...Array.from({ length: 2_500 }, (_, c) => ({
      id: `contact-${c}`,
      entity_schema: "contact",
      attributes: { customer_number: `C-${n(c)}` },
    })),
    ...Array.from({ length: CONTRACTS }, (_, i) => ({
      id: `contract-${i}`,
      entity_schema: "contract",
      attributes: {
        contract_number: `K-${n(i)}`,
        status: "active",
        customer: {
          $relation:
            i % 5_000 < 2_500
              ? [{ entity_id: `contact-${i % 5_000}`, _schema: "contact", _tags: ["PRIMARY"] }]
              : [],
        },
      },
    })),
  ],
};

const count = (ds: readonly EntityDecision[], f: (d: EntityDecision) => boolean) =>
  ds.filter(f).length;

describe("a 10k-entity payload with relations", () => {
  it("plans 10k contracts with a meter, two counters and their relations against 10k stored contracts", async () => {
    const compiled = compileConfig(config);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.validation.errors));
    const started = performance.now();
    const plan = await planImport(compiled.compiled, payload, state);
    const ms = performance.now() - started;
    const ds = plan.entities;
    const contracts = ds.filter((d) => d.entity_schema === "contract");
    // Customers C-02500 .. C-04999 are not stored: each becomes one stub, made once, before the
    // first contract that names it; contracts of stored customers keep their relation.
    const stubs = ds.filter((d) => d.code === "RELATION_STUB");
    expect(stubs).toHaveLength(2_500);
    expect(new Set(stubs.map((d) => d.unique_ids.customer_number)).size).toBe(2_500);
    expect(contracts).toHaveLength(CONTRACTS);
    // Even contracts of stored customers are sent as stored: unchanged; the rest update.
    expect(count(contracts, (d) => d.action === "unchanged")).toBe(2_500);
    expect(count(contracts, (d) => d.action === "update")).toBe(7_500);
    const k3 = contracts[3] as EntityDecision;
    expect(k3.attributes.customer).toEqual({
      $relation: [{ entity_id: "contact-3", _schema: "contact", _tags: ["PRIMARY"] }],
    });
    const k2600 = contracts[2_600] as EntityDecision;
    const stub = stubs.find((d) => d.unique_ids.customer_number === "C-02600") as EntityDecision;
    expect(k2600.attributes.customer).toEqual({
      $relation: [{ entity_id: stub.id, _schema: "contact", _tags: ["PRIMARY"] }],
    });
    // Meters are new and relate to their stored contract; counters to their new meter.
    const meters = ds.filter((d) => d.entity_schema === "meter");
    expect(count(meters, (d) => d.action === "create")).toBe(CONTRACTS);
    expect(meters[7]?.attributes.contract).toEqual({
      $relation: [{ entity_id: "contract-7", _schema: "contract" }],
    });
    const counters = ds.filter((d) => d.entity_schema === "meter_counter");
    expect(count(counters, (d) => d.action === "create")).toBe(2 * CONTRACTS);
    expect(counters[15]?.meter_id).toBe(meters[7]?.id);
    expect(counters[15]?.attributes.belongs_to).toEqual({
      $relation: [{ entity_id: meters[7]?.id, _schema: "meter" }],
    });
    expect(count(ds, (d) => d.action === "error")).toBe(0);
    expect(ds).toHaveLength(2_500 + CONTRACTS + CONTRACTS + 2 * CONTRACTS);
    // Generous: about a second here; the point is that nothing is quadratic in the entities.
    expect(ms).toBeLessThan(20_000);
  }, 60_000);

  it("simulates the same payload: 40k updates, relations unresolved", async () => {
    const compiled = compileConfig(config);
    if (!compiled.ok) throw new Error("invalid");
    const simulation = await simulateMapping(compiled.compiled, payload);
    expect(simulation.entity_updates).toHaveLength(4 * CONTRACTS);
    expect(simulation.entity_updates[CONTRACTS + 1]).toEqual({
      entity_slug: "meter",
      mode: "upsert",
      unique_identifiers: { meter_number: "M-00001" },
      attributes: {
        meter_number: "M-00001",
        contract: {
          $relation: {
            _append: [{ $entity_unique_ids: { contract_number: "K-00001" }, _schema: "contract" }],
          },
        },
      },
    });
    expect(simulation.warnings).toEqual([]);
  }, 60_000);
});
