/**
 * The benchmark workload of PERFORMANCE.md: meters, stored readings, and a payload of which half
 * re-sends stored readings and half is new. Deterministic, so runs compare.
 */
export interface Workload {
  config: Record<string, unknown>;
  payload: { batchId: string; readings: Record<string, unknown>[] };
  meters: { id: string; attributes: Record<string, unknown> }[];
  readings: {
    id: string;
    meter_id: string;
    counter_id: null;
    direction: null;
    external_id: string;
    timestamp: string;
    value: string;
    source: string;
    reason: string | null;
    attributes: Record<string, unknown>;
  }[];
}

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function meterNumber(m: number) {
  return `M${String(m).padStart(6, "0")}`;
}

/** Eight mapped fields, one of them a JSONata expression. */
export const benchConfig = {
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
      fields: [
        { attribute: "external_id", field: "readingId" },
        { attribute: "timestamp", field: "readAt" },
        { attribute: "value", field: "currentReading" },
        { attribute: "source", constant: "ERP" },
        { attribute: "reason", field: "reason" },
        { attribute: "unit", field: "unit" },
        { attribute: "batch_id", field: "$$.batchId" },
        { attribute: "consumption", jsonataExpression: "currentReading - previousReading" },
      ],
    },
  ],
};

export function makeWorkload(meterCount: number, readingsPerMeter: number): Workload {
  const meters: Workload["meters"] = [];
  const readings: Workload["readings"] = [];
  const payloadReadings: Record<string, unknown>[] = [];
  for (let m = 0; m < meterCount; m++) {
    meters.push({ id: `meter-${m}`, attributes: { meter_number: meterNumber(m) } });
    for (let r = 0; r < readingsPerMeter; r++) {
      const value = 1000 + m + r * 10;
      readings.push({
        id: `reading-${m}-${r}`,
        meter_id: `meter-${m}`,
        counter_id: null,
        direction: null,
        external_id: `R-${m}-${r}`,
        timestamp: new Date(START + r * DAY).toISOString(),
        value: String(value),
        source: "ERP",
        reason: "regular",
        attributes: { unit: "kWh", batch_id: "B-0", consumption: 10 },
      });
    }
  }
  // Half of each meter's payload re-sends stored readings (every other one with a new value),
  // half are new readings on later days.
  const half = Math.floor(readingsPerMeter / 2);
  for (let m = 0; m < meterCount; m++) {
    for (let r = 0; r < readingsPerMeter; r++) {
      const resend = r < half;
      const day = resend ? r : readingsPerMeter + r;
      const value = 1000 + m + day * 10 + (resend && r % 2 === 1 ? 0.5 : 0);
      // Shaped like an IS-U export (as in the seed's complete example): more fields than are mapped.
      payloadReadings.push({
        meterId: meterNumber(m),
        meterType: "electricity",
        register: "1-0:1.8.0",
        readingId: `R-${m}-${day}`,
        readAt: new Date(START + day * DAY + 6 * 3_600_000).toISOString().replace(".000Z", "Z"),
        currentReading: value,
        previousReading: value - 10,
        reason: "regular",
        unit: "kWh",
      });
    }
  }
  return {
    config: benchConfig,
    payload: { batchId: "B-1", readings: payloadReadings },
    meters,
    readings,
  };
}
