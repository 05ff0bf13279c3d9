import { describe, expect, it } from "vitest";
import { BatchedReadingFeed, type StoredReading } from "../lib/engine";
import { inMeterOrder } from "../lib/engine/reading-feed";

const row = (id: string, meter: string, day: number): StoredReading => ({
  id,
  meter_id: meter,
  counter_id: null,
  direction: null,
  external_id: id,
  timestamp: `2024-01-${String(day).padStart(2, "0")}T06:00:00.000Z`,
  value: "1",
  source: null,
  reason: null,
  attributes: {},
});

const ids = (rows: readonly StoredReading[]) => rows.map((r) => r.id);

describe("stored readings delivered to the plan", () => {
  it("keep a delivery whose meters come together and in time as it is", () => {
    const rows = [row("a1", "A", 1), row("a2", "A", 2), row("b1", "B", 1), row("b3", "B", 3)];
    expect(inMeterOrder(rows)).toBe(rows);
  });

  it("put each meter's rows in time order, once each, when they come otherwise", () => {
    const a1 = row("a1", "A", 1);
    expect(ids(inMeterOrder([row("a2", "A", 2), a1, row("b1", "B", 1)]))).toEqual([
      "a1",
      "b1",
      "a2",
    ]);
    // A meter that comes back after another, and a row found twice.
    const back = inMeterOrder([a1, row("b1", "B", 1), row("a2", "A", 2), a1]);
    expect(ids(back.filter((r) => r.meter_id === "A"))).toEqual(["a1", "a2"]);
    expect(back).toHaveLength(3);
  });

  it("hold a meter spread over several batches until its last, then deliver it whole", async () => {
    const feed = new BatchedReadingFeed();
    feed.add(["A", "B"], async () => [row("a3", "A", 3), row("b1", "B", 1)]);
    feed.add(["C"], async () => [row("c1", "C", 1)]);
    feed.add(["A"], async () => [row("a1", "A", 1), row("a3", "A", 3)]);
    expect(feed.next("unknown")).toBeNull();
    // B is whole after the first batch; A is not.
    expect(ids(await (feed.next("B") as Promise<StoredReading[]>))).toEqual(["b1"]);
    expect(feed.next("B")).toBeNull();
    expect(ids(await (feed.next("A") as Promise<StoredReading[]>))).toEqual(["c1"]);
    expect(ids(await (feed.next("A") as Promise<StoredReading[]>))).toEqual(["a1", "a3"]);
    expect(feed.next("A")).toBeNull();
    expect(await feed.rest()).toEqual([]);
  });
});
