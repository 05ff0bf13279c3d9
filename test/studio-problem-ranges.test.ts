import { describe, expect, it } from "vitest";
import { type ConfigProblem, validateConfig } from "../lib/engine";
import { configMarkers } from "../lib/studio/editor-markers";
import { locateProblems } from "../lib/studio/problem-ranges";
import { sourceOffsetInLiteral } from "../lib/studio/string-literal";

/** The seed's complete example, formatted the way a consultant pastes it. */
const SEED_EXAMPLE = `{
  "meter_readings": [
    {
      "jsonataExpression": "readings",
      "meter": {
        "unique_ids": ["meter_number"]
      },
      "fields": [
        { "attribute": "meter_number", "field": "meterId" },
        { "attribute": "reading_date", "field": "$$.readingDate" },
        { "attribute": "value", "field": "currentReading" },
        { "attribute": "previous_value", "field": "previousReading" },
        { "attribute": "unit", "field": "unit" },
        {
          "attribute": "consumption",
          "jsonataExpression": "currentReading - previousReading"
        },
        { "attribute": "source", "constant": "ERP_BATCH_IMPORT" },
        { "attribute": "batch_id", "field": "$$.batchId" }
      ]
    }
  ]
}
`;

function located(text: string) {
  const { errors, warnings } = validateConfig(JSON.parse(text));
  return locateProblems(text, [...errors, ...warnings]).map((p) => ({
    code: p.problem.code,
    marked: text.slice(p.startOffset, p.endOffset),
  }));
}

function markedFor(text: string, code: string): string[] {
  return located(text)
    .filter((p) => p.code === code)
    .map((p) => p.marked);
}

