import { describe, expect, it } from "vitest";
import { type ConfigProblem, validateConfig } from "../lib/engine";
import { applyTextEdits } from "../lib/studio/json-document";
import {
  addMissingFieldsFix,
  changeValueFixes,
  convertShorthandUniqueId,
  fieldPlaceholder,
  type QuickFix,
  quickFixesFor,
  removeUnknownKeyFix,
  renameUnknownKeyFix,
} from "../lib/studio/quick-fixes";
import { findShorthandUniqueIds } from "../lib/studio/shorthand-unique-ids";

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
        { "attribute": "source", "constant": "ERP_BATCH_IMPORT" },
        { "attribute": "batch_id", "field": "$$.batchId" }
      ]
    }
  ]
}
`;

function problems(text: string): ConfigProblem[] {
  const { errors, warnings } = validateConfig(JSON.parse(text));
  return [...errors, ...warnings];
}

function problem(text: string, code: string): ConfigProblem {
  const found = problems(text).find((p) => p.code === code);
  if (!found) throw new Error(`no ${code} in ${text}`);
  return found;
}

function apply(text: string, fix: QuickFix | null | undefined): string {
  if (!fix) throw new Error("no fix");
  return applyTextEdits(text, fix.edits);
}

const codes = (text: string) => problems(text).map((p) => p.code);

describe("convert a shorthand unique id", () => {
  it("turns the plain string into the object form it means, and it still validates alike", () => {
    const [shorthand] = findShorthandUniqueIds(SEED_EXAMPLE);
    expect(shorthand?.path).toEqual(["meter_readings", 0, "meter", "unique_ids", 0]);
    const fixed = apply(
      SEED_EXAMPLE,
      convertShorthandUniqueId(SEED_EXAMPLE, shorthand?.path ?? []),
    );
    expect(fixed).toContain(
      '"unique_ids": [{ "attribute": "meter_number", "field": "meter_number" }]',
    );
    expect(JSON.parse(fixed).meter_readings[0].meter.unique_ids).toEqual([
      { attribute: "meter_number", field: "meter_number" },
    ]);
    expect(codes(fixed)).toEqual(codes(SEED_EXAMPLE));
    expect(findShorthandUniqueIds(fixed)).toEqual([]);
  });

  it("finds shorthands in meter_counter too, and accepts a JSON pointer", () => {
    const text = `{"meter_readings":[{"meter":{"unique_ids":[{"attribute":"a","field":"b"}]},"meter_counter":{"unique_ids":["counter_no"]},"fields":[]}]}`;
    const found = findShorthandUniqueIds(text);
    expect(found.map((s) => s.value)).toEqual(["counter_no"]);
    const fixed = apply(
      text,
      convertShorthandUniqueId(text, "/meter_readings/0/meter_counter/unique_ids/0"),
    );
    expect(JSON.parse(fixed).meter_readings[0].meter_counter.unique_ids[0]).toEqual({
      attribute: "counter_no",
      field: "counter_no",
    });
  });
});

describe("change an invalid constant", () => {
  it("offers one action per allowed value, preferring the one the wrong value starts with", () => {
    const fixes = changeValueFixes(SEED_EXAMPLE, problem(SEED_EXAMPLE, "INVALID_CONSTANT"));
    expect(fixes.map((f) => [f.title, f.isPreferred ?? false])).toEqual([
      ['Change to "ERP"', true],
      ['Change to "ECP"', false],
      ['Change to "360"', false],
      ['Change to "journey-submission"', false],
    ]);
    const fixed = apply(SEED_EXAMPLE, fixes[0]);
    expect(fixed).toContain('{ "attribute": "source", "constant": "ERP" }');
    expect(codes(fixed)).toEqual(["MISSING_REQUIRED_FIELDS"]);
  });

  it("offers the allowed modes for purge", () => {
    const text = `{"meter_readings":[{"mode":"purge","meter":{"unique_ids":["m"]},"fields":[{"attribute":"external_id","field":"id"}]}]}`;
    const fixes = quickFixesFor(text, problem(text, "PURGE_NOT_SUPPORTED"));
    expect(fixes.map((f) => f.title)).toEqual([
      'Change to "upsert"',
      'Change to "delete"',
      'Change to "upsert-prune-scope"',
    ]);
    expect(codes(apply(text, fixes[1]))).toEqual([]);
  });
});

describe("add missing field mappings", () => {
  it("appends a skeleton per missing attribute in the array's own layout", () => {
    const fix = addMissingFieldsFix(SEED_EXAMPLE, problem(SEED_EXAMPLE, "MISSING_REQUIRED_FIELDS"));
    expect(fix?.title).toBe("Add missing field mappings (external_id, timestamp)");
    const fixed = apply(SEED_EXAMPLE, fix);
    expect(fixed).toContain(`        { "attribute": "batch_id", "field": "$$.batchId" },
        { "attribute": "external_id", "field": "$error('TODO: map external_id')" },
        { "attribute": "timestamp", "field": "$error('TODO: map timestamp')" }
      ]`);
    const after = problems(fixed);
    expect(after.map((p) => p.code)).not.toContain("MISSING_REQUIRED_FIELDS");
    // The placeholders are valid JSONata: the only problem left is the constant, not a syntax
    // error per inserted field.
    expect(after.map((p) => p.path)).toEqual(["/meter_readings/0/fields/3/constant"]);
  });

  it("selects the first placeholder, ready to be typed over", () => {
    const fix = addMissingFieldsFix(SEED_EXAMPLE, problem(SEED_EXAMPLE, "MISSING_REQUIRED_FIELDS"));
    const fixed = apply(SEED_EXAMPLE, fix);
    const select = fix?.select;
    if (!select) throw new Error("no selection");
    expect(fixed.slice(select.offset, select.offset + select.length)).toBe(
      "$error('TODO: map external_id')",
    );
    // Typing a path over the selection leaves a valid configuration.
    const typed = `${fixed.slice(0, select.offset)}id${fixed.slice(select.offset + select.length)}`;
    expect(JSON.parse(typed).meter_readings[0].fields[5]).toEqual({
      attribute: "external_id",
      field: "id",
    });
  });

  it("fails each reading with a message that says what to map, until it is replaced", () => {
    expect(fieldPlaceholder("timestamp")).toBe("$error('TODO: map timestamp')");
  });

  it("fills an empty array on its own lines, indented one level deeper", () => {
    const text = `{
  "meter_readings": [
    {
      "meter": { "unique_ids": ["m"] },
      "fields": []
    }
  ]
}`;
    const fixed = apply(text, addMissingFieldsFix(text, problem(text, "MISSING_REQUIRED_FIELDS")));
    expect(fixed).toBe(`{
  "meter_readings": [
    {
      "meter": { "unique_ids": ["m"] },
      "fields": [
        { "attribute": "external_id", "field": "$error('TODO: map external_id')" },
        { "attribute": "timestamp", "field": "$error('TODO: map timestamp')" },
        { "attribute": "source", "field": "$error('TODO: map source')" },
        { "attribute": "value", "field": "$error('TODO: map value')" }
      ]
    }
  ]
}`);
  });

  it("keeps a one-line array on one line", () => {
    const text = `{"meter_readings":[{"mode":"delete","meter":{"unique_ids":["m"]},"fields":[{"attribute":"value","field":"v"}]}]}`;
    const fixed = apply(text, addMissingFieldsFix(text, problem(text, "MISSING_REQUIRED_FIELDS")));
    expect(fixed).toContain(
      `"fields":[{"attribute":"value","field":"v"}, { "attribute": "external_id", "field": "$error('TODO: map external_id')" }]`,
    );
  });

  it("leaves the formatting after the last element alone", () => {
    const text = `{ "meter_readings": [ { "meter": { "unique_ids": ["m"] }, "fields": [
    { "attribute": "external_id", "field": "id" }   
  ] } ] }`;
    const fixed = apply(text, addMissingFieldsFix(text, problem(text, "MISSING_REQUIRED_FIELDS")));
    expect(fixed).toContain(`{ "attribute": "external_id", "field": "id" },
    { "attribute": "timestamp", "field": "$error('TODO: map timestamp')" },
    { "attribute": "source", "field": "$error('TODO: map source')" },
    { "attribute": "value", "field": "$error('TODO: map value')" }   
  ] } ] }`);
  });

  it("adds the fields key when the item has none", () => {
    const text = `{
  "meter_readings": [
    {
      "meter": { "unique_ids": ["m"] }
    }
  ]
}`;
    const before = codes(text);
    expect(before).toEqual(["REQUIRED", "MISSING_REQUIRED_FIELDS"]);
    const fixed = apply(text, addMissingFieldsFix(text, problem(text, "MISSING_REQUIRED_FIELDS")));
    expect(JSON.parse(fixed).meter_readings[0].fields).toHaveLength(4);
    expect(fixed).toContain(`      "fields": [
        { "attribute": "external_id", "field": "$error('TODO: map external_id')" },`);
    expect(codes(fixed)).toEqual([]);
    const fix = addMissingFieldsFix(text, problem(text, "MISSING_REQUIRED_FIELDS"));
    const select = fix?.select;
    expect(select && fixed.slice(select.offset, select.offset + select.length)).toBe(
      "$error('TODO: map external_id')",
    );
  });
});

describe("unknown keys", () => {
  const text = `{
  "meter_readings": [
    {
      "mdoe": "delete",
      "meter": { "unique_ids": ["m"] },
      "fields": [{ "attribute": "external_id", "field": "id" }]
    }
  ]
}`;

  it("renames a key to the one its message suggests", () => {
    const fix = renameUnknownKeyFix(text, problem(text, "UNKNOWN_KEY"));
    expect(fix?.title).toBe('Rename to "mode"');
    const fixed = apply(text, fix);
    expect(fixed).toContain('"mode": "delete"');
    expect(codes(fixed)).toEqual([]);
  });

  it("removes an unknown key with its comma", () => {
    const fixed = apply(text, removeUnknownKeyFix(text, problem(text, "UNKNOWN_KEY")));
    expect(fixed).not.toContain("mdoe");
    expect(JSON.parse(fixed).meter_readings[0]).toEqual({
      meter: { unique_ids: ["m"] },
      fields: [{ attribute: "external_id", field: "id" }],
    });
  });

  it("offers no rename when nothing close enough exists, or the target key exists", () => {
    const far = `{"meter_readings":[{"zzzzzz":1,"meter":{"unique_ids":["m"]},"fields":[]}]}`;
    expect(renameUnknownKeyFix(far, problem(far, "UNKNOWN_KEY"))).toBeNull();
    const taken = `{"meter_readings":[{"mdoe":"delete","mode":"upsert","meter":{"unique_ids":["m"]},"fields":[]}]}`;
    expect(renameUnknownKeyFix(taken, problem(taken, "UNKNOWN_KEY"))).toBeNull();
    expect(quickFixesFor(taken, problem(taken, "UNKNOWN_KEY")).map((f) => f.title)).toEqual([
      'Remove "mdoe"',
    ]);
  });
});

const LEGACY_CONDITION = `{
  "entities": [
    {
      "entity_schema": "contract",
      "unique_ids": ["contract_number"],
      "condition": "$exists(ContractNumber)",
      "fields": [
        { "attribute": "contract_number", "field": "ContractNumber" },
        { "attribute": "customer", "relations": { "items": [
          { "entity_schema": "contact", "unique_ids": [{ "attribute": "customer_number", "field": "CustomerNumber" }] }
        ] } }
      ]
    }
  ]
}
`;

describe("entity quick fixes (SPEC-ENTITIES 1, 3.1)", () => {
  it("merges a legacy condition into enabled when there is no enabled, and the warning goes", () => {
    const fix = quickFixesFor(
      LEGACY_CONDITION,
      problem(LEGACY_CONDITION, "DEPRECATED_CONDITION"),
    )[0];
    expect(fix?.title).toBe("Merge condition into enabled");
    const fixed = apply(LEGACY_CONDITION, fix);
    const item = JSON.parse(fixed).entities[0];
    expect(item.enabled).toBe("$exists(ContractNumber)");
    expect(item.condition).toBeUndefined();
    expect(codes(fixed)).not.toContain("DEPRECATED_CONDITION");
  });

  it("ands a legacy condition with an enabled expression, so both must still hold", () => {
    const text = LEGACY_CONDITION.replace(
      '"condition":',
      '"enabled": "Active = true",\n      "condition":',
    );
    const fixed = apply(text, quickFixesFor(text, problem(text, "DEPRECATED_CONDITION"))[0]);
    const item = JSON.parse(fixed).entities[0];
    expect(item.enabled).toBe("(Active = true) and ($exists(ContractNumber))");
    expect(item.condition).toBeUndefined();
    expect(validateConfig(JSON.parse(fixed)).valid).toBe(true);
  });

  it("keeps enabled false when it was (the mapping never ran), dropping the condition", () => {
    const text = LEGACY_CONDITION.replace('"condition":', '"enabled": false,\n      "condition":');
    const fixed = apply(text, quickFixesFor(text, problem(text, "DEPRECATED_CONDITION"))[0]);
    const item = JSON.parse(fixed).entities[0];
    expect(item.enabled).toBe(false);
    expect(item.condition).toBeUndefined();
  });

  it("offers the three relation operations for a missing one, _set first and preferred", () => {
    const fixes = quickFixesFor(
      LEGACY_CONDITION,
      problem(LEGACY_CONDITION, "RELATION_OPERATION_DEFAULTED"),
    );
    expect(fixes.map((f) => f.title)).toEqual([
      'Add "operation": "_set"',
      'Add "operation": "_append"',
      'Add "operation": "_append_all"',
    ]);
    expect(fixes[0]?.isPreferred).toBe(true);
    const fixed = apply(LEGACY_CONDITION, fixes[1]);
    expect(JSON.parse(fixed).entities[0].fields[1].relations.operation).toBe("_append");
    expect(codes(fixed)).not.toContain("RELATION_OPERATION_DEFAULTED");
  });
});
