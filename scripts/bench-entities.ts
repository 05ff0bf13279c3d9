/**
 * npm run bench:entities — issue 15's performance check: a real server (`next start`) on a fresh
 * database holding 10k contracts; one HTTP POST of one event with those 10k contracts, each with a
 * meter, two counters and their relations (40k entity updates: 10k meters and 20k counters
 * created, 10k contracts updated with relations to their meter and counters), through the events
 * route, timed to its response (the commit); BENCH_RUNS such imports (3), each on 10k stored
 * contracts of its own, and the median kept. In the same run, the floor: JSON.parse of the same
 * body plus COPY of the same 40k entity rows into a scratch table shaped like entities. On a
 * Postgres server each import's floor is taken right before it (the server idle), and the ratio is
 * the median of those pairs' ratios, as bench:import pairs each import with its floor: this
 * machine's speed drifts by a third within minutes, and a floor taken minutes later measured
 * another machine. The issue measures on the local Postgres server: DATABASE_URL, else the one on
 * 127.0.0.1:5432 (benchServerUrl); PGlite when BENCH_PGLITE=1 or no server answers there. PGlite's
 * folder is the server's while it runs: there the floor is taken after it stopped (medians of
 * three), and the ratio is median over median. The last line is one JSON object; `xml_ratio` is
 * bench:xml's figure, measured in this run too: converting a 20 MB XML payload against JSON.parse
 * of the equivalent JSON (scripts/xml-ratio.ts).
 */
import { randomUUID } from "node:crypto";
import { migrateDatabase } from "../db/migrate";
import { createIntegration } from "../lib/server/integrations/integration-service";
import { publishBySlug } from "../lib/server/integrations/use-case-service";
import { ensureBuilt, startAppServer, waitForServer } from "./app-server";
import { timeCopyInto } from "./copy-floor";
import { CONTRACTS, config, payloadOf, seedConfig } from "./entities-workload";
import { benchServerUrl, type FreshDatabase, freshDatabase, openDatabase } from "./fresh-database";
import { measureXmlRatio } from "./xml-ratio";

const PORT = Number(process.env.BENCH_PORT ?? 3550);
const FLOOR_RUNS = 3;
/** Imports timed (each on contracts of its own, stored alike): the median is the figure. */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const log = (...args: unknown[]) => console.log(...args);

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** COPY of `rows` (entity rows as TSV) into a scratch table shaped like entities. */
async function copyFloor(database: FreshDatabase, text: string): Promise<number> {
  return timeCopyInto(database, "entities", "id, entity_schema, attributes, meter_id", text);
}

/** The rows the import writes, as COPY text: meters, counters, contracts with their relations. */
function floorRows(payload: ReturnType<typeof payloadOf>): string {
  const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t");
  const lines: string[] = [];
  const meters = new Map<string, string>();
  const counters = new Map<string, string>();
  for (const c of payload.contracts) {
    const id = randomUUID();
    meters.set(c.meter, id);
    lines.push(
      `${id}\tmeter\t${esc(JSON.stringify({ meter_number: c.meter, type: "electricity" }))}\t\\N`,
    );
  }
  for (const c of payload.counters) {
    const id = randomUUID();
    counters.set(c.number, id);
    const attributes = { counter_number: c.number, obis_number: c.obis };
    lines.push(`${id}\tmeter_counter\t${esc(JSON.stringify(attributes))}\t${meters.get(c.meter)}`);
  }
  for (const c of payload.contracts) {
    const attributes = {
      contract_number: c.number,
      status: c.status,
      meters: { $relation: [{ entity_id: meters.get(c.meter), _schema: "meter" }] },
      counters: {
        $relation: [c.counter1, c.counter2].map((n) => ({
          entity_id: counters.get(n),
          _schema: "meter_counter",
        })),
      },
    };
    lines.push(`${randomUUID()}\tcontract\t${esc(JSON.stringify(attributes))}\t\\N`);
  }
  return `${lines.join("\n")}\n`;
}

