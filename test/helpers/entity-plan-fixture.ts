/**
 * A use case with contacts, contracts (pruned by portfolio), meters, counters, relations and
 * readings, and two payloads: `stored` writes the state, then `sample` against it decides every
 * kind of entity decision the preview shows: unchanged (C1, K2, Z1), create (C3, K4), error (a
 * contact without its number), update (K1's status, M1's contract), stub (the unknown contact C9
 * of K4), prune (K3, in the portfolio but not in the sample). K2's customer C2 is stored and not
 * touched by the sample. `tag` makes every id unique to one run (e2e specs share a database).
 */
export function entityPlanFixture(tag = "") {
  const id = (base: string) => `${base}${tag}`;
  const config = {
    entities: [
      {
        entity_schema: "contact",
        jsonataExpression: "contacts",
        unique_ids: ["customer_number"],
        fields: [
          { attribute: "customer_number", field: "customer_number" },
          { attribute: "name", field: "name" },
        ],
      },
      {
        entity_schema: "contract",
        jsonataExpression: "contracts",
        mode: "upsert-prune-scope-delete",
        scope: {
          scope_mode: "query",
          query: [{ attribute: "portfolio", field: "portfolio" }],
        },
        unique_ids: ["contract_number"],
        fields: [
          { attribute: "contract_number", field: "contract_number" },
          { attribute: "status", field: "status" },
          { attribute: "portfolio", field: "$$.portfolio" },
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
        jsonataExpression: "meters",
        unique_ids: ["meter_number"],
        fields: [
          { attribute: "meter_number", field: "meter_number" },
          {
            attribute: "contract",
            relations: {
              operation: "_set",
              items: [
                {
                  entity_schema: "contract",
                  unique_ids: [{ attribute: "contract_number", field: "contract" }],
                },
              ],
            },
          },
        ],
      },
      {
        entity_schema: "meter_counter",
        jsonataExpression: "counters",
        unique_ids: ["counter_number"],
        fields: [
          { attribute: "counter_number", field: "counter_number" },
          { attribute: "meter", jsonataExpression: '{ "meter_number": meter }' },
        ],
      },
    ],
    meter_readings: [
      {
        jsonataExpression: "readings",
        meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
        meter_counter: { unique_ids: [{ attribute: "counter_number", field: "counter" }] },
        fields: [
          { attribute: "external_id", field: "id" },
          { attribute: "timestamp", field: "at" },
          { attribute: "value", field: "value" },
          { attribute: "source", constant: "ERP" },
        ],
      },
    ],
  };
  const stored = {
    portfolio: id("P"),
    contacts: [
      { customer_number: id("C1"), name: "Ann" },
      { customer_number: id("C2"), name: "Bob" },
    ],
    contracts: [
      { contract_number: id("K1"), status: "active", customer: id("C1") },
      { contract_number: id("K2"), status: "active", customer: id("C2") },
      { contract_number: id("K3"), status: "active", customer: id("C1") },
    ],
    meters: [{ meter_number: id("M1"), contract: id("K1") }],
    counters: [{ counter_number: id("Z1"), meter: id("M1") }],
    readings: [{ id: id("R1"), meter: id("M1"), counter: id("Z1"), at: "2030-01-01", value: "10" }],
  };
  const sample = {
    portfolio: id("P"),
    contacts: [
      { customer_number: id("C1"), name: "Ann" },
      { customer_number: id("C3"), name: "Cleo" },
      { name: "No number" },
    ],
    contracts: [
      { contract_number: id("K1"), status: "ended", customer: id("C1") },
      { contract_number: id("K2"), status: "active", customer: id("C2") },
      { contract_number: id("K4"), status: "active", customer: id("C9") },
    ],
    meters: [{ meter_number: id("M1"), contract: id("K4") }],
    counters: [{ counter_number: id("Z1"), meter: id("M1") }],
    readings: [{ id: id("R2"), meter: id("M1"), counter: id("Z1"), at: "2030-01-02", value: "12" }],
  };
  return { config, stored, sample, id };
}
