import fc from "fast-check";
import { describeBytes, describeJson, toJsonText } from "../json-text";
import { SLUG, type World } from "../world";
import { hostileJson } from "./hostile-values";
import { smallPayload } from "./payloads";
import {
  authorization,
  CONTENT_TYPES,
  dryRun,
  EVENTS,
  type HttpCase,
  headers,
  OPENAPI,
  SIMULATION,
  segment,
} from "./request-parts";

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

export function malformedCase(world: World): fc.Arbitrary<HttpCase> {
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

export function unknownPathCase(world: World): fc.Arbitrary<HttpCase> {
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

export function wrongMethodCase(world: World): fc.Arbitrary<HttpCase> {
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

export function openApiCase(): fc.Arbitrary<HttpCase> {
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