describe("problem ranges", () => {
  it("marks the key token of an unknown key, not its value", () => {
    const text = `{ "meter_readings": [ { "mdoe": "upsert", "meter": { "unique_ids": ["m"] }, "fields": [] } ] }`;
    expect(markedFor(text, "UNKNOWN_KEY")).toEqual(['"mdoe"']);
  });

  it("marks the exact characters of a JSONata error after escapes in the string", () => {
    // Decoded: `"x" & $foo(` - the error is the unclosed `(` at decoded offset 10, which is
    // source offset 12 inside the literal because of the two `\"` escapes.
    const text = `{"meter_readings":[{"jsonataExpression":"\\"x\\" & $foo(","meter":{"unique_ids":["m"]},"fields":[]}]}`;
    const problem = validateConfig(JSON.parse(text)).errors.find(
      (p) => p.code === "JSONATA_SYNTAX",
    );
    expect(problem?.range).toEqual({ start: 10, end: 11 });
    const [range] = locateProblems(text, [problem as ConfigProblem]);
    expect(text.slice(range?.startOffset, range?.endOffset)).toBe("(");
    expect(range?.startOffset).toBe(text.indexOf('\\"x\\"') + 12);
  });

  it("counts each escape (newline, tab, backslash, quote, unicode) as one decoded character", () => {
    const literal = String.raw`"\"\u00e9\n\t\" & '\\\\' & 1 + )"`;
    const text = `{"meter_readings":[{"jsonataExpression":${literal},"meter":{"unique_ids":["m"]},"fields":[]}]}`;
    expect(JSON.parse(literal)).toBe(`"é\n\t" & '\\\\' & 1 + )`);
    expect(markedFor(text, "JSONATA_SYNTAX")).toEqual([")"]);
  });

  it("marks an invalid escape inside a JSONata string at its backslash", () => {
    // Decoded: `'é\` + newline + `'`; JSONata rejects a backslash before a newline.
    const literal = String.raw`"'\u00e9\\\n'"`;
    const text = `{"meter_readings":[{"jsonataExpression":${literal},"meter":{"unique_ids":["m"]},"fields":[]}]}`;
    expect(markedFor(text, "JSONATA_SYNTAX")).toEqual([String.raw`\\`]);
  });

  it("maps decoded offsets through every kind of escape", () => {
    const text = `"a\\"b\\\\c\\u0041d\\ne"`; // decoded: a"b\cAd<newline>e
    const source = (decoded: number) => sourceOffsetInLiteral(text, 0, text.length, decoded);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(source)).toEqual([1, 2, 4, 5, 7, 8, 14, 15, 17, 18]);
    // Never past the closing quote.
    expect(source(99)).toBe(text.length - 1);
  });

  it("marks an empty JSONata string whole, quotes included", () => {
    const text = `{"meter_readings":[{"jsonataExpression":"","meter":{"unique_ids":["m"]},"fields":[]}]}`;
    expect(markedFor(text, "JSONATA_SYNTAX")).toEqual(['""']);
  });

  it("marks missing required fields at the head of a multi-line fields array", () => {
    expect(markedFor(SEED_EXAMPLE, "MISSING_REQUIRED_FIELDS")).toEqual(['"fields": [']);
  });

  it("marks a one-line fields array whole", () => {
    const text = `{ "meter_readings": [ { "meter": { "unique_ids": ["m"] }, "fields": [] } ] }`;
    expect(markedFor(text, "MISSING_REQUIRED_FIELDS")).toEqual(["[]"]);
  });

  it("marks an invalid constant at the constant value", () => {
    expect(markedFor(SEED_EXAMPLE, "INVALID_CONSTANT")).toEqual(['"ERP_BATCH_IMPORT"']);
  });

  it("marks a missing required key at the parent object's opening brace", () => {
    const text = `{
  "meter_readings": [
    {
      "fields": []
    }
  ]
}`;
    expect(markedFor(text, "REQUIRED")).toEqual(["{"]);
    const offset = located(text).find((p) => p.code === "REQUIRED");
    expect(offset?.marked).toBe("{");
  });

  it("marks a missing key under a keyed object at that object's key and brace", () => {
    const text = `{
  "meter_readings": [
    {
      "meter": {
        "unique_id": ["m"]
      },
      "fields": []
    }
  ]
}`;
    expect(markedFor(text, "REQUIRED")).toEqual(['"meter": {']);
    expect(markedFor(text, "UNKNOWN_KEY")).toEqual(['"unique_id"']);
  });

  it("marks a value of the wrong type and a purge mode at the value", () => {
    const text = `{ "meter_readings": [ { "mode": "purge", "meter": { "unique_ids": ["m"] }, "fields": 3 } ] }`;
    expect(markedFor(text, "PURGE_NOT_SUPPORTED")).toEqual(['"purge"']);
    expect(markedFor(text, "INVALID_TYPE")).toEqual(["3"]);
  });

  it("marks the whole document when it is not an object", () => {
    expect(markedFor("[1, 2]", "NOT_AN_OBJECT")).toEqual(["[1, 2]"]);
  });

  it("still finds a range when the text no longer matches the problem's path", () => {
    const problem: ConfigProblem = {
      path: "/meter_readings/3/fields/1/constant",
      severity: "error",
      code: "INVALID_CONSTANT",
      message: "stale",
    };
    const [range] = locateProblems(`{ "meter_readings": [] }`, [problem]);
    expect(range && `{ "meter_readings": [] }`.slice(range.startOffset, range.endOffset)).toBe(
      "[]",
    );
  });
});

describe("config markers", () => {
  it("adds a hint on each shorthand unique id and keeps problem severities", () => {
    const text = SEED_EXAMPLE;
    const { errors, warnings } = validateConfig(JSON.parse(text));
    const markers = configMarkers(text, [...errors, ...warnings]);
    expect(
      markers.map((m) => [m.severity, m.code, text.slice(m.startOffset, m.endOffset)]),
    ).toEqual([
      ["error", "MISSING_REQUIRED_FIELDS", '"fields": ['],
      ["error", "INVALID_CONSTANT", '"ERP_BATCH_IMPORT"'],
      ["hint", "SHORTHAND_UNIQUE_ID", '"meter_number"'],
    ]);
  });
});
