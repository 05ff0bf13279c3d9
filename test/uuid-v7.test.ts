import { describe, expect, it } from "vitest";
import { uuidV7 } from "../lib/server/platform/uuid-v7";

describe("uuidV7", () => {
  it("makes valid version-7 UUIDs that sort in creation order", () => {
    const ids = Array.from({ length: 5000 }, () => uuidV7());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
