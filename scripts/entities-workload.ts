/**
 * The entity import of `npm run bench:entities` (issue 15): meters, their counters and contracts
 * related to both, and the contracts stored before it. Shared with `npm run profile:entities`.
 */

/** Contracts per import (each with a meter and two counters: four entities). */
export const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 10_000);

const counterNumber = (meter: string, obis: string) => `${meter}/${obis}`;
const OBIS = ["1.8.0", "2.8.0"];

/** Meters, their counters (attached to the meter), contracts related to both. */
export const config = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "contracts",
      fields: [
        { attribute: "meter_number", field: "meter" },
        { attribute: "type", constant: "electricity" },
      ],
    },
    {
      entity_schema: "meter_counter",
      unique_ids: ["counter_number"],
      jsonataExpression: "counters",
      fields: [
        { attribute: "counter_number", field: "number" },
        { attribute: "obis_number", field: "obis" },
        { attribute: "meter", jsonataExpression: '{ "meter_number": meter }' },
      ],
    },
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
        {
          attribute: "counters",
          relations: {
            operation: "_set",
            items: OBIS.map((_, i) => ({
              entity_schema: "meter_counter",
              unique_ids: [{ attribute: "counter_number", field: `counter${i + 1}` }],
            })),
          },
        },
      ],
    },
  ],
};

/** The stored contracts: numbers and a status, nothing else. */
export const seedConfig = {
  entities: [
    {
      entity_schema: "contract",
      unique_ids: ["contract_number"],
      jsonataExpression: "contracts",
      fields: [
        { attribute: "contract_number", field: "number" },
        { attribute: "status", field: "status" },
      ],
    },
  ],
};

export function payloadOf(status: string, prefix = "", count = CONTRACTS) {
  const contracts = [];
  const counters = [];
  for (let i = 0; i < count; i++) {
    const meter = `${prefix}M-${String(i).padStart(6, "0")}`;
    const [c1, c2] = OBIS.map((o) => counterNumber(meter, o)) as [string, string];
    contracts.push({ number: `${prefix}K-${i}`, status, meter, counter1: c1, counter2: c2 });
    for (const obis of OBIS) counters.push({ number: counterNumber(meter, obis), obis, meter });
  }
  return { contracts, counters };
}
