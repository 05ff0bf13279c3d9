import fc from "fast-check";
import { READING_REASONS } from "../../../lib/engine/constants";
import { objectOf } from "../json-text";
import { anyExpression, cheapExpression } from "./expressions";
import { hostileJson, PROTOTYPE_KEYS } from "./hostile-values";
import { mutated } from "./mutate";

type Json = Record<string, unknown>;

/**
 * The configuration every proof database publishes as the use case `readings` (event name
 * `ProofReadings`): meters are created from the readings, then each reading is upserted by its
 * external id. Payloads: `{ readings: [{ meterId, id, timestamp, value, unit? }] }`.
 */
export const READINGS_CONFIG = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "readings",
      fields: [{ attribute: "meter_number", field: "meterId" }],
    },
  ],
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "timestamp" },
        { attribute: "value", field: "value" },
        { attribute: "source", constant: "ERP" },
        { attribute: "unit", field: "unit" },
      ],
    },
  ],
};

const mapping = (attribute: string, sources: Json[]) =>
  fc.constantFrom(...sources).map((s) => ({ attribute, ...s }));

const requiredFields = fc.tuple(
  mapping("external_id", [
    { field: "id" },
    { field: "$.id" },
    { jsonataExpression: "$string(id)" },
    { jsonataExpression: "meterId & '-' & $substring(timestamp, 0, 10)" },
  ]),
  mapping("timestamp", [
    { field: "timestamp" },
    { field: "$$.readingDate" },
    { jsonataExpression: "timestamp ? timestamp : $$.readingDate" },
  ]),
  mapping("value", [
    { field: "value" },
    { jsonataExpression: "$number(value)" },
    { jsonataExpression: "value * 1" },
  ]),
  mapping("source", [{ constant: "ERP" }, { constant: "ECP" }, { field: "source" }]),
);

const optionalField = fc.oneof(
  fc
    .constantFrom(...READING_REASONS, "field")
    .map((r) =>
      r === "field"
        ? { attribute: "reason", field: "reason" }
        : { attribute: "reason", constant: r },
    ),
  mapping("direction", [{ constant: "feed-in" }, { constant: "feed-out" }, { field: "direction" }]),
  mapping("unit", [{ field: "unit" }, { constant: "kWh" }]),
  mapping("batch_id", [{ field: "$$.batchId" }]),
  fc
    .tuple(fc.constantFrom("note", "consumption", "tariff", "x-y"), cheapExpression)
    .map(([attribute, jsonataExpression]) => ({ attribute, jsonataExpression })),
  fc
    .tuple(fc.constantFrom("unit", "note"), fc.oneof(cheapExpression, fc.boolean()))
    .map(([attribute, enabled]) => ({ attribute, constant: "on", enabled })),
);

