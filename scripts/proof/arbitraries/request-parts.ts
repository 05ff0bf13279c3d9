import fc from "fast-check";
import type { HttpRequest } from "../http";
import { describeJson, toJsonText } from "../json-text";
import type { World } from "../world";
import { hostileString } from "./hostile-values";

/** The pieces every generated request is made of: routes, path segments, headers, keys, JSON. */
export { dryRun, EVENTS, OPENAPI, SIMULATION } from "../routes";

/** One generated request, with what it is for reports. */
export interface HttpCase extends HttpRequest {
  /** Which family of requests it belongs to (the fuzz's table rows). */
  kind: string;
  /** What was generated, short and printable. */
  note: string;
}

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
export const rawSegments = fc.constantFrom(
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

export const segment = fc.oneof(hostileString.map(encodeSegment), rawSegments);

export const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/json; charset=utf-16",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/xml",
  "",
];

export function headers(
  key: string | null,
  contentType = "application/json",
): Record<string, string> {
  const h: Record<string, string> = {};
  if (contentType) h["content-type"] = contentType;
  if (key !== null) h.authorization = key;
  return h;
}

/** Mostly the integration's key (requests must get past the door), now and then not. */
export function authorization(world: World): fc.Arbitrary<string | null> {
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

export function json(
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
