/**
 * npm run proof — the reliability proof (issue 11): fuzzes the engine in-process and every route
 * of real servers (`next start`, one on PGlite, one on Postgres), races concurrent posts, kills
 * connections and servers mid-import, runs runaway expressions beside normal traffic, loads the
 * server with autocannon and tries every route without a valid key. It prints its figures as it
 * goes, writes them with its method to docs/RELIABILITY.md and prints them as its last line, one
 * JSON object. It exits 1 when any count of harm is above 0 or others_p99_ms_during_runaway is
 * above 1000 ms. Settings: see options.ts (PROOF_SEED, PROOF_PARTS, PROOF_SCALE, ...).
 *
 * Run with `tsx --conditions=react-server` (server-only modules need that condition outside Next).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, killAllServers, root } from "../app-server";
import { authPart } from "./auth";
import { concurrencyPart } from "./concurrency";
import { openTarget, type ProofContext } from "./context";
import { faultsPart } from "./faults";
import { emptyFigures, failures } from "./figures";
import { Findings } from "./findings";
import { engineFuzzPart } from "./fuzz-engine";
import { httpFuzzPart } from "./fuzz-http";
import { loadPart } from "./load";
import { logScanPart } from "./log-scan";
import { type PartName, proofOptions } from "./options";
import { writeReliabilityDoc } from "./reliability-doc";
import { runawayPart } from "./runaway";
import { sessionPart } from "./sessions";

const started = performance.now();
const log = (line: string) => console.log(line);
const options = proofOptions(path.join(root, "docs/RELIABILITY.md"));
const ctx: ProofContext = {
  options,
  findings: new Findings(log),
  figures: emptyFigures(options.seed),
  log,
  tmpDir: mkdtempSync(path.join(os.tmpdir(), "mms-proof-")),
  databases: [],
  servers: [],
  targets: [],
  sections: [],
};
const timings: { part: string; seconds: number }[] = [];

let cleaning: Promise<void> | undefined;
/** Servers first (killed), then the databases they used, then the temp dir (logs kept on failure). */
function cleanUp(keepLogs: boolean): Promise<void> {
  cleaning ??= (async () => {
    killAllServers();
    await Promise.allSettled(ctx.databases.map((d) => d.drop()));
    if (!keepLogs) rmSync(ctx.tmpDir, { recursive: true, force: true });
  })();
  return cleaning;
}
process.on("exit", () => killAllServers());
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    log(`\n${signal}: stopping the servers and dropping the proof's databases ...`);
    const timeout = setTimeout(() => process.exit(130), 10_000);
    void cleanUp(false).finally(() => {
      clearTimeout(timeout);
      process.exit(130);
    });
  });

/**
 * Runs one part, timed; a harness failure is counted and reported, and the proof goes on. After
 * a part that uses the servers, each must be alive (else it is a crash of that part's, and the
 * server is restarted), so the next part starts on live servers.
 */
async function part(name: string, run: () => Promise<void>, usesServers = true): Promise<void> {
  const t = performance.now();
  log(`\n== ${name}`);
  try {
    await run();
  } catch (error) {
    ctx.figures.harness_errors++;
    ctx.findings.add(`harness:${name}`, {
      part: name,
      kind: "the part could not finish",
      summary: error instanceof Error ? (error.stack ?? error.message) : String(error),
      reproducer: `PROOF_PARTS=... npm run proof (seed ${options.seed})`,
    });
  }
  // Whatever the part did, the next one starts on live servers; a crash is the part's harm.
  for (const target of usesServers ? ctx.targets : []) {
    if (await target.server.ensureAlive(name, ctx.findings, `after the part "${name}"`)) continue;
    if (name === "HTTP fuzz") ctx.figures.fuzz_crashes++;
    else if (name === "runaway expressions") ctx.figures.runaway_crashes++;
    else ctx.figures.other_crashes++;
  }
  const seconds = (performance.now() - t) / 1000;
  timings.push({ part: name, seconds });
  log(`== ${name}: ${seconds.toFixed(1)} s`);
}

const wants = (p: PartName) => options.parts.has(p);

async function main(): Promise<number> {
  log(
    `reliability proof: seed ${options.seed} (PROOF_SEED overrides), parts ${[...options.parts].join(", ")}`,
  );
  log(`server logs and reproducers: ${ctx.tmpDir}`);
  await part("build", async () => void ensureBuilt(log), false);
  if (wants("engine")) await part("engine fuzz", () => engineFuzzPart(ctx), false);

  const targets = ctx.targets;
  const serverParts = (
    ["http", "auth", "concurrency", "runaway", "faults", "load"] as const
  ).filter(wants);
  if (serverParts.length)
    await part("servers", async () => {
      // Seeded one after the other: two migrations at once on two cores only slow both down.
      await openTarget(ctx, "PGlite");
      await openTarget(ctx, "Postgres");
    });
  if (targets.length === 2) {
    if (wants("http")) await part("HTTP fuzz", () => httpFuzzPart(ctx, targets));
    if (wants("auth")) {
      await part("auth", () => authPart(ctx, targets));
      await part("sessions", () => sessionPart(ctx, targets));
    }
    if (wants("concurrency")) await part("concurrency", () => concurrencyPart(ctx, targets));
    if (wants("runaway")) await part("runaway expressions", () => runawayPart(ctx, targets));
    if (wants("faults")) await part("faults", () => faultsPart(ctx, targets));
    if (wants("load")) await part("load", () => loadPart(ctx, targets));
  }
  await part(
    "shutdown and logs",
    async () => {
      for (const s of ctx.servers) await s.stop();
      logScanPart(ctx);
    },
    false,
  );

  const f = ctx.figures;
  f.restart_refusals = ctx.servers.reduce((n, s) => n + s.refusedStarts.length, 0);
  f.duration_s = Math.round((performance.now() - started) / 1000);
  const failed = failures(f);
  f.passed = failed.length === 0;
  log("\n== timing");
  for (const t of timings) log(`  ${t.part.padEnd(22)} ${t.seconds.toFixed(1).padStart(6)} s`);
  if (options.docPath) {
    try {
      writeReliabilityDoc(options.docPath, ctx, timings, failed);
      log(`\nwrote ${path.relative(root, options.docPath)}`);
    } catch (error) {
      // The figures still go out below; a run that could not write its doc does not pass.
      console.error(error);
      f.harness_errors++;
      failed.push("harness_errors: the doc could not be written");
      f.passed = false;
    }
  } else log("\n(a partial or scaled run: docs/RELIABILITY.md is not written)");
  log(failed.length ? `\nFAILED: ${failed.join(", ")}` : "\npassed: no harm counted");
  await cleanUp(failed.length > 0);
  if (failed.length) log(`server logs kept in ${ctx.tmpDir}`);
  console.log(JSON.stringify(f));
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    console.error(error);
    await cleanUp(true);
    process.exit(2);
  },
);
