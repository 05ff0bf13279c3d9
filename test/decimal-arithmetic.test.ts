import { describe, expect, it } from "vitest";
import { compileConfig, planImport } from "../lib/engine";
import { compileExpression, ITEM_BOUNDS } from "../lib/engine/bounded-jsonata";
import { decimalArithmetic } from "../lib/engine/decimal-arithmetic";
import { makeConfig, makeState } from "./helpers/builders";

/** Issue 14, item 2: the demo's consumption was stored and shown as 22.800000000000182. */

function compiled(config: unknown) {
  const result = compileConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.validation.errors));
  return result.compiled;
}

describe("numbers an expression computes", () => {
  it("come out as the decimal answer, on the fast path and through JSONata alike", async () => {
    const config = makeConfig({
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "timestamp" },
        { attribute: "value", field: "currentReading" },
        { attribute: "source", constant: "ERP" },
        // A JS getter answers this one; JSONata the next.
        { attribute: "consumption", jsonataExpression: "currentReading - previousReading" },
        { attribute: "checked", jsonataExpression: "$number(currentReading) - previousReading" },
        { attribute: "third", jsonataExpression: "previousReading / 3" },
        { attribute: "raw", field: "raw" },
      ],
    });
    const payload = {
      readings: [
        {
          meterId: "M1",
          id: "R1",
          timestamp: "2025-01-15",
          currentReading: 3120.9,
          previousReading: 3098.1,
          raw: 0.30000000000000004,
        },
      ],
    };
    const plan = await planImport(compiled(config), payload, makeState({ meters: ["M1"] }));
    expect(plan.decisions[0]?.reading).toMatchObject({
      value: "3120.9",
      consumption: 22.8,
      checked: 22.8,
      third: 1032.7,
      // Read from the payload, not computed: kept exactly as sent.
      raw: 0.30000000000000004,
    });
  });

  it("keep JSONata's errors and its undefined for a missing operand", async () => {
    const run = (source: string) =>
      compileExpression(source, ITEM_BOUNDS)
        .evaluate({ a: "x", b: 2 }, {})
        .then(
          (value) => ({ value }),
          (error) => ({ code: (error as { code: string }).code }),
        );
    expect(await run("a - b")).toEqual({ code: "T2001" });
    expect(await run("b * a")).toEqual({ code: "T2002" });
    expect(await run("missing + b")).toEqual({ value: undefined });
    expect(await run("b * 0.1 + 0.2")).toEqual({ value: 0.4 });
  });

  it("hold 15 significant digits where no short decimal answer exists", () => {
    expect(decimalArithmetic("/", 1, 3)).toBe(0.333333333333333);
    expect(decimalArithmetic("-", 1000022.8, 1000000)).toBe(22.8);
    expect(decimalArithmetic("*", 12345.678, 1.2345)).toBe(15240.739491);
    expect(Object.is(decimalArithmetic("-", 0, 0), 0)).toBe(true);
  });
});
