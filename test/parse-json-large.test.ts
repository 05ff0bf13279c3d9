import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../lib/json/json-depth";
import { parseJson } from "../lib/json/parse-json";
import { parseJsonLarge } from "../lib/json/parse-json-large";

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("parseJsonLarge", () => {
  it("parses any JSON exactly like JSON.parse, whatever the piece size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.integer({ min: 2, max: 64 }),
        fc.boolean(),
        async (value, piece, pretty) => {
          const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
          const result = await parseJsonLarge(text, pause, { piece });
          expect(result).toEqual({ ok: true, value: JSON.parse(text) });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is not fooled by `},` inside strings and nested arrays of objects", async () => {
    const value = {
      readings: Array.from({ length: 500 }, (_, i) => ({
        s: `},{"q":${i}`,
        n: [{ k: i }, { k: -i }],
        e: '\\"},',
      })),
      tail: [1, "]", { x: "}," }],
    };
    const text = JSON.stringify(value);
    expect(await parseJsonLarge(text, pause, { piece: 64 })).toEqual({
      ok: true,
      value: JSON.parse(text),
    });
  });

  it("parses arrays of arrays holding objects (the readings loader's shape)", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [
      `id-${i}`,
      null,
      "2024-01-01T00:00:00.000Z",
      { unit: "kWh", n: i },
      "2024-01-01",
    ]);
    const text = JSON.stringify(rows);
    expect(await parseJsonLarge(text, pause, { piece: 4096 })).toEqual({ ok: true, value: rows });
  });

  it("keeps a __proto__ key as an own property, as JSON.parse does", async () => {
    const text = `{"big":[${Array.from({ length: 50 }, () => '{"a":1}').join(",")}],"__proto__":{"polluted":true}}`;
    const result = await parseJsonLarge(text, pause, { piece: 16 });
    expect(result.ok && Object.hasOwn(result.value as object, "__proto__")).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it("reports malformed input with the line and column, like parseJson", async () => {
    const good = JSON.stringify({ readings: Array.from({ length: 200 }, (_, i) => ({ i })) });
    const at = good.indexOf("},{", 500);
    const bad = `${good.slice(0, at)}},,{${good.slice(at + 3)}`;
    const result = await parseJsonLarge(bad, pause, { piece: 64 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line: 1, column: at + 3 });
  });

  const arrays = (n: number, inner = "1") => `${"[".repeat(n)}${inner}${"]".repeat(n)}`;
  const objects = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

  it("accepts JSON nested exactly as deep as the limit, with both parsers", async () => {
    const text = `{"x":${arrays(MAX_JSON_DEPTH - 1)}}`;
    expect(parseJson(text).ok).toBe(true);
    expect((await parseJsonLarge(text, pause, { piece: 16 })).ok).toBe(true);
  });

  it("refuses JSON nested deeper than the limit quickly, naming where, with both parsers", async () => {
    // Each level nested in a big array's elements, in a key's value, or in the whole text.
    const filler = Array.from({ length: 300 }, (_, i) => `{"i":${i}}`).join(",");
    const cases = [
      { text: arrays(100_000), path: "/0".repeat(MAX_JSON_DEPTH) },
      { text: objects(100_000), path: "/a".repeat(MAX_JSON_DEPTH) },
      {
        text: `{"readings":[${filler},{"note~/":${arrays(300)}},${filler}]}`,
        path: `/readings/300/note~0~1${"/0".repeat(MAX_JSON_DEPTH - 3)}`,
      },
    ];
    for (const { text, path } of cases) {
      for (const parse of [
        async () => parseJson(text),
        () => parseJsonLarge(text, pause, { piece: 64 }),
        () => parseJsonLarge(text, pause),
      ]) {
        const started = performance.now();
        const result = await parse();
        expect(performance.now() - started).toBeLessThan(1000);
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.error.message).toMatch(`nested deeper than ${MAX_JSON_DEPTH} levels`);
        expect(result.error.tooDeep).toEqual({ path, maxDepth: MAX_JSON_DEPTH });
        expect(text[result.error.offset]).toMatch(/[[{]/);
      }
    }
  });

  it("reports malformed text that is also too deep as too deep, without walking it", () => {
    const result = parseJson(`${arrays(50_000)},`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.tooDeep?.maxDepth).toBe(MAX_JSON_DEPTH);
  });
});
