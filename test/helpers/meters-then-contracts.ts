/** Meters, then counters of them: two final mappings, written early one behind the other. */
export const metersAndCounters = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
    {
      entity_schema: "meter_counter",
      unique_ids: ["counter_number"],
      jsonataExpression: "counters",
      fields: [
        { attribute: "counter_number", field: "number" },
        { attribute: "meter", jsonataExpression: '{ "meter_number": meter }' },
      ],
    },
  ],
};

/**
 * Meters, their counters, then contracts related to their meter: only the last mapping looks at
 * stored contracts, so an import loads them while the first two are planned (LateEntities).
 */
export const metersThenContracts = {
  entities: [
    ...metersAndCounters.entities,
    {
      entity_schema: "contract",
      unique_ids: ["contract_number"],
      jsonataExpression: "contracts",
      fields: [
        { attribute: "contract_number", field: "number" },
        { attribute: "status", field: "status" },
        {
          attribute: "meters",
          relations: {
            operation: "_set",
            items: [
              {
                entity_schema: "meter",
                unique_ids: [{ attribute: "meter_number", field: "meter" }],
              },
            ],
          },
        },
      ],
    },
  ],
};

/** Two meters with a counter each, contracts K1 and K2 on them. */
export const metersThenContractsPayload = {
  meters: [{ number: "M1" }, { number: "M2" }],
  counters: [
    { number: "M1/1", meter: "M1" },
    { number: "M2/1", meter: "M2" },
  ],
  contracts: [
    { number: "K1", status: "active", meter: "M1" },
    { number: "K2", status: "active", meter: "M2" },
  ],
};