const meterLookup = fc.constantFrom<Json>(
  { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
  { unique_ids: ["meter_number"] },
  { unique_ids: [{ attribute: "meter_number", jsonataExpression: "$string(meterId)" }] },
  { unique_ids: [{ attribute: "meter_number", constant: "M1" }] },
  {
    unique_ids: [
      { attribute: "meter_number", field: "meterId" },
      { attribute: "medium", constant: "electricity" },
    ],
  },
);

const readingItem = fc.record(
  {
    jsonataExpression: fc.constantFrom(
      "readings",
      "$$.readings",
      "readings[$exists(value)]",
      "readings[value > 0]",
      "data.items",
    ),
    meter: meterLookup,
    meter_counter: fc.constant({ unique_ids: [{ attribute: "counter_code", field: "counter" }] }),
    fields: fc
      .tuple(requiredFields, fc.array(optionalField, { maxLength: 4 }))
      .map(([req, opt]) => [...req, ...opt]),
    mode: fc.constantFrom("upsert", "delete", "upsert-prune-scope"),
    reading_matching: fc.constantFrom("external_id", "strict-date"),
    scope: fc.constantFrom({}, { source: "ERP" }),
  },
  { requiredKeys: ["meter", "fields"] },
);

const entityItems = fc.constantFrom<Json[]>([], READINGS_CONFIG.entities, [
  {
    entity_schema: "meter_counter",
    unique_ids: ["counter_code"],
    jsonataExpression: "readings[$exists(counter)]",
    fields: [
      { attribute: "counter_code", field: "counter" },
      { attribute: "meter", jsonataExpression: "{ 'meter_number': meterId }" },
    ],
  },
]);

/** Configurations the engine accepts (or nearly: a cheap expression may still be odd). */
export const validConfig: fc.Arbitrary<Json> = fc
  .tuple(entityItems, fc.array(readingItem, { minLength: 1, maxLength: 2 }))
  .map(([entities, meter_readings]) =>
    entities.length ? { entities, meter_readings } : { meter_readings },
  );

/** A valid configuration whose attribute or entity names are Object.prototype's. */
const prototypeNamed: fc.Arbitrary<Json> = fc
  .tuple(validConfig, fc.constantFrom(...PROTOTYPE_KEYS), fc.nat(3))
  .map(([config, key, where]) => {
    const item = (config.meter_readings as Json[])[0] as Json;
    if (where === 0) (item.fields as Json[]).push({ attribute: key, constant: 1 });
    else if (where === 1)
      item.meter = { unique_ids: [{ attribute: key, field: "meterId" }] } satisfies Json;
    else if (where === 2)
      config.entities = [
        { entity_schema: key, unique_ids: [key], fields: [{ attribute: key, field: "id" }] },
      ];
    else return objectOf([...Object.entries(config), [key, {}]]);
    return config;
  });

/** A valid configuration with one mapping's value turned into a random or broken expression. */
const oddExpression: fc.Arbitrary<Json> = fc
  .tuple(validConfig, anyExpression, fc.nat())
  .map(([config, expression, at]) => {
    const item = (config.meter_readings as Json[])[0] as Json;
    const fields = item.fields as Json[];
    fields[at % fields.length] = {
      attribute: (fields[at % fields.length] as Json).attribute,
      jsonataExpression: expression,
    };
    return config;
  });

/**
 * Configurations as clients send them: valid, mutated (keys dropped, types swapped, strings
 * injected, huge values), odd or broken expressions, prototype names, or any JSON at all.
 */
export function configArb(hugeWeight = 1): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: validConfig, weight: 3 },
    { arbitrary: mutated(validConfig, hugeWeight), weight: 4 },
    { arbitrary: oddExpression, weight: 2 },
    { arbitrary: prototypeNamed, weight: 1 },
    { arbitrary: hostileJson, weight: 1 },
  );
}

/** Where a hostile expression goes: each runs once per reading (or once per payload). */
export type ExpressionSlot = "field" | "enabled" | "meter unique id" | "entity field";

export const EXPRESSION_SLOTS: readonly ExpressionSlot[] = [
  "field",
  "enabled",
  "meter unique id",
  "entity field",
];

/** READINGS_CONFIG with `expression` in one slot. */
export function withExpression(expression: string, slot: ExpressionSlot): Json {
  const config = structuredClone(READINGS_CONFIG) as Json;
  const item = (config.meter_readings as Json[])[0] as Json;
  const fields = item.fields as Json[];
  if (slot === "field") fields.push({ attribute: "note", jsonataExpression: expression });
  else if (slot === "enabled")
    fields.push({ attribute: "note", constant: "x", enabled: expression });
  else if (slot === "meter unique id")
    item.meter = { unique_ids: [{ attribute: "meter_number", jsonataExpression: expression }] };
  else
    (((config.entities as Json[])[0] as Json).fields as Json[]).push({
      attribute: "note",
      jsonataExpression: expression,
    });
  return config;
}

/** A configuration with `expression` as the readings' extraction: it runs once, on the payload. */
export function withExtraction(expression: string): Json {
  const config = structuredClone(READINGS_CONFIG) as Json;
  ((config.meter_readings as Json[])[0] as Json).jsonataExpression = expression;
  return config;
}
