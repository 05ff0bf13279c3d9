import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { engineCaseArb } from "../scripts/proof/arbitraries/engine-cases";
import { checkEngineCase, FUZZ_STATES } from "../scripts/proof/engine-checks";

/**
 * The fast, deterministic slice of `npm run proof`'s engine fuzz: generated and mutated
 * configurations and payloads (unicode, NUL, lone surrogates, prototype keys, wrong types,
 * cheap and broken JSONata; huge values left to the proof), read as the app's doors read JSON,
 * through validateConfig, compileConfig, planImport and simulateMapping, in this process. The costly hostile
 * expressions (runaway loops, huge strings, catastrophic regexes) run only in the proof, in a
 * worker process they may kill. A fixed seed keeps the run the same every time; a failure
 * prints the seed and path to replay it, and the shrunk case.
 */
describe("the engine on fuzzed input", () => {
  it("never lets a throw escape and always returns well-formed results", async () => {
    await fc.assert(
      fc.asyncProperty(engineCaseArb(0), async (c) => {
        const { problems } = await checkEngineCase(c, FUZZ_STATES[c.state] ?? {});
        expect(problems).toEqual([]);
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
});
