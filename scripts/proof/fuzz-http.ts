import { caseSeed, sampleOne } from "./arbitraries/engine-cases";
import { type HttpCase, hostileHttpCases, httpCaseArb } from "./arbitraries/http-cases";
import type { ProofContext, Target } from "./context";
import type { Findings } from "./findings";
import { errorCode, send } from "./http";
import { describeBytes } from "./json-text";
import type { ProofServer } from "./proof-server";
import { pathSuspects, suspects } from "./suspects";
import type { World } from "./world";

/**
 * Error codes of a deliberate "busy, try again" answer. A 503 carrying one is counted apart from
 * the 5xx (it is the server protecting itself, documented as such); any other 5xx is a bug.
 */
export const BUSY_CODES = new Set(["BUSY", "SERVER_BUSY", "TOO_BUSY", "OVERLOADED"]);

export interface HttpFuzzOptions {
  server: ProofServer;
  world: World;
  seed: number;
  count: number;
  /** Swap the hostile catalogue's routes (so two servers send each entry through both). */
  flip: boolean;
  findings: Findings;
  log: (line: string) => void;
  concurrency?: number;
  batchSize?: number;
  timeoutMs?: number;
}

export interface HttpFuzzResult {
  cases: number;
  fivexx: number;
  busy: number;
  /** Requests with no answer within the timeout, the server still alive. */
  timeouts: number;
  crashes: number;
  /** Answers by case kind and status class, e.g. { "events": { "2xx": 10, "4xx": 3 } }. */
  statuses: Record<string, Record<string, number>>;
}

/** A generated request and how to build it again. */
interface Item {
  make: () => HttpCase;
  /** e.g. "HTTP case 17 of seed 20261206": `show-case.ts http 20261206 17` prints it whole. */
  label: string;
}

function summary(c: HttpCase, label: string): string {
  const body =
    c.body === undefined
      ? ""
      : ` body (${typeof c.body === "string" ? c.body.length : c.body.byteLength} bytes): ${c.note}`;
  return `${label}: ${c.method} ${describeBytes(c.path, 160)} [${c.kind}]${body}`;
}

/**
 * The likely culprits of a request (see suspects.ts), or "no suspect". A path the server cannot
 * decode fails before any body is read: then the path alone is the suspect.
 */
function culprits(c: HttpCase): string {
  const path = pathSuspects(c.path);
  if (path.length) return path[0] as string;
  const body = suspects(c.body);
  return body.length ? body.join(", ") : "no suspect";
}

/**
 * Generated requests against one running server, in batches (a few in flight at a time); after
 * each batch the server must still be alive, or it is counted as crashed and restarted. The
 * hostile-expression catalogue goes last, one request per batch, so each crash or stall is
 * pinned on its request.
 */
