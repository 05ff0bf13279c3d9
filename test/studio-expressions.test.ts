import { describe, expect, it } from "vitest";
import { configMarkers } from "../lib/studio/editor-markers";
import { editorSchema } from "../lib/studio/editor-schema";
import { evaluateExpression, formatResult } from "../lib/studio/evaluate-expression";
import {
  expressionTargetAt,
  expressionTargetAtPath,
  replaceExpressionEdit,
} from "../lib/studio/expression-target";
import { applyTextEdits } from "../lib/studio/json-document";
import { validateConfigText } from "../lib/studio/validate-config-text";

const CONFIG = `{
  "entities": [
    { "entity_schema": "meter", "unique_ids": ["meter_number"], "enabled": "$exists(readings)",
      "jsonataExpression": "readings", "fields": [{ "attribute": "meter_number", "field": "meterId" }] }
  ],
  "meter_readings": [
    {
      "jsonataExpression": "readings",
      "meter": { "unique_ids": [{ "attribute": "meter_number", "jsonataExpression": "$uppercase(meterId)" }] },
      "fields": [
        { "attribute": "external_id", "field": "meterId" },
        { "attribute": "timestamp", "field": "$$.readingDate" },
        { "attribute": "batch", "field": "$$.\`batch id\`" },
        { "attribute": "value", "jsonataExpression": "currentReading - previousReading", "enabled": "currentReading > 0" },
        { "attribute": "note", "jsonataExpression": "\\"a \\\\\\"quoted\\\\\\" \\" & $$.batchId" }
      ]
    }
  ]
}`;

const SAMPLE = {
  batchId: "B-1",
  "batch id": "B 1",
  readingDate: "2024-01-15T08:00:00Z",
  readings: [
    { meterId: "m001", currentReading: 12500.5, previousReading: 12000 },
    { meterId: "m002", currentReading: 450.25, previousReading: 420 },
  ],
};

/** The target under the cursor placed just after `marker` (first occurrence after `after`). */
function targetAfter(marker: string, after = "") {
  const offset = CONFIG.indexOf(marker, CONFIG.indexOf(after)) + marker.length;
  return expressionTargetAt(CONFIG, offset);
}

describe("the expression under the cursor", () => {
  it("finds an item's extraction, evaluated on the root payload", () => {
    const target = targetAfter('"jsonataExpression": "read', '"meter_readings"');
    expect(target).toMatchObject({
      path: ["meter_readings", 0, "jsonataExpression"],
      expression: "readings",
      scope: "root",
      label: "meter_readings[0] jsonataExpression",
    });
  });

  it("finds field expressions, conditions, unique-id expressions and JSONata fields", () => {
    const value = targetAfter('"currentReading -');
    expect(value).toMatchObject({
      path: ["meter_readings", 0, "fields", 3, "jsonataExpression"],
      scope: "item",
      extraction: "readings",
    });
    expect(targetAfter('"enabled": "current')?.key).toBe("enabled");
    expect(targetAfter('"$upper')?.path).toEqual([
      "meter_readings",
      0,
      "meter",
      "unique_ids",
      0,
      "jsonataExpression",
    ]);
    expect(targetAfter('"$$.`batch')?.key).toBe("field");
    expect(targetAfter('"enabled": "$exists')).toMatchObject({ scope: "root", key: "enabled" });
  });

  it("ignores plain field paths, keys, other strings and the quotes' outside", () => {
    expect(targetAfter('"field": "meter', '"meter_readings"')).toBeNull();
    expect(targetAfter('"field": "$$.reading')).toBeNull();
    expect(targetAfter('"jsonataExp', '"meter_readings"')).toBeNull();
    expect(targetAfter('"attribute": "val')).toBeNull();
    const literal = CONFIG.indexOf('"readings"', CONFIG.indexOf('"meter_readings"'));
    expect(expressionTargetAt(CONFIG, literal)).toBeNull();
    expect(expressionTargetAt(CONFIG, literal + '"readings"'.length)).toBeNull();
    expect(expressionTargetAt(CONFIG, literal + 1)?.expression).toBe("readings");
  });

  it("writes an edited expression back escaped, and reads it back by path", () => {
    const target = targetAfter('"currentReading -');
    if (!target) throw new Error("no target");
    const edited = 'currentReading & "\\n" & `a\\b`';
    const text = applyTextEdits(CONFIG, [replaceExpressionEdit(target, edited)]);
    expect(JSON.parse(text).meter_readings[0].fields[3].jsonataExpression).toBe(edited);
    expect(expressionTargetAtPath(text, target.path)?.expression).toBe(edited);
  });
});

