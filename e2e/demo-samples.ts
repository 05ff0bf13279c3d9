/**
 * The demo's "Daily batch" sample (lib/server/demo/demo-data.ts, which the specs cannot import: it is
 * server-only). Against the seeded readings: M001 and M002 create, M003 duplicates a portal (ECP)
 * reading of the same day, M004 corrects its stored value, M999 is no meter.
 */
const reading = (meterId: string, currentReading: number, previousReading: number) => ({
  meterId,
  meterType: "electricity",
  currentReading,
  previousReading,
  unit: "kWh",
});

export const DAILY_BATCH = {
  batchId: "BATCH-2024-01-16",
  readingDate: "2024-01-16T08:00:00Z",
  readings: [
    reading("M001", 12530.5, 12500.5),
    {
      meterId: "M002",
      meterType: "gas",
      currentReading: 452.75,
      previousReading: 450.25,
      unit: "m3",
    },
    reading("M003", 3120.9, 3098.1),
    reading("M004", 7815.2, 7790.0),
    reading("M999", 100, 90),
  ],
};

/** What the Daily batch plans against the freshly seeded demo. */
export const DAILY_BATCH_SUMMARY = {
  create: 2,
  update: 1,
  unchanged: 0,
  skip: 1,
  delete: 0,
  error: 1,
};