export async function fuzzHttp(options: HttpFuzzOptions): Promise<HttpFuzzResult> {
  const { server, world, seed, count, findings } = options;
  const part = `HTTP fuzz on ${server.name}`;
  const concurrency = options.concurrency ?? 4;
  const batchSize = options.batchSize ?? 40;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const result: HttpFuzzResult = {
    cases: 0,
    fivexx: 0,
    busy: 0,
    timeouts: 0,
    crashes: 0,
    statuses: {},
  };
  const arb = httpCaseArb(world);
  const generated = (i: number) => sampleOne(arb, caseSeed(seed, i));
  const hostile = hostileHttpCases(world, options.flip);
  const batches: Item[][] = [];
  for (let i = 0; i < count; i += batchSize)
    batches.push(
      Array.from({ length: Math.min(batchSize, count - i) }, (_, k) => ({
        make: () => generated(i + k),
        label: `HTTP case ${i + k} of seed ${seed} (rebuild: tsx scripts/proof/show-case.ts http ${seed} ${i + k})`,
      })),
    );
  for (const [k, h] of hostile.entries())
    batches.push([
      { make: () => h, label: `hostile case ${k}${options.flip ? " (flipped)" : ""}` },
    ]);

  let done = 0;
  let lastReport = Date.now();
  for (const batch of batches) {
    const sent: { c: HttpCase; label: string; status: number; error?: string }[] = [];
    let next = 0;
    // A request without an answer from a server that is dead or silent ends the batch: the rest
    // would only wait for it too.
    let stop = false;
    const worker = async () => {
      while (next < batch.length && !stop) {
        const item = batch[next++] as Item;
        const c = item.make();
        const answer = await send(server.baseUrl, c, timeoutMs);
        sent.push({ c, label: item.label, status: answer.status, error: answer.error });
        result.cases++;
        result.statuses[c.kind] ??= {};
        const byKind = result.statuses[c.kind] as Record<string, number>;
        const bucket = answer.status === 0 ? "no answer" : `${Math.floor(answer.status / 100)}xx`;
        byKind[bucket] = (byKind[bucket] ?? 0) + 1;
        if (answer.status >= 500) {
          const code = errorCode(answer.body);
          if (answer.status === 503 && code && BUSY_CODES.has(code)) {
            result.busy++;
            continue;
          }
          result.fivexx++;
          const suspect = culprits(c);
          findings.add(
            `5xx:${part}:${answer.status}:${c.kind}:${code ?? "not an envelope"}:${suspect}`,
            {
              part,
              kind: `HTTP ${answer.status}`,
              summary: `${c.kind}, suspect: ${suspect}; answered ${answer.status} ${describeBytes(answer.body, 160)}`,
              reproducer: summary(c, item.label),
            },
          );
        } else if (answer.status === 0) {
          if (!(await server.alive())) {
            stop = true;
            continue;
          }
          result.timeouts++;
          findings.add(`timeout:${part}:${c.kind}:${culprits(c)}:${c.note.slice(0, 60)}`, {
            part,
            kind: "no answer",
            summary: `${c.kind}, suspect: ${culprits(c)}: ${answer.error} (the server was alive after it)`,
            reproducer: summary(c, item.label),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    done += batch.length;
    // The requests that got no answer are the suspects of a crash; else the whole (small) batch.
    const suspects = sent.filter((s) => s.status === 0);
    const blame = (suspects.length ? suspects : sent.slice(-3))
      .slice(0, 3)
      .map((s) => `${summary(s.c, s.label)} -> ${s.status || s.error}`)
      .join(" || ");
    if (!(await server.ensureAlive(part, findings, blame))) result.crashes++;
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      options.log(
        `  ${server.name}: ${done} requests, ${result.fivexx} 5xx, ${result.crashes} crashes, ${result.timeouts} unanswered`,
      );
    }
  }
  return result;
}

/** The HTTP fuzz as a part of the proof: the same cases (same seed) on every target. */
export async function httpFuzzPart(ctx: ProofContext, targets: Target[]): Promise<void> {
  const { seed, httpCases } = ctx.options;
  const rows: string[] = [];
  const kinds = new Map<string, string[]>();
  for (const [i, target] of targets.entries()) {
    ctx.log(
      `HTTP fuzz on ${target.label}: ${httpCases} generated requests + the hostile catalogue, seed ${seed}`,
    );
    const r = await fuzzHttp({
      server: target.server,
      world: target.world,
      seed,
      count: httpCases,
      flip: i % 2 === 1,
      findings: ctx.findings,
      log: ctx.log,
    });
    ctx.figures.fuzz_cases += r.cases;
    ctx.figures.fuzz_5xx += r.fivexx;
    ctx.figures.fuzz_busy_503 += r.busy;
    ctx.figures.fuzz_timeouts += r.timeouts;
    ctx.figures.fuzz_crashes += r.crashes;
    ctx.log(
      `  ${target.label}: ${r.cases} requests, ${r.fivexx} 5xx, ${r.busy} busy 503, ${r.timeouts} unanswered, ${r.crashes} crashes`,
    );
    rows.push(
      `| ${target.label} | ${r.cases} | ${r.fivexx} | ${r.busy} | ${r.timeouts} | ${r.crashes} |`,
    );
    for (const [kind, statuses] of Object.entries(r.statuses)) {
      const text = Object.entries(statuses)
        .sort()
        .map(([s, n]) => `${s} ${n}`)
        .join(", ");
      kinds.set(kind, [...(kinds.get(kind) ?? []), `${target.label}: ${text}`]);
    }
  }
  ctx.sections.push({
    title: "HTTP fuzz (every route, both databases)",
    method:
      `${httpCases} generated requests per server (the same ones on both: same seed), then the ` +
      "hostile catalogue, each expression once per server, alternately through the mapping " +
      "simulation and a dry run (swapped on the second server, so each goes through both routes). " +
      "Requests: events posts (valid requests, mutated ones: keys dropped, types swapped, hostile " +
      "strings injected, prototype keys added, huge or deeply nested values; payloads as objects " +
      "or JSON strings), mapping simulations and dry runs with generated configurations and " +
      "payloads, dry runs of odd slugs (`%00`, non-UTF-8 escapes, unicode, 5,000 characters), " +
      "malformed bodies (cut JSON, bytes that are not UTF-8, NUL, `1e999999`, 100,000 open " +
      "brackets, random bytes, wrong content types), unknown `/api` paths with any method, wrong " +
      "methods on every route and odd queries on GET /api/v1/openapi.json; one in thirty has a " +
      "missing, wrong or revoked key. Four requests are in flight at a time, in batches of 40; " +
      "after each batch the server must answer GET /api/v1/openapi.json and an empty dry run (on " +
      "Postgres, that needs the import thread) within 5 s each, or it counts " +
      "as a crash (dead or stopped answering), is killed and restarted on the same data. A " +
      "request without an answer within 15 s (the engine's budget per request is 10 s) from a " +
      "server still alive counts as unanswered. " +
      `A 503 whose envelope code is one of ${[...BUSY_CODES].join(", ")} is a deliberate "busy" ` +
      "answer and counted apart; every other status >= 500 is a bug. No such answer exists today: " +
      "the README's 503s (DATABASE_UNAVAILABLE, IMPORT_THREAD_RESTARTED) mean a lost database or a " +
      "dead import thread, which nothing in a fuzzed request should cause, so they count as 5xx.",
    results: [
      "| server | requests | 5xx | busy 503 | unanswered | crashes |",
      "|---|---|---|---|---|---|",
      ...rows,
      "",
      "Answers by kind of request:",
      "",
      ...[...kinds.entries()].map(([kind, lines]) => `- ${kind}: ${lines.join("; ")}`),
    ],
  });
}
