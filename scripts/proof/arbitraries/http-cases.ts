import fc from "fast-check";
import { EVENT_NAME, OTHER_SLUG, SLUG, UNPUBLISHED_SLUG, type World } from "../world";
import { configArb, EXPRESSION_SLOTS, withExpression } from "./configs";
import { HOSTILE_EXPRESSIONS } from "./expressions";
import { hostileJson, hostileString } from "./hostile-values";
import { mutated } from "./mutate";
import { malformedCase, openApiCase, unknownPathCase, wrongMethodCase } from "./odd-requests";
import { payloadArb, smallPayload, validPayload } from "./payloads";
import {
  authorization,
  dryRun,
  EVENTS,
  type HttpCase,
  json,
  SIMULATION,
  segment,
} from "./request-parts";

export type { HttpCase } from "./request-parts";

const eventArb = fc.record(
  {
    timestamp: fc.oneof(fc.constant("2024-06-01T10:00:00Z"), hostileString),
    format: fc.constant("json"),
    payload: fc.oneof(
      { arbitrary: validPayload, weight: 3 },
      { arbitrary: validPayload.map((p) => JSON.stringify(p)), weight: 1 },
    ),
    use_case_slug: fc.constant(SLUG),
    event_name: fc.constant(EVENT_NAME),
    deduplication_id: fc.nat(50).map((n) => `dd-${n}`),
  },
  { requiredKeys: ["timestamp", "format", "payload"] },
);

function eventsRequest(world: World) {
  return fc.record(
    {
      integration_id: fc.constant(world.integrationId),
      correlation_id: fc.oneof(fc.constant("fuzz"), hostileString),
      events: fc.array(eventArb, { minLength: 1, maxLength: 3 }).map((events) =>
        // An event with neither is refused (422): keep most of them routable.
        events.map((e, i) =>
          e.use_case_slug || e.event_name || i > 0 ? e : { ...e, use_case_slug: SLUG },
        ),
      ),
    },
    { requiredKeys: ["integration_id", "events"] },
  );
}

function eventsCase(world: World): fc.Arbitrary<HttpCase> {
  const request = eventsRequest(world);
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: request, weight: 2 },
        { arbitrary: mutated(request), weight: 5 },
        {
          arbitrary: fc
            .tuple(request, payloadArb())
            .map(([r, payload]) => ({ ...r, events: [{ ...r.events[0], payload }] })),
          weight: 3,
        },
        { arbitrary: hostileJson, weight: 1 },
      ),
      authorization(world),
    )
    .map(([body, key]) => json("events", "POST", EVENTS, key, body));
}

function simulationCase(world: World): fc.Arbitrary<HttpCase> {
  const request = fc.record({
    event_configuration: configArb(),
    format: fc.constant("json"),
    payload: payloadArb(),
  });
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: request, weight: 5 },
        { arbitrary: mutated(request), weight: 2 },
        { arbitrary: hostileJson, weight: 1 },
      ),
      authorization(world),
    )
    .map(([body, key]) => json("mapping simulation", "POST", SIMULATION, key, body));
}

const slugArb = fc.oneof(
  { arbitrary: fc.constant(SLUG), weight: 12 },
  {
    arbitrary: fc.constantFrom(UNPUBLISHED_SLUG, OTHER_SLUG, "READINGS", "no-such-case"),
    weight: 2,
  },
  { arbitrary: segment, weight: 2 },
);

function dryRunCase(world: World): fc.Arbitrary<HttpCase> {
  const request = fc.record(
    { payload: payloadArb(), configuration: configArb() },
    { requiredKeys: ["payload"] },
  );
  return fc
    .tuple(
      slugArb,
      fc.oneof(
        { arbitrary: request, weight: 5 },
        { arbitrary: mutated(request), weight: 2 },
        { arbitrary: hostileJson, weight: 1 },
      ),
      authorization(world),
    )
    .map(([slug, body, key]) => json("dry run", "POST", dryRun(slug), key, body));
}

/** Every route and then some: weights follow where the server has the most code to get wrong. */
export function httpCaseArb(world: World): fc.Arbitrary<HttpCase> {
  return fc.oneof(
    { arbitrary: eventsCase(world), weight: 25 },
    { arbitrary: simulationCase(world), weight: 25 },
    { arbitrary: dryRunCase(world), weight: 20 },
    { arbitrary: malformedCase(world), weight: 12 },
    { arbitrary: unknownPathCase(world), weight: 8 },
    { arbitrary: wrongMethodCase(world), weight: 5 },
    { arbitrary: openApiCase(), weight: 3 },
  );
}

/**
 * The hostile-expression catalogue as requests: each expression once, in a configuration slot
 * that runs it per reading, alternately through the mapping simulation and a dry run (`flip`
 * swaps the two, so two servers between them send each expression through both routes).
 */
export function hostileHttpCases(world: World, flip: boolean): HttpCase[] {
  return HOSTILE_EXPRESSIONS.map((h, i) => {
    const slot = EXPRESSION_SLOTS[i % EXPRESSION_SLOTS.length] ?? "field";
    const config = withExpression(h.expression, slot);
    const payload = smallPayload();
    const simulation = (i % 2 === 0) !== flip;
    const note = `hostile expression "${h.name}" (${h.expression}) as the ${slot}`;
    return simulation
      ? {
          ...json("hostile expression", "POST", SIMULATION, `Bearer ${world.apiKey}`, {
            event_configuration: config,
            format: "json",
            payload,
          }),
          note,
        }
      : {
          ...json("hostile expression", "POST", dryRun(SLUG), `Bearer ${world.apiKey}`, {
            payload,
            configuration: config,
          }),
          note,
        };
  });
}
