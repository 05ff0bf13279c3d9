import { describe, expect, it } from "vitest";
import {
  compileConfig,
  type ExistingState,
  type LateEntities,
  mappingSchemas,
  planPreparedWithWrites,
  prepareImport,
  readingLookupKeys,
  type StateEntity,
} from "../lib/engine";
import type { CompiledEntityItem } from "../lib/engine/compile-entities";
import { metersThenContracts, metersThenContractsPayload } from "./helpers/meters-then-contracts";

// The contracts arrive while the meters and counters are planned; readings on a meter besides.
const config = {
  ...metersThenContracts,
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "v" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

const payload = {
  ...metersThenContractsPayload,
  readings: [{ id: "r1", meter: "M1", at: "2026-01-01T00:00:00Z", v: 1 }],
};

// K1 is stored: an update, where K2 is a create. A soft-deleted K2 stays out of every lookup.
const contracts: StateEntity[] = [
  { id: "k1", entity_schema: "contract", attributes: { contract_number: "K1", status: "draft" } },
  {
    id: "k2-deleted",
    entity_schema: "contract",
    attributes: { contract_number: "K2", status: "draft" },
    deleted_at: "2026-01-01T00:00:00Z",
  },
];
const upFront: ExistingState = { meters: [], counters: [], entities: contracts };
const withoutContracts: ExistingState = { meters: [], counters: [], entities: [] };

async function prepared(withReadings: boolean) {
  const compiled = compileConfig(config);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.validation.errors));
  return prepareImport(
    compiled.compiled,
    withReadings ? payload : { ...payload, readings: undefined },
  );
}

/**
 * The contracts as late entities, noting how many early batches had been handed out when the plan
 * first asked for them.
 */
function lateContracts(batches: unknown[]) {
  let askedAfter: number | null = null;
  const rows = {
    // biome-ignore lint/suspicious/noThenProperty: a promise that notes when it is awaited
    then(resolve: (rows: StateEntity[]) => unknown, reject: (error: unknown) => unknown) {
      askedAfter ??= batches.length;
      return Promise.resolve(contracts).then(resolve, reject);
    },
  } as unknown as Promise<StateEntity[]>;
  const late: LateEntities = { schemas: new Set(["contract"]), rows };
  return { late, askedAfter: () => askedAfter };
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("late entities (loaded while the first mappings are planned)", () => {
  it("are the schemas only later mappings look at", async () => {
    const p = await prepared(false);
    const schemas = p.entities.map((e) => [...(mappingSchemas(e.item) ?? [])].sort());
    expect(schemas).toEqual([
      ["meter", "meter_counter"],
      ["meter", "meter_counter"],
      ["contract", "meter", "meter_counter"],
    ]);
    const item = p.entities[0]?.item as CompiledEntityItem;
    // Any schema: by id, a prune's scope, relations an expression returns.
    expect(mappingSchemas({ ...item, uniqueIds: ["_id"] })).toBeNull();
    expect(
      mappingSchemas({
        ...item,
        prune: { deletion: "delete", scope: { mode: "query", schema: null, ids: [] } },
      }),
    ).toBeNull();
    expect(
      mappingSchemas({
        ...item,
        fields: [
          {
            kind: "relations",
            position: 0,
            attribute: "related",
            enabled: null,
            operation: "_set",
            items: null,
            expression: { kind: "constant", value: [] },
          },
        ],
      }),
    ).toBeNull();
  });

  for (const withReadings of [false, true])
    it(`give the plan of every entity loaded up front, asked for once the first mappings are planned${withReadings ? " (with readings)" : ""}`, async () => {
      const batches: unknown[] = [];
      const late = lateContracts(batches);
      const p = await prepared(withReadings);
      // With readings, their lookups decide the entities first, and the plan takes those.
      if (withReadings)
        await readingLookupKeys(p, withoutContracts, undefined, undefined, late.late);
      const planned = await planPreparedWithWrites(p, withoutContracts, {
        onEntitiesFinal: (writes) => batches.push(json(writes)),
        late: late.late,
      });
      // Asked for once the meters' and counters' batches were out (the readings' lookups decide
      // every entity before the plan hands any out).
      expect(late.askedAfter()).toBe(withReadings ? 0 : 2);

      const reference: unknown[] = [];
      const q = await prepared(withReadings);
      if (withReadings) await readingLookupKeys(q, upFront);
      const expected = await planPreparedWithWrites(q, upFront, {
        onEntitiesFinal: (writes) => reference.push(json(writes)),
      });
      expect(json(planned.plan)).toEqual(json(expected.plan));
      expect(json(planned.writes)).toEqual(json(expected.writes));
      expect(batches).toEqual(reference);
      const actions = planned.plan.entities
        .filter((d) => d.entity_schema === "contract")
        .map((d) => [d.unique_ids.contract_number, d.action]);
      expect(actions).toEqual([
        ["K1", "update"],
        ["K2", "create"],
      ]);
    });
});