describe("evaluating on the sample", () => {
  it("evaluates an extraction on the root payload", async () => {
    const target = targetAfter('"jsonataExpression": "read', '"meter_readings"');
    const result = await evaluateExpression(target ?? ({} as never), SAMPLE);
    expect(result).toEqual({ ok: true, value: SAMPLE.readings, input: "the sample payload" });
  });

  it("evaluates a field expression on the first extracted item with $$ the root", async () => {
    const value = await evaluateExpression(
      targetAfter('"currentReading -') ?? ({} as never),
      SAMPLE,
    );
    expect(value).toEqual({ ok: true, value: 500.5, input: "item 1 of 2 extracted by readings" });
    const note = await evaluateExpression(targetAfter('"\\"a ') ?? ({} as never), SAMPLE);
    expect(note).toMatchObject({ ok: true, value: 'a "quoted" B-1' });
    const field = await evaluateExpression(targetAfter('"$$.`batch') ?? ({} as never), SAMPLE);
    expect(field).toMatchObject({ ok: true, value: "B 1" });
  });

  it("uses the payload itself as the item when there is no extraction", async () => {
    const result = await evaluateExpression(
      { expression: "$$.batchId & '/' & batchId", scope: "item" },
      SAMPLE,
    );
    expect(result).toMatchObject({ ok: true, value: "B-1/B-1" });
  });

  it("reports syntax errors, evaluation errors and empty extractions as messages", async () => {
    expect(await evaluateExpression({ expression: "$foo(", scope: "root" }, SAMPLE)).toMatchObject({
      ok: false,
      message: expect.stringContaining("Syntax error at character"),
    });
    expect(
      await evaluateExpression({ expression: "$error('nope')", scope: "root" }, SAMPLE),
    ).toMatchObject({ ok: false, message: "nope" });
    expect(
      await evaluateExpression(
        { expression: "meterId", scope: "item", extraction: "nothing" },
        SAMPLE,
      ),
    ).toMatchObject({ ok: false, message: "The extraction gives no items for this sample" });
  });

  it("formats undefined and cuts long results", () => {
    expect(formatResult(undefined)).toBe("undefined (no value)");
    expect(formatResult({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatResult("x".repeat(50), 10)).toBe(`"xxxxxxxxx\n… 42 more characters`);
  });
});

describe("validating the editor's text", () => {
  it("validates JSON and reports a syntax error instead when it does not parse", () => {
    const valid = validateConfigText("{}");
    expect(valid).toMatchObject({ config: {}, parseError: null, validation: { valid: true } });
    const broken = validateConfigText('{ "meter_readings": [ }');
    expect(broken.validation).toBeNull();
    expect(broken.parseError).toMatchObject({ message: "Value expected" });
    expect(validateConfigText('{ "a": 1, }').parseError?.message).toBe("Property name expected");
  });
});

describe("the editor's text nested too deep", () => {
  it("reports text nested deeper than 256 levels where it goes too deep, without parsing it", () => {
    const text = `{ "meter_readings": ${"[".repeat(20_000)}${"]".repeat(20_000)} }`;
    expect(validateConfigText(text)).toMatchObject({
      config: undefined,
      parseError: { message: "Nested deeper than 256 levels", offset: 20 + 255 },
      validation: null,
    });
    const problem = {
      path: "/meter_readings",
      severity: "error",
      code: "INVALID_TYPE",
      message: "x",
    } as const;
    expect(configMarkers(text, [problem])).toHaveLength(1);
  });
});

describe("the editor's schema", () => {
  it("copies every description into markdownDescription without touching the input", () => {
    const input = {
      description: "Root with `code`",
      properties: { description: { type: "string", description: "A key named description" } },
    };
    const out = editorSchema(input) as Record<string, Record<string, Record<string, unknown>>>;
    expect(out.markdownDescription).toBe("Root with `code`");
    expect(out.properties?.description?.markdownDescription).toBe("A key named description");
    expect(input).not.toHaveProperty("markdownDescription");
  });
});
