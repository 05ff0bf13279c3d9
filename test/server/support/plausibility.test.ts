import { describe, expect, it } from "vitest";
import { plausibilityFlags } from "../../../lib/server/support/plausibility";

const DAY = 24 * 60 * 60 * 1000;
const days = (...n: number[]) => n.map((d) => Date.UTC(2024, 0, 1) + d * DAY);

describe("plausibilityFlags", () => {
  it("flags a cumulative value below the one before it on the same series", () => {
    const flags = plausibilityFlags(days(0, 1, 2, 3), [10, 20, 15, 30], Date.UTC(2025, 0, 1));
    expect(flags).toEqual([
      { kind: "decrease", t: days(2)[0], value: 15, previous: { t: days(1)[0], value: 20 } },
    ]);
  });

  it("flags a timestamp after now", () => {
    const flags = plausibilityFlags(days(0, 1), [1, 2], days(0)[0] as number);
    expect(flags.map((f) => [f.kind, f.value])).toEqual([["future", 2]]);
  });

  it("flags a gap over three times the usual interval, not a usual one", () => {
    const flags = plausibilityFlags(
      days(0, 1, 2, 3, 4, 12),
      [1, 2, 3, 4, 5, 6],
      Date.UTC(2025, 0, 1),
    );
    expect(flags.map((f) => [f.kind, f.value])).toEqual([["gap", 6]]);
    // A monthly meter is not flagged for its month.
    const monthly = plausibilityFlags(
      days(0, 30, 60, 90, 120),
      [1, 2, 3, 4, 5],
      Date.UTC(2025, 0, 1),
    );
    expect(monthly).toEqual([]);
  });
});
