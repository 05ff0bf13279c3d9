import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { engineCaseAt, hostileEngineCases } from "./arbitraries/engine-cases";
import type { ProofContext } from "./context";
import type { EngineProblem } from "./engine-checks";
import type { Findings } from "./findings";
import { describeBytes } from "./json-text";

export interface EngineFuzzOptions {
  seed: number;
  /** Generated cases; the hostile-expression catalogue runs after them. */
  generated: number;
  /** A case still running after this long is a hang: the process is killed and restarted. */
  deadlineMs: number;
  findings: Findings;
  log: (line: string) => void;
}

export interface EngineFuzzResult {
  cases: number;
  /** Cases whose configuration compiled and whose payload went through the planner. */
  planned: number;
  /** Cases whose JSON text the app's JSON reader refuses (too deep), so no engine sees them. */
  refused: number;
  /** Cases with a throw escaping the engine or a malformed result. */
  failures: number;
  /** Times the worker process died (V8 fatal errors end a process, not just a thread). */
  crashes: number;
  /** Cases still running at the deadline. */
  hangs: number;
  slowest: { index: number; ms: number; origin: string }[];
}

const PART = "engine fuzz (in-process)";
const child = path.join(import.meta.dirname, "fuzz-engine-child.ts");

function reproducer(seed: number, generated: number, index: number): string {
  const c = engineCaseAt(seed, generated, index);
  const what = c.plan ? "config + payload through planImport/simulateMapping" : "config";
  return (
    `engine case ${index} of seed ${seed} (${c.origin}; ${what}; state ${c.state}; rebuild: ` +
    `tsx scripts/proof/show-case.ts engine ${seed} ${generated} ${index}): ` +
    `config ${describeBytes(c.configText, 1200)} payload ${describeBytes(c.payloadText, 300)}`
  );
}

/**
 * validateConfig, compileConfig, planImport and simulateMapping on generated cases, in a worker
 * process: an expression that makes V8 abort kills the worker, not the proof. The worker is
 * restarted after the case that killed or stalled it, which is counted and reported.
 */
export async function fuzzEngine(options: EngineFuzzOptions): Promise<EngineFuzzResult> {
  const { seed, generated, findings } = options;
  const total = generated + hostileEngineCases().length;
  const result: EngineFuzzResult = {
    cases: 0,
    planned: 0,
    refused: 0,
    failures: 0,
    crashes: 0,
    hangs: 0,
    slowest: [],
  };
  const times: { index: number; ms: number }[] = [];
  let next = 0;
  while (next < total) {
    const run = await runWorker(seed, next, total, generated, options.deadlineMs, (line) => {
      result.cases++;
      if (line.planned) result.planned++;
      if (line.refused) result.refused++;
      times.push({ index: line.done, ms: line.ms });
      if (line.problems.length === 0) return;
      result.failures++;
      for (const p of line.problems)
        findings.add(`engine:${p.where}:${p.kind}:${p.message.slice(0, 80)}`, {
          part: PART,
          kind: `${p.where} ${p.kind === "threw" ? "threw" : "gave a malformed result"}`,
          summary: p.message,
          reproducer: reproducer(seed, generated, line.done),
        });
    });
    if (run.stopped === null) break;
    const { index, reason, stderr } = run.stopped;
    result.cases++;
    if (reason === "hang") result.hangs++;
    else result.crashes++;
    findings.add(`engine:${reason}:${index}`, {
      part: PART,
      kind: reason === "hang" ? `hang (no answer within ${options.deadlineMs} ms)` : "process died",
      summary:
        reason === "hang"
          ? "one engine call ran past the deadline; the worker was killed"
          : `the worker process died: ${stderr}`,
      reproducer: reproducer(seed, generated, index),
    });
    next = index + 1;
  }
  result.slowest = times
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((t) => ({ ...t, origin: engineCaseAt(seed, generated, t.index).origin }));
  return result;
}

interface DoneLine {
  done: number;
  ms: number;
  planned: boolean;
  refused?: boolean;
  problems: EngineProblem[];
}

