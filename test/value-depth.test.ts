import { describe, expect, it } from "vitest";
import { deepEqual } from "../lib/engine/deep-equal";
import { findUnstorableText } from "../lib/engine/storable-text";
import { MAX_VALUE_DEPTH, nestedDeeperThan } from "../lib/engine/value-depth";
import { isTruthy, toPlainValue } from "../lib/engine/value-source";

/** An array nested `depth` levels deep around `inner`, built without recursion. */
function nested(depth: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe("walks over values of any depth", () => {
  it("compares values nested 100k levels deep without running out of stack", () => {
    expect(deepEqual(nested(100_000), nested(100_000))).toBe(true);
    expect(deepEqual(nested(100_000, 1), nested(100_000, 2))).toBe(false);
    expect(deepEqual({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
  });

  it("finds JSONata truthiness in arrays nested 100k levels deep", () => {
    expect(isTruthy(nested(100_000, 0))).toBe(false);
    expect(isTruthy(nested(100_000, [0, "", "x"]))).toBe(true);
    expect(isTruthy([[], [null, [false]]])).toBe(false);
  });

  it("finds text the database cannot store 100k levels deep", () => {
    expect(findUnstorableText(nested(100_000, "x\u0000"))?.segments).toHaveLength(100_000);
  });

  it("holds expression results and mapped values to the depth limit, and no further", () => {
    expect(nestedDeeperThan(nested(MAX_VALUE_DEPTH))).toBe(false);
    expect(nestedDeeperThan(nested(MAX_VALUE_DEPTH + 1))).toBe(true);
    expect(toPlainValue(nested(MAX_VALUE_DEPTH))).toEqual(nested(MAX_VALUE_DEPTH));
    expect(() => toPlainValue(nested(MAX_VALUE_DEPTH + 1))).toThrow(
      `nested deeper than ${MAX_VALUE_DEPTH} levels`,
    );
    expect(() => toPlainValue(nested(100_000))).toThrow(`nested deeper than ${MAX_VALUE_DEPTH}`);
  });
});