async function post(baseUrl: string, apiKey: string, body: string) {
  const res = await fetch(`${baseUrl}/api/v1/erp/updates/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body,
  });
  const answer = (await res.json()) as {
    results?: { status: string; summary?: Record<string, number>; message?: string }[];
  };
  const result = answer.results?.[0];
  if (res.status !== 200 || result?.status !== "success")
    throw new Error(`import failed: ${res.status} ${JSON.stringify(answer).slice(0, 500)}`);
  return result;
}

async function main() {
  ensureBuilt(log);
  const database = await freshDatabase(await benchServerUrl(log), "mms_bench_entities_");
  try {
    const setup = openDatabase(database);
    await migrateDatabase(setup);
    const { integration, apiKey } = await createIntegration(setup, "Bench ERP");
    for (const [slug, c] of [
      ["contracts", config],
      ["seed", seedConfig],
    ] as const)
      await publishBySlug(setup, {
        integrationId: integration.id,
        slug,
        config: c,
        message: "bench",
      });
    await setup.close();
    const event = (slug: string, payload: unknown) =>
      JSON.stringify({
        integration_id: integration.id,
        events: [
          { timestamp: new Date().toISOString(), format: "json", use_case_slug: slug, payload },
        ],
      });
    // Run r works on contracts (and meters) numbered with its own prefix; run 0's is empty.
    const prefixOf = (run: number) => (run === 0 ? "" : `R${run}`);
    const payload = payloadOf("active");
    const body = event("contracts", payload);
    const text = floorRows(payload);
    // Paired with each import on a Postgres server (see the header); PGlite's after the server.
    const paired = database.kind === "postgres";
    const times: number[] = [];
    const copyTimes: number[] = [];
    const server = startAppServer({
      database,
      port: PORT,
      env: { MMS_METRICS: "1" },
      // Node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
      nodeArgs: process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean),
    });
    let importMs: number;
    let metrics: { max_event_loop_block_ms: number; peak_rss_mb: number };
    try {
      await waitForServer(server);
      // The runs' contracts, and the warm-up's (W).
      const stored = [...Array.from({ length: RUNS }, (_, run) => prefixOf(run)), "W"];
      log(`storing ${stored.length} x ${CONTRACTS} contracts on ${database.kind} ...`);
      for (const prefix of stored)
        await post(
          server.baseUrl,
          apiKey,
          event("seed", { contracts: payloadOf("draft", prefix).contracts }),
        );
      // Warm-up: the same import on contracts of its own, so the timing is the steady state. One
      // of 500 new contracts left the first timed import 300-400 ms slower than the next ones:
      // the update of stored contracts had not run yet, nor an import of this size.
      await post(server.baseUrl, apiKey, event("contracts", payloadOf("active", "W")));
      await fetch(`${server.baseUrl}/api/v1/internal/metrics?reset=1`);
      for (let run = 0; run < RUNS; run++) {
        const runBody = run === 0 ? body : event("contracts", payloadOf("active", prefixOf(run)));
        if (paired) copyTimes.push(await copyFloor(database, text));
        const t = performance.now();
        await post(server.baseUrl, apiKey, runBody);
        times.push(performance.now() - t);
        log(
          `import ${run + 1} of ${RUNS}: ${(times.at(-1) as number).toFixed(0)} ms` +
            (paired ? ` (the floor's COPY just before: ${copyTimes.at(-1)?.toFixed(0)} ms)` : ""),
        );
      }
      importMs = median(times);
      metrics = await (await fetch(`${server.baseUrl}/api/v1/internal/metrics`)).json();
    } finally {
      await server.stop();
    }
    const parseTimes: number[] = [];
    for (let i = 0; i < FLOOR_RUNS; i++) {
      const t = performance.now();
      JSON.parse(body);
      parseTimes.push(performance.now() - t);
    }
    if (!paired)
      for (let i = 0; i < FLOOR_RUNS; i++) copyTimes.push(await copyFloor(database, text));
    const parseMs = median(parseTimes);
    const floorMs = parseMs + median(copyTimes);
    const ratio = paired
      ? median(times.map((ms, i) => ms / (parseMs + (copyTimes[i] as number))))
      : importMs / floorMs;
    log(`floor: JSON.parse ${parseMs.toFixed(0)} ms + COPY ${median(copyTimes).toFixed(0)} ms`);
    const xml = await measureXmlRatio();
    log(
      `XML: ${(xml.xml_bytes / 1e6).toFixed(1)} MB converted in ${xml.xml_ms} ms, the equivalent JSON parsed in ${xml.json_parse_ms} ms`,
    );
    console.log(
      JSON.stringify({
        database: database.kind,
        entities: CONTRACTS * 4,
        import_ms: Math.round(importMs),
        floor_ms: Math.round(floorMs),
        ratio_vs_floor: Number(ratio.toFixed(2)),
        max_event_loop_block_ms: metrics.max_event_loop_block_ms,
        peak_rss_mb: metrics.peak_rss_mb,
        xml_ratio: xml.xml_ratio,
      }),
    );
  } finally {
    await database.drop();
  }
}

await main();
