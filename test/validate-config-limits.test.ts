import { describe, expect, it } from "vitest";
import { compileConfig, validateConfig } from "../lib/engine";
import { MAX_CONFIG_VALUES } from "../lib/engine/validate-config";

/** What `npm run proof` found in validation (issue 11): a 500, and a server held for 16 to 38 s. */

describe("validating a configuration", () => {
  it("names a unique id given as an object with a toString key instead of throwing", () => {
    const result = validateConfig({
      meter_readings: [
        {
          meter: { unique_ids: ["meter_number"] },
          meter_counter: { unique_ids: [{ attribute: { toString: "code" }, field: "counter" }] },
          fields: [],
        },
      ],
    });
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        path: "/meter_readings/0/meter_counter/unique_ids/0/attribute",
        code: "INVALID_TYPE",
      }),
    );
  });

  it("refuses at once a configuration with more values than any mapping needs", () => {
    for (const uniqueIds of [Array(100_000).fill(1), Array(100_000).fill("meter_number")]) {
      const config = {
        meter_readings: [
          {
            meter: { unique_ids: uniqueIds },
            fields: [
              { attribute: "external_id", field: "id" },
              { attribute: "timestamp", field: "t" },
              { attribute: "value", field: "v" },
              { attribute: "source", constant: "ERP" },
            ],
          },
        ],
      };
      // Before: 25 s (invalid ids, a quadratic list of problems) and 16 s (valid ids, compiled);
      // `npm run bench:engine` measures it now (oversized_config_validate_ms).
      const result = compileConfig(config);
      expect(result.ok ? [] : result.validation.errors).toEqual([
        expect.objectContaining({ path: "", code: "CONFIG_TOO_LARGE" }),
      ]);
    }
  });

  // How long it takes is measured by `npm run bench:engine` (largest_config_validate_ms).
  it("still validates the largest configuration it accepts", () => {
    const fields = Array.from({ length: Math.floor(MAX_CONFIG_VALUES / 8) }, (_, i) => ({
      attribute: `a${i}`,
      jsonataExpression: `$string(x${i})`,
    }));
    const config = {
      meter_readings: [
        {
          meter: { unique_ids: ["meter_number"] },
          fields: [
            { attribute: "external_id", field: "id" },
            { attribute: "timestamp", field: "t" },
            { attribute: "value", field: "v" },
            { attribute: "source", constant: "ERP" },
            ...fields,
          ],
        },
      ],
    };
    expect(compileConfig(config).ok).toBe(true);
  });
});
