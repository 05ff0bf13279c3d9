import { readFileSync } from "node:fs";
import type { ProofContext } from "./context";
import { describeBytes } from "./json-text";

interface LogScan {
  unhandled: number;
  threadFailures: number;
  fatal: number;
  otherErrors: number;
  /** Distinct error lines (numbers and ids blanked), with how often each came. */
  samples: Map<string, number>;
}

const PATTERNS = {
  // What the route wrapper and the import thread log before a 500 (main's wording since the
  // error ids: "[mms] error <id> in a route handler: ...").
  unhandled: /Unhandled error|\[mms\] error \S+ in /,
  threadFailures: /import thread failed/,
  fatal: /fatal|FATAL|Aborted|core dumped|invalid size error/,
  otherErrors: /error|Error|ERR_|uncaught|unhandled/,
};

/** Error lines of a server's log, by kind: each request that failed on the server says so here. */
export function scanLog(file: string): LogScan {
  const scan: LogScan = {
    unhandled: 0,
    threadFailures: 0,
    fatal: 0,
    otherErrors: 0,
    samples: new Map(),
  };
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return scan;
  }
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    // Stack frames belong to the line above them.
    if (!line || line.startsWith("at ")) continue;
    let kind: keyof typeof PATTERNS | undefined;
    for (const k of Object.keys(PATTERNS) as (keyof typeof PATTERNS)[])
      if (PATTERNS[k].test(line)) {
        kind = k;
        break;
      }
    if (!kind) continue;
    scan[kind]++;
    const key = describeBytes(
      line.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<id>").replace(/\d+/g, "N"),
      200,
    );
    scan.samples.set(key, (scan.samples.get(key) ?? 0) + 1);
  }
  return scan;
}

/** Every server's log, scanned after the servers stopped: counts and the distinct lines. */
export function logScanPart(ctx: ProofContext): void {
  const results: string[] = [
    "| server log | unexpected failures | import thread failed | fatal | other error lines |",
    "|---|---|---|---|---|",
  ];
  const samples: string[] = [];
  for (const server of ctx.servers) {
    const s = scanLog(server.logFile);
    ctx.figures.log_unhandled_errors += s.unhandled;
    ctx.log(
      `  ${server.name} log: ${s.unhandled} unexpected failures, ${s.threadFailures} import thread failures, ${s.fatal} fatal, ${s.otherErrors} other error lines`,
    );
    results.push(
      `| ${server.name} (port ${server.port}) | ${s.unhandled} | ${s.threadFailures} | ${s.fatal} | ${s.otherErrors} |`,
    );
    const top = [...s.samples.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [line, n] of top) {
      ctx.log(`    ${n}x ${line}`);
      samples.push(`- ${server.name}, ${n}x: \`${line.replaceAll("`", "'")}\``);
    }
  }
  ctx.sections.push({
    title: "Server logs",
    method:
      "Each server's stdout and stderr go to a file of their own; after the servers stop, the " +
      "files are scanned for unexpected failures (`Unhandled error`, or `[mms] error <id> in ...`: " +
      "what the route wrapper and the import thread log before answering 500), the import thread's failures, fatal errors (V8 aborts) and any other line that " +
      "mentions an error. Restarts append to the same file. These are information: the harm " +
      "they stand for is counted from the answers and the processes above.",
    results: [...results, "", "Most frequent lines (numbers and ids blanked):", "", ...samples],
  });
}
