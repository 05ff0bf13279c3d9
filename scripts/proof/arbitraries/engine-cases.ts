import fc from "fast-check";
import { toJsonText } from "../json-text";
import { configArb, EXPRESSION_SLOTS, withExpression } from "./configs";
import { HOSTILE_EXPRESSIONS } from "./expressions";
import { payloadArb, smallPayload } from "./payloads";

/**
 * One in-process case: a configuration (and, for `plan`, a payload and a state) as the JSON text
 * a client would send; the runner parses it, as a server would, so prototype keys arrive as own
 * keys and nesting 50,000 levels deep as real nesting.
 */
export interface EngineCase {
  plan: boolean;
  configText: string;
  payloadText: string;
  state: number;
  /** For reports: where the case came from. */
  origin: string;
}

/** Configurations alone (validation), or with a payload through the whole engine. */
export function engineCaseArb(hugeWeight = 1): fc.Arbitrary<EngineCase> {
  return fc
    .record({
      plan: fc.oneof(
        { arbitrary: fc.constant(false), weight: 1 },
        { arbitrary: fc.constant(true), weight: 3 },
      ),
      config: configArb(hugeWeight),
      payload: payloadArb(hugeWeight),
      state: fc.nat(2),
    })
    .map(({ plan, config, payload, state }) => ({
      plan,
      configText: toJsonText(config),
      payloadText: toJsonText(payload),
      state,
      origin: "generated",
    }));
}

/** Case `index` of a run: each case has a seed of its own, so any one can be rebuilt alone. */
export function caseSeed(seed: number, index: number): number {
  // A multiplicative hash spreads neighbouring indexes over the seed space.
  return (Math.imul(index + 1, 0x9e3779b1) ^ seed) | 0;
}

export function sampleOne<T>(arb: fc.Arbitrary<T>, seed: number): T {
  return fc.sample(arb, { seed, numRuns: 1 })[0] as T;
}

/**
 * The hostile-expression catalogue as engine cases: each expression once, in a slot that runs
 * it once per reading of a three-reading payload (slots taken in turn).
 */
export function hostileEngineCases(): EngineCase[] {
  return HOSTILE_EXPRESSIONS.map((h, i) => {
    const slot = EXPRESSION_SLOTS[i % EXPRESSION_SLOTS.length] ?? "field";
    return {
      plan: true,
      configText: JSON.stringify(withExpression(h.expression, slot)),
      payloadText: JSON.stringify(smallPayload()),
      state: 1,
      origin: `hostile expression "${h.name}" as the ${slot}`,
    };
  });
}

/** Case `index` of a run of `generated` generated cases followed by the hostile catalogue. */
export function engineCaseAt(seed: number, generated: number, index: number): EngineCase {
  if (index < generated) return sampleOne(engineCaseArb(), caseSeed(seed, index));
  const hostile = hostileEngineCases()[index - generated];
  if (!hostile) throw new Error(`no engine case ${index}`);
  return hostile;
}
