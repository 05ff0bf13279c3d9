import { describe, expect, it } from "vitest";
import type { Plan } from "../../../lib/engine";
import { checkConfirmedPlan, planFingerprint } from "../../../lib/server/imports/confirmed-plan";

function plan(value: string): Plan {
  return {
    summary: { create: 0, update: 1, unchanged: 0, skip: 0, delete: 0, error: 0 },
    decisions: [
      {
        item: 0,
        index: 0,
        action: "update",
        reading_id: "0196f7b4-0000-7000-8000-000000000001",
        changes: { value: { from: value, to: "7815.2" } },
      } as unknown as Plan["decisions"][number],
    ],
    entities: [],
    warnings: [],
  };
}

describe("the confirmed plan", () => {
  it("gives equal plans equal fingerprints and any change in a decision another", async () => {
    expect(await planFingerprint(plan("7810"))).toBe(await planFingerprint(plan("7810")));
    expect(await planFingerprint(plan("7810"))).not.toBe(await planFingerprint(plan("7000")));
  });

  it("lets the confirmed plan through", async () => {
    const confirmed = plan("7810");
    const fingerprint = await planFingerprint(confirmed);
    await expect(
      checkConfirmedPlan(plan("7810"), { fingerprint, summary: confirmed.summary }),
    ).resolves.toBeUndefined();
  });

  it("refuses a plan with the same counts but other changes, saying so", async () => {
    const confirmed = plan("7810");
    const fingerprint = await planFingerprint(confirmed);
    await expect(
      checkConfirmedPlan(plan("7000"), { fingerprint, summary: confirmed.summary }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(
        "the counts are the same, but not every reading would be treated as confirmed",
      ),
    });
  });
});
