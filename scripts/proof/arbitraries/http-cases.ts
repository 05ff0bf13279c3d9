import fc from "fast-check";
import type { HttpRequest } from "../http";
import { describeBytes, describeJson, toJsonText } from "../json-text";
import { EVENT_NAME, OTHER_SLUG, SLUG, UNPUBLISHED_SLUG, type World } from "../world";
import { configArb, EXPRESSION_SLOTS, withExpression } from "./configs";
import { HOSTILE_EXPRESSIONS } from "./expressions";
import { hostileJson, hostileString } from "./hostile-values";
import { mutated } from "./mutate";
import { payloadArb, smallPayload, validPayload } from "./payloads";

/** One generated request, with what it is for reports. */
export interface HttpCase extends HttpRequest {
  /** Which family of requests it belongs to (the fuzz's table rows). */
  kind: string;
  /** What was generated, short and printable. */
  note: string;
}

export const EVENTS = "/api/v1/erp/updates/events";
export const SIMULATION = "/api/v1/erp/updates/mapping_simulation";
export const dryRun = (slug: string) => `/api/v1/use-cases/${slug}/dry-run`;
export const OPENAPI = "/api/v1/openapi.json";

/** A path segment, every byte outside the unreserved set percent-encoded (lone surrogates as U+FFFD). */
export function encodeSegment(s: string): string {
  return [...Buffer.from(s, "utf8")]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

/** Segments no string encodes to: bytes that are not UTF-8, broken escapes, traversal. */
const rawSegments = fc.constantFrom(
  "%00",
  "%ED%A0%80",
  "%C0%AF",
  "%FF%FE",
  "%",
  "%zz",
  "..%2F..",
  "%2e%2e",
  "a%2Fb",
  "x".repeat(5000),
);

const segment = fc.oneof(hostileString.map(encodeSegment), rawSegments);

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/json; charset=utf-16",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/xml",
  "",
];

function headers(key: string | null, contentType = "application/json"): Record<string, string> {
  const h: Record<string, string> = {};
  if (contentType) h["content-type"] = contentType;
  if (key !== null) h.authorization = key;
  return h;
}

/** Mostly the integration's key (requests must get past the door), now and then not. */
function authorization(world: World): fc.Arbitrary<string | null> {
  const good = `Bearer ${world.apiKey}`;
  return fc.oneof(
    { arbitrary: fc.constant(good), weight: 30 },
    {
      arbitrary: fc.constantFrom(
        null,
        "Bearer",
        `bearer ${world.apiKey}`,
        `Bearer ${world.apiKey}x`,
        `Bearer ${world.apiKey} ${world.apiKey}`,
        `Basic ${Buffer.from("a:b").toString("base64")}`,
        `Bearer ${world.revokedKey}`,
        `Bearer ${"k".repeat(10_000)}`,
      ),
      weight: 1,
    },
  );
}

function json(
  kind: string,
  method: string,
  path: string,
  key: string | null,
  value: unknown,
): HttpCase {
  return {
    kind,
    method,
    path,
    headers: headers(key),
    body: toJsonText(value),
    note: describeJson(value),
  };
}

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

/** Bytes that are not the JSON they claim to be. */
function malformedBody(world: World): fc.Arbitrary<{ bytes: Uint8Array; note: string }> {
  const valid = JSON.stringify({
    integration_id: world.integrationId,
    events: [
      {
        timestamp: "2024-06-01T10:00:00Z",
        format: "json",
        use_case_slug: SLUG,
        payload: smallPayload(),
      },
    ],
  });
  const text = (t: string, note = describeBytes(t, 120)) => ({
    bytes: Buffer.from(t, "utf8"),
    note,
  });
  return fc.oneof(
    fc
      .constantFrom(
        "",
        "{",
        "[",
        '{"a":}',
        "nul",
        "{'a':1}",
        "\ufeff{}",
        "{}garbage",
        "NaN",
        "[1,]",
        '{"a":1,}',
        "/* c */ {}",
        '"str"',
        "123",
        "true",
        "null",
        '{"payload":1e999999}',
        `{"events":${"[".repeat(100_000)}`,
        `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
        `{"payload":"\\ud800","configuration":"\\u0000"}`,
        '{"__proto__":{"polluted":true},"payload":{}}',
      )
      .map((t) => text(t)),
    fc.nat(valid.length).map((n) => text(valid.slice(0, n), `a valid request cut at byte ${n}`)),
    fc
      .tuple(
        fc.nat(valid.length),
        fc.constantFrom([0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0x00]),
      )
      .map(([at, bad]) => ({
        bytes: Buffer.concat([
          Buffer.from(valid.slice(0, at)),
          Buffer.from(bad),
          Buffer.from(valid.slice(at)),
        ]),
        note: `a valid request with bytes ${bad.map((b) => b.toString(16)).join(" ")} at ${at}`,
      })),
    fc
      .uint8Array({ maxLength: 300 })
      .map((bytes) => ({ bytes, note: `random bytes: ${describeBytes(bytes, 80)}` })),
  );
}

function malformedCase(world: World): fc.Arbitrary<HttpCase> {
  return fc
    .tuple(
      fc.constantFrom(EVENTS, SIMULATION, dryRun(SLUG)),
      malformedBody(world),
      fc.constantFrom(...CONTENT_TYPES),
      authorization(world),
    )
    .map(([path, { bytes, note }, contentType, key]) => ({
      kind: "malformed body",
      method: "POST",
      path,
      headers: headers(key, contentType),
      body: bytes,
      note: `${note} as ${contentType || "no content type"}`,
    }));
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND"];

function unknownPathCase(world: World): fc.Arbitrary<HttpCase> {
  return fc
    .tuple(
      fc.constantFrom(...METHODS),
      fc.constantFrom("/api/", "/api/v1/", "/api/v1/erp/", "/api/v1/use-cases/", "/api/v2/"),
      fc.array(segment, { minLength: 1, maxLength: 3 }),
      fc.option(hostileJson, { nil: undefined }),
      authorization(world),
    )
    .map(([method, prefix, segments, body, key]) => ({
      kind: "unknown path",
      method,
      path: prefix + segments.join("/"),
      headers: headers(key),
      body: body === undefined ? undefined : toJsonText(body),
      note: body === undefined ? "no body" : describeJson(body),
    }));
}

function wrongMethodCase(world: World): fc.Arbitrary<HttpCase> {
  return fc
    .oneof(
      fc.tuple(
        fc.constantFrom("GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND"),
        fc.constantFrom(EVENTS, SIMULATION, dryRun(SLUG)),
      ),
      fc.tuple(fc.constantFrom("POST", "PUT", "PATCH", "DELETE", "OPTIONS"), fc.constant(OPENAPI)),
    )
    .chain(([method, path]) =>
      authorization(world).map((key) => ({
        kind: "wrong method",
        method,
        path,
        headers: headers(key),
        body: "{}",
        note: "{}",
      })),
    );
}

function openApiCase(): fc.Arbitrary<HttpCase> {
  return fc
    .tuple(segment, fc.constantFrom("application/json", "text/html", "*/*", "application/xml", ""))
    .map(
      ([query, accept]): HttpCase => ({
        kind: "openapi",
        method: "GET",
        path: `${OPENAPI}?${query}=${query}`,
        headers: accept ? { accept } : ({} as Record<string, string>),
        note: `query ${query}`,
      }),
    );
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
