import { describe, expect, it } from "vitest";
import { gunzipJson, gzipJson } from "../../../lib/server/platform/gzip-json";

/** What JSON.stringify makes of a value, read back: gzipJson must give exactly that. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("gzipJson", () => {
  it("writes an import record's shapes as JSON.stringify does", async () => {
    const writers: Record<string, string | null | undefined> = {};
    for (let i = 0; i < 2500; i++) writers[`id-${i}`] = i % 3 === 0 ? null : `import-${i % 7}`;
    writers["id-7"] = undefined;
    const record = {
      format: "test/1",
      summary: { create: 3, update: 1 },
      ids: Array.from({ length: 2300 }, (_, i) => (i % 5 === 0 ? null : `id-${i}`)),
      entities: {
        writers,
        // A sparse map by decision number, with an undefined value among them.
        code: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [i * 3, `CODE_${i}`])),
        before: [
          { id: "a", attributes: { 'quote"d': "tab\there", nested: { deep: [1, { x: 2 }] } } },
        ],
        skipped: undefined,
      },
      // A map deep inside: written whole, as before.
      deep: {
        a: { b: { c: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])) } },
      },
      empty: {},
      dates: { at: new Date("2026-12-06T12:00:00Z") },
    };
    expect(await gunzipJson(await gzipJson(record))).toEqual(asJson(record));
  });

  it("writes a map whose every value is undefined as an empty object", async () => {
    const map = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, undefined]));
    expect(await gunzipJson(await gzipJson({ map }))).toEqual({ map: {} });
  });
});