/** One worker from `from`: it ends when all cases ran (stopped null) or a case killed or stalled it. */
function runWorker(
  seed: number,
  from: number,
  to: number,
  generated: number,
  deadlineMs: number,
  onDone: (line: DoneLine) => void,
): Promise<{ stopped: { index: number; reason: "hang" | "crash"; stderr: string } | null }> {
  const worker = spawn(
    process.execPath,
    ["--import", "tsx", child, String(seed), String(from), String(to), String(generated)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  worker.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let running: number | null = null;
  let lastDone = from - 1;
  let timer: NodeJS.Timeout | undefined;
  let hung = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      hung = true;
      worker.kill("SIGKILL");
    }, deadlineMs);
  };
  createInterface({ input: worker.stdout }).on("line", (text) => {
    let line: { start: number } | DoneLine;
    try {
      line = JSON.parse(text);
    } catch {
      return; // Not the protocol: something in the engine wrote to stdout.
    }
    if ("start" in line) {
      running = line.start;
      arm();
    } else {
      running = null;
      lastDone = line.done;
      clearTimeout(timer);
      onDone(line);
    }
  });
  return new Promise((resolve) => {
    worker.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (running === null && code === 0 && lastDone === to - 1) return resolve({ stopped: null });
      const firstLine =
        stderr
          .split("\n")
          .find((l) => /fatal|error/i.test(l))
          ?.trim() ?? `exit code ${code}, signal ${signal}`;
      resolve({
        stopped: {
          index: running ?? lastDone + 1,
          reason: hung ? "hang" : "crash",
          stderr: firstLine.slice(0, 300),
        },
      });
    });
  });
}

/** The engine fuzz as a part of the proof: figures, and its section of the report. */
export async function engineFuzzPart(ctx: ProofContext): Promise<void> {
  const { seed, engineCases } = ctx.options;
  const hostile = hostileEngineCases().length;
  ctx.log(
    `engine fuzz: ${engineCases} generated cases + ${hostile} hostile expressions, seed ${seed}`,
  );
  const r = await fuzzEngine({
    seed,
    generated: engineCases,
    deadlineMs: 15_000,
    findings: ctx.findings,
    log: ctx.log,
  });
  ctx.figures.fuzz_cases += r.cases;
  ctx.figures.engine_failures += r.failures;
  ctx.figures.engine_crashes += r.crashes;
  ctx.figures.engine_hangs += r.hangs;
  ctx.log(
    `  ${r.cases} cases (${r.planned} through the planner, ${r.refused} refused as too deep by the JSON reader): ${r.failures} failures, ${r.crashes} worker deaths, ${r.hangs} hangs`,
  );
  const slow = r.slowest.map((s) => `case ${s.index} (${s.origin}) ${s.ms} ms`).join("; ");
  ctx.log(`  slowest: ${slow}`);
  ctx.sections.push({
    title: "Engine fuzz (in-process)",
    method:
      `${engineCases} generated cases and the ${hostile} hostile expressions of the catalogue ` +
      "(`scripts/proof/arbitraries/expressions.ts`), each once in a slot that runs per reading. " +
      "A case is a configuration (valid, mutated, with odd or broken expressions, with " +
      "Object.prototype names, or any JSON) sent through `validateConfig` and `compileConfig`, and " +
      "for three in four also a payload (valid, mutated or any JSON) and a small stored state " +
      "through `planImport` and `simulateMapping` (lib/engine). The JSON text of each case is " +
      "read as every door of the app reads JSON (lib/json's `parseJson`: routes, CLI and studio), " +
      "which refuses text nested deeper than 256 levels; such a case never reaches the engine " +
      "and is counted as refused. A failure is a throw escaping any of these, a result " +
      "of the wrong shape (validity disagreeing with errors, a summary that does not count the " +
      "decisions) or one `JSON.stringify` cannot serialise (a route would answer 500). The cases " +
      "run in a worker process, so an expression that makes V8 abort ends the worker, not the " +
      "proof: a worker that dies is a crash, a case running past 15 s (the engine's budget per " +
      "request is 10 s) a hang; both are counted " +
      "and the worker restarts after that case.",
    results: [
      `| cases | through the planner | refused by the JSON reader | failures | worker deaths | hangs |`,
      `|---|---|---|---|---|---|`,
      `| ${r.cases} | ${r.planned} | ${r.refused} | ${r.failures} | ${r.crashes} | ${r.hangs} |`,
      "",
      `Slowest cases: ${slow}.`,
    ],
  });
}
