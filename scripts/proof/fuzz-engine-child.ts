/**
 * The engine fuzz's worker process (see fuzz-engine.ts): runs cases `from` to `to` of a seed and
 * reports each on stdout as one JSON line, `{ "start": i }` before and `{ "done": i, ... }` after,
 * so the parent knows which case was running when this process died or stopped answering.
 * Usage: node --import tsx fuzz-engine-child.ts SEED FROM TO GENERATED
 */
import { writeSync } from "node:fs";
import { engineCaseAt } from "./arbitraries/engine-cases";
import { checkEngineCase, FUZZ_STATES } from "./engine-checks";

const [seed, from, to, generated] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
];
// Only this process's protocol goes to stdout; anything the engine might print goes to stderr.
console.log = console.error;
const report = (line: object) => writeSync(1, `${JSON.stringify(line)}\n`);

for (let i = from; i < to; i++) {
  const c = engineCaseAt(seed, generated, i);
  report({ start: i });
  const t = performance.now();
  const { problems, planned, refused } = await checkEngineCase(c, FUZZ_STATES[c.state] ?? {});
  report({ done: i, ms: Math.round(performance.now() - t), planned, refused, problems });
}
