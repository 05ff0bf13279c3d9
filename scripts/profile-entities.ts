/**
 * npm run profile:entities — where the time of bench:entities' import goes, for whoever works on
 * it next. The same 40k-entity event (scripts/entities-workload.ts) is imported in this process,
 * as the import thread runs it (events parsed and processed here, 4 ms slices, the thread's heap
 * flags from the npm script), not through a server, so one CPU profile holds all of its work.
 * Per import it prints the time and the CPU each side spent: this thread, the process's other
 * threads (V8's collectors and compilers, libuv's pool: gzip) and, when the Postgres server runs
 * on this machine, its processes (read from /proc; Linux only).
 *
 * Nothing here forces a garbage collection between imports: a full collection lets V8 drop the
 * optimized code of the plan (it holds the previous import's objects weakly) and compile it all
 * again, which the server never does. A full-size warm-up comes first for the same reason: a
 * 500-contract one left the first measured import 300-400 ms slower.
 *
 * PROFILE=file.cpuprofile writes a CPU profile of the measured imports (open it in Chrome's
 * DevTools); ALLOCATIONS=file.heapprofile a sampling profile of what they allocate (DevTools'
 * Memory tab), collected objects included. RUNS (3) sets how many. Postgres when DATABASE_URL is
 * set, PGlite otherwise.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { migrateDatabase } from "../db/migrate";
import { eventsRequestSchema } from "../lib/api/erp-schemas";
import { setDefaultSliceMs } from "../lib/engine/cooperative";
import { parseBody } from "../lib/server/http/route-handler";
import { processEvents } from "../lib/server/imports/event-service";
import { createIntegration } from "../lib/server/integrations/integration-service";
import { publishBySlug } from "../lib/server/integrations/use-case-service";
import { CONTRACTS, config, payloadOf, seedConfig } from "./entities-workload";
import { freshDatabase, openDatabase } from "./fresh-database";
import { cpuMs, statCpuMs } from "./proc-cpu";

const RUNS = Math.max(1, Number(process.env.RUNS ?? 3));
/** The import thread's slice (import-thread-worker.ts). */
const THREAD_SLICE_MS = 4;

/** CPU so far: this thread, this whole process, and every process named postgres. */
function cpuNow() {
  return {
    thread: statCpuMs(`/proc/self/task/${process.pid}/stat`),
    process: statCpuMs("/proc/self/stat"),
    postgres: cpuMs((name) => name.startsWith("postgres")),
  };
}

async function main() {
  setDefaultSliceMs(THREAD_SLICE_MS);
  const database = await freshDatabase(process.env.DATABASE_URL, "mms_profile_entities_");
  const client = openDatabase(database);
  try {
    await migrateDatabase(client);
    const { integration } = await createIntegration(client, "Profile ERP");
    for (const [slug, c] of [
      ["contracts", config],
      ["seed", seedConfig],
    ] as const)
      await publishBySlug(client, { integrationId: integration.id, slug, config: c, message: "p" });
    const event = (slug: string, payload: unknown) =>
      Buffer.from(
        JSON.stringify({
          integration_id: integration.id,
          events: [
            { timestamp: new Date().toISOString(), format: "json", use_case_slug: slug, payload },
          ],
        }),
      );
    const post = async (raw: Buffer) => {
      const answer = await processEvents(
        client,
        integration.id,
        await parseBody(raw, eventsRequestSchema),
        raw,
      );
      const result = answer.results[0];
      if (result?.status !== "success")
        throw new Error(`import failed: ${JSON.stringify(answer).slice(0, 500)}`);
    };
    // Run r (and the warm-up, W) works on contracts stored for it alone.
    const prefixes = ["W", ...Array.from({ length: RUNS }, (_, r) => `R${r}`)];
    console.log(`storing ${prefixes.length} x ${CONTRACTS} contracts on ${database.kind} ...`);
    for (const prefix of prefixes)
      await post(event("seed", { contracts: payloadOf("draft", prefix).contracts }));
    const bodies = prefixes.map((prefix) => event("contracts", payloadOf("active", prefix)));
    const t = performance.now();
    await post(bodies[0] as Buffer);
    console.log(`warm-up import: ${(performance.now() - t).toFixed(0)} ms`);

    const session = new Session();
    if (process.env.PROFILE || process.env.ALLOCATIONS) session.connect();
    if (process.env.PROFILE) {
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    // Every object counts, collected or not: the young generation's cost is what was allocated.
    if (process.env.ALLOCATIONS)
      await session.post("HeapProfiler.startSampling", {
        samplingInterval: 16 * 1024,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    const times: number[] = [];
    const before = cpuNow();
    for (let run = 1; run <= RUNS; run++) {
      const start = performance.now();
      await post(bodies[run] as Buffer);
      times.push(performance.now() - start);
      console.log(`import ${run} of ${RUNS}: ${(times.at(-1) as number).toFixed(0)} ms`);
    }
    const after = cpuNow();
    if (process.env.PROFILE) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(process.env.PROFILE, JSON.stringify(profile));
      console.log(`CPU profile: ${process.env.PROFILE}`);
    }
    if (process.env.ALLOCATIONS) {
      const { profile } = await session.post("HeapProfiler.stopSampling");
      writeFileSync(process.env.ALLOCATIONS, JSON.stringify(profile));
      console.log(`allocation profile: ${process.env.ALLOCATIONS}`);
    }
    if (process.env.PROFILE || process.env.ALLOCATIONS) session.disconnect();
    const perImport = (ms: number) => Math.round(ms / RUNS);
    console.log(
      JSON.stringify({
        database: database.kind,
        entities: CONTRACTS * 4,
        import_ms: times.map(Math.round),
        cpu_ms_per_import: {
          this_thread: perImport(after.thread - before.thread),
          other_threads: perImport(after.process - before.process - (after.thread - before.thread)),
          postgres: perImport(after.postgres - before.postgres),
        },
      }),
    );
  } finally {
    await client.close();
    await database.drop();
  }
}

await main();
