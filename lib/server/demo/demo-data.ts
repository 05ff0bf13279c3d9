import "server-only";

/**
 * The demo documents: the product document's "Complete Example" (seed/meter-readings.txt),
 * corrected to what SPEC 1.3 requires, a multi-tariff variant, the state they run against and
 * sample payloads that show every kind of decision.
 */

const meterId = { attribute: "meter_number", field: "meterId" } as const;

/**
 * The seed's complete example, corrected: it had no external_id, mapped `reading_date` instead
 * of `timestamp` and used the source "ERP_BATCH_IMPORT", which is not an allowed source. The
 * meter number moves from the fields into the meter lookup; the rest stay custom attributes.
 */
export const meterReadingsConfig = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [meterId] },
      fields: [
        // One reading per meter and delivery day: a resent batch updates instead of duplicating.
        {
          attribute: "external_id",
          jsonataExpression: "meterId & '-' & $substring($$.readingDate, 0, 10)",
        },
        { attribute: "timestamp", field: "$$.readingDate" },
        { attribute: "source", constant: "ERP" },
        { attribute: "value", field: "currentReading" },
        { attribute: "previous_value", field: "previousReading" },
        { attribute: "unit", field: "unit" },
        { attribute: "consumption", jsonataExpression: "currentReading - previousReading" },
        { attribute: "batch_id", field: "$$.batchId" },
      ],
    },
  ],
};

function tariffItem(tariff: "HT" | "NT") {
  return {
    jsonataExpression: "readings",
    meter: { unique_ids: [meterId] },
    // "HT" and "NT" repeat on every meter: the counter is looked up among the reading's meter's.
    meter_counter: { unique_ids: [{ attribute: "counter_code", constant: tariff }] },
    fields: [
      { attribute: "external_id", jsonataExpression: `meterId & '-${tariff}-' & date` },
      { attribute: "timestamp", field: "date" },
      { attribute: "source", constant: "ERP" },
      { attribute: "value", field: `${tariff.toLowerCase()}Value` },
      { attribute: "tariff", constant: tariff },
    ],
  };
}

/** The seed's "Multiple Value Types" example, corrected: one item per tariff, each on its counter. */
export const tariffReadingsConfig = { meter_readings: [tariffItem("HT"), tariffItem("NT")] };

export const METER_NUMBERS = Array.from(
  { length: 10 },
  (_, i) => `M${String(i + 1).padStart(3, "0")}`,
);

/** Creates meters and counters through `entities`, so their lookup keys are indexed as usual. */
export const setupConfig = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [
        { attribute: "meter_number", field: "number" },
        { attribute: "medium", field: "medium" },
      ],
    },
    {
      entity_schema: "meter_counter",
      unique_ids: ["counter_code"],
      jsonataExpression: "counters",
      fields: [
        { attribute: "counter_code", field: "code" },
        { attribute: "meter", jsonataExpression: "{ 'meter_number': meter }" },
      ],
    },
  ],
  meter_readings: [false, true].map((onCounter) => ({
    jsonataExpression: onCounter
      ? "readings[$exists(counter)]"
      : "readings[$not($exists(counter))]",
    meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
    ...(onCounter
      ? { meter_counter: { unique_ids: [{ attribute: "counter_code", field: "counter" }] } }
      : {}),
    fields: [
      { attribute: "external_id", field: "id" },
      { attribute: "timestamp", field: "at" },
      { attribute: "source", field: "source" },
      { attribute: "value", field: "value" },
      { attribute: "unit", field: "unit" },
    ],
  })),
};

/**
 * What the demo starts with. Against it the samples below decide: an update (M001's first
 * delivery of 2024-01-15 is corrected), creates, DUPLICATE skips (customers entered M003's and
 * M005's NT readings in the portal, ECP, on the day the ERP batch arrives) and METER_NOT_FOUND.
 */
export const setupPayload = {
  meters: METER_NUMBERS.map((number) => ({
    number,
    medium: number === "M002" ? "gas" : "electricity",
  })),
  counters: METER_NUMBERS.flatMap((meter) => [
    { code: "HT", meter },
    { code: "NT", meter },
  ]),
  readings: [
    { meter: "M001", id: "M001-2024-01-15", at: "2024-01-15T08:00:00Z", value: 12480, unit: "kWh" },
    { meter: "M004", id: "M004-2024-01-16", at: "2024-01-16T08:00:00Z", value: 7810, unit: "kWh" },
    { meter: "M003", id: "ECP-58213", at: "2024-01-16T07:12:00+01:00", value: 3120.4, unit: "kWh" },
    { meter: "M001", counter: "HT", id: "M001-HT-2024-01-15", at: "2024-01-15", value: 8200 },
    { meter: "M005", counter: "NT", id: "ECP-58240", at: "2024-01-16T18:30:00+01:00", value: 2480 },
  ].map((r) => ({
    source: r.id.startsWith("ECP-") ? "ECP" : "ERP",
    ...r,
  })),
};

/** The seed's input payload, verbatim. */
const completeExample = {
  batchId: "BATCH-2024-01-15",
  readingDate: "2024-01-15T08:00:00Z",
  readings: [
    {
      meterId: "M001",
      meterType: "electricity",
      currentReading: 12500.5,
      previousReading: 12000.0,
      unit: "kWh",
    },
    {
      meterId: "M002",
      meterType: "gas",
      currentReading: 450.25,
      previousReading: 420.0,
      unit: "m3",
    },
  ],
};

const reading = (meterId: string, currentReading: number, previousReading: number) => ({
  meterId,
  meterType: "electricity",
  currentReading,
  previousReading,
  unit: "kWh",
});

export const meterReadingsSamples: Record<string, unknown> = {
  "Complete example (seed)": completeExample,
  // M001 and M002 create, M003 duplicates its ECP reading, M004 corrects the stored value, M999 is unknown.
  "Daily batch": {
    batchId: "BATCH-2024-01-16",
    readingDate: "2024-01-16T08:00:00Z",
    readings: [
      reading("M001", 12530.5, 12500.5),
      { ...completeExample.readings[1], currentReading: 452.75, previousReading: 450.25 },
      reading("M003", 3120.9, 3098.1),
      reading("M004", 7815.2, 7790.0),
      reading("M999", 100, 90),
    ],
  },
  "Unknown meter": {
    batchId: "BATCH-2024-01-17",
    readingDate: "2024-01-17T08:00:00Z",
    readings: [reading("M999", 100, 90)],
  },
};

export const tariffReadingsSamples: Record<string, unknown> = {
  // M001: HT updates the stored value, NT creates; M005: HT creates, NT duplicates the ECP reading.
  "Daily HT/NT readings": {
    readings: [
      { meterId: "M001", date: "2024-01-15", htValue: 8200.5, ntValue: 4310 },
      { meterId: "M005", date: "2024-01-16", htValue: 5120, ntValue: 2480.75 },
      { meterId: "M999", date: "2024-01-16", htValue: 1, ntValue: 1 },
    ],
  },
  "Unknown meter": {
    readings: [{ meterId: "M999", date: "2024-01-17", htValue: 1, ntValue: 1 }],
  },
};
