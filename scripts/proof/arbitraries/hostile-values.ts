import fc from "fast-check";
import { deepJson, objectOf, RawJson } from "../json-text";

/** Keys that name something on Object.prototype: a lookup in a plain object finds them. */
export const PROTOTYPE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupGetter__",
] as const;

/**
 * Strings that broke or nearly broke servers of this kind: NUL (Postgres text cannot hold it),
 * lone surrogates (not UTF-8 at all), byte order marks, bidi overrides, combining marks,
 * astral characters, SQL and path fragments, and text that looks like other JSON types.
 */
export const NOTABLE_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "sur\ud800",
  "\udc00x",
  "\udbff\udfff",
  "\ufeff",
  "\u202eevil",
  "e\u0301",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "😀👨‍👩‍👧",
  "\r\n\t\b\f\v",
  "\u2028\u2029",
  "' OR 1=1 --",
  "'; DROP TABLE readings; --",
  "%00",
  "../../etc/passwd",
  "$$",
  "$",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as data is the point
  "${x}",
  "{{x}}",
  "<script>alert(1)</script>",
  "NaN",
  "Infinity",
  "-0",
  "1e999",
  "0x10",
  "null",
  "true",
  "2024-02-30T25:61:61Z",
  "2024-03-31T02:30:00",
  "9999-12-31T23:59:59.999Z",
  "-271821-04-20T00:00:00Z",
  "12,5",
  "1_000",
  "\\",
  '"',
] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const control = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));

/** Short strings over every kind of character, lone surrogates and NUL included. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NOTABLE_STRINGS, ...PROTOTYPE_KEYS), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 12 }), weight: 2 },
  {
    arbitrary: fc.string({
      unit: fc.oneof(anyCodeUnit, loneSurrogate, control, fc.constant("\u0000")),
      maxLength: 12,
    }),
    weight: 2,
  },
  {
    // A plausible value with one bad character inside.
    arbitrary: fc
      .tuple(
        fc.constantFrom("M1", "R-1", "2024-01-15T08:00:00Z", "12.5", "ERP"),
        fc.constantFrom("\u0000", "\ud800", "\udfff", "\ufffd", "\u200b"),
        fc.nat(12),
      )
      .map(([s, bad, at]) => s.slice(0, at) + bad + s.slice(at)),
    weight: 3,
  },
);

/** Numbers at the edges of what JSON, JS and numeric(…) columns can hold. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    0.1,
    1e21,
    1e308,
    -1e308,
    5e-324,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_SAFE_INTEGER - 2,
    123456789.12345679,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** JSON number texts no JS number keeps exactly, spliced in raw. */
export const rawNumber: fc.Arbitrary<RawJson> = fc
  .constantFrom(
    "1e999",
    "-1e999",
    "1e-999",
    "123456789012345678901234567890",
    "0.10000000000000000000000000001",
    "-0",
    "1E+2",
  )
  .map((t) => new RawJson(t, t));

/** A huge or deep value, described (built only when used: see `makeHuge`). */
export type HugeSpec =
  | { kind: "nested arrays" | "nested objects"; n: number }
  | { kind: "long string" | "long array" | "wide object"; n: number }
  | { kind: "duplicate keys"; n: 0 };

export const hugeSpec: fc.Arbitrary<HugeSpec> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("nested arrays" as const, "nested objects" as const),
    n: fc.constantFrom(100, 1_000, 5_000, 10_000, 50_000),
  }),
  fc.record({ kind: fc.constant("long string" as const), n: fc.constantFrom(100_000, 1_000_000) }),
  fc.record({ kind: fc.constant("long array" as const), n: fc.constantFrom(10_000, 100_000) }),
  fc.record({ kind: fc.constant("wide object" as const), n: fc.constantFrom(1_000, 20_000) }),
  fc.constant({ kind: "duplicate keys" as const, n: 0 as const }),
);

/** Values too large or too deep for careless code: huge strings and arrays, deep nesting. */
export function makeHuge(spec: HugeSpec): RawJson {
  switch (spec.kind) {
    case "nested arrays":
      return deepJson(spec.n, "array");
    case "nested objects":
      return deepJson(spec.n, "object");
    case "long string":
      return new RawJson(JSON.stringify("x".repeat(spec.n)), `<string of ${spec.n} chars>`);
    case "long array":
      return new RawJson(`[${"1,".repeat(spec.n - 1)}1]`, `<array of ${spec.n} numbers>`);
    case "wide object":
      return new RawJson(
        `{${Array.from({ length: spec.n }, (_, i) => `"k${i}":${i}`).join(",")}}`,
        `<object of ${spec.n} keys>`,
      );
    default:
      return new RawJson('{"a":1,"a":2,"a":{"b":3}}', "<duplicate keys>");
  }
}

export const hugeValue: fc.Arbitrary<RawJson> = hugeSpec.map(makeHuge);

/** A scalar of any JSON type, hostile where it can be. */
export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: rawNumber, weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false), weight: 1 },
);

/** Object keys: prototype names, hostile text, ordinary names. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 3 },
  { arbitrary: hostileString, weight: 2 },
  {
    arbitrary: fc.constantFrom("meterId", "id", "value", "timestamp", "readings", "a", "$", "$$"),
    weight: 2,
  },
);

/** Any JSON value: hostile scalars and keys in small arrays and objects (huge ones apart). */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { arbitrary: hostileScalar, weight: 6 },
    { arbitrary: fc.array(tie("value"), { maxLength: 4 }), weight: 2 },
    {
      arbitrary: fc
        .array(fc.tuple(hostileKey, tie("value")), { maxLength: 4 })
        .map((entries) => objectOf(entries)),
      weight: 2,
    },
  ),
})).value;
