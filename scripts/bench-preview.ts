/**
 * npm run bench:preview — the studio's live preview on the server: `previewDraft` (the service
 * the preview action calls: parse, validate, dry run against the stored state, extracted items),
 * in process, on a fresh in-memory PGlite with 1,000 meters and 10,000 stored readings. Samples of
 * 1k and 10k readings (half re-send stored readings, half are new); the median of several runs
 * after a warm-up. Goals: 1k <= 100 ms, 10k <= 600 ms. The last line is one JSON object.
 *
 * Run with `tsx --conditions=react-server` (server-only modules need that condition outside Next).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDb } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { query, writeReadings } from "../db/repository";
import type { StoredReading } from "../lib/engine/types";
import { applyImport } from "../lib/server/imports/import-service";
import { previewDraft } from "../lib/server/studio/studio-preview-service";
import { benchConfig, makeWorkload } from "./bench-data";

const METERS = Number(process.env.BENCH_METERS ?? 1_000);
const PER_METER = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const WARM_UP = 5;
const log = (...args: unknown[]) => console.error(...args);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const client = createDb({ memory: true });
try {
  await migrateDatabase(client);
  const workload = makeWorkload(METERS, PER_METER);
  await applyImport(client, {
    useCaseId: null,
    trigger: "cli",
    config: {
      entities: [
        {
          entity_schema: "meter",
          unique_ids: ["meter_number"],
          jsonataExpression: "meters",
          fields: [{ attribute: "meter_number", field: "n" }],
        },
      ],
    },
    payload: { meters: workload.meters.map((m) => ({ n: m.attributes.meter_number })) },
  });
  const ids = new Map(
    (
      await query<{ id: string; n: string }>(
        client.db,
        sql`SELECT id, attributes->>'meter_number' AS n FROM entities`,
      )
    ).map((r) => [r.n, r.id]),
  );
  const meterOf = new Map(
    workload.meters.map((m) => [m.id, ids.get(String(m.attributes.meter_number))]),
  );
  const rows: StoredReading[] = workload.readings.map((r) => ({
    ...r,
    id: randomUUID(),
    meter_id: meterOf.get(r.meter_id) as string,
  }));
  await client.db.transaction((tx) =>
    writeReadings(tx, { inserts: rows, updates: [], deletes: [] }, randomUUID()),
  );
  await client.db.execute(sql`VACUUM ANALYZE`);
  log(`seeded ${workload.meters.length} meters, ${rows.length} stored readings`);

  // The action receives the draft and the sample as the text the editors hold.
  const configText = JSON.stringify(benchConfig, null, 2);
  const sample = (n: number) =>
    JSON.stringify(
      { ...workload.payload, readings: workload.payload.readings.slice(0, n) },
      null,
      2,
    );

  async function measure(n: number): Promise<number> {
    const payloadText = sample(n);
    const times: number[] = [];
    for (let i = 0; i < RUNS + WARM_UP; i++) {
      const t = performance.now();
      const result = await previewDraft(client, { configText, payloadText });
      const ms = performance.now() - t;
      if (!result.ok || result.data.kind !== "plan") throw new Error("the preview failed");
      if (result.data.decisions.length !== n) throw new Error(`expected ${n} decisions`);
      if (i >= WARM_UP) times.push(ms);
    }
    const m = median(times);
    log(
      `${String(n).padStart(6)} readings: median ${m.toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(", ")}; ${(payloadText.length / 1e6).toFixed(1)} MB sample)`,
    );
    return m;
  }

  const ms1k = await measure(1_000);
  const ms10k = await measure(10_000);
  log(
    `goals: 1k <= 100 ms ${ms1k <= 100 ? "met" : "MISSED"}, 10k <= 600 ms ${ms10k <= 600 ? "met" : "MISSED"}`,
  );
  console.log(
    JSON.stringify({ ms_1k: Math.round(ms1k * 10) / 10, ms_10k: Math.round(ms10k * 10) / 10 }),
  );
} finally {
  await client.close();
}
