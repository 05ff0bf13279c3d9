import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbClient, useDbForTests } from "../../../db/client";
import { supportDetail } from "../../../lib/server/support/detail-service";
import { activityPage } from "../../../lib/server/support/list-service";
import { findMeters, meterPage } from "../../../lib/server/support/meter-service";
import { supportOverview } from "../../../lib/server/support/overview-service";
import { eventPayloadText } from "../../../lib/server/support/payload-service";
import { planExport } from "../../../lib/server/support/plan-export";
import { forgetRecordedImports } from "../../../lib/server/support/recorded-decisions";
import { eventResults, openApiWorld, postEventList } from "../../helpers/api-fixtures";
import { testDatabases } from "../../helpers/test-db";

describe.each(await testDatabases())("support services on %s", (kind) => {
  let client: DbClient;
  let results: Awaited<ReturnType<typeof eventResults>>;

  beforeAll(async () => {
    const world = await openApiWorld(kind);
    client = world.client;
    useDbForTests(client);
    results = await eventResults(
      await postEventList(
        world,
        [
          {
            event_name: "meter.readings",
            deduplication_id: "run-1",
            payload: {
              readings: [
                { meter: "M1", id: "r1", at: "2024-05-01T00:00:00Z", value: "10" },
                { meter: "M1", id: "r2", at: "2024-05-02T00:00:00Z", value: "not-a-number" },
                { meter: "M2", id: "r3", at: "2024-05-01T00:00:00Z", value: "5" },
              ],
            },
          },
          { use_case_slug: "readngs", payload: { readings: [] } },
          { event_name: "meter.readings", payload: "{not json" },
        ],
        { correlation_id: "corr-7" },
      ),
    );
  });

  afterAll(async () => {
    useDbForTests(undefined);
    await client.close();
  });

  it("lists every event and the CLI import newest first, with the ignored event's slug", async () => {
    const page = await activityPage(client.db, {});
    expect(page.rows.map((r) => [r.kind, r.status, r.trigger])).toEqual([
      ["event", "error", "api"],
      ["event", "ignored", "api"],
      ["event", "success", "api"],
      ["import", "applied", "cli"],
    ]);
    const ignored = page.rows[1];
    expect(ignored?.use_case_slug).toBe("readngs");
    const failed = page.rows[0];
    expect(failed?.error_code).toBe("PAYLOAD_INVALID");
    expect(page.rows[2]?.counts).toMatchObject({ create: 2, error: 1 });
  });

  it("filters by status, trigger, correlation id, meter value and error code", async () => {
    const ids = async (params: Record<string, string>) =>
      (await activityPage(client.db, params)).rows.map((r) => r.status);
    expect(await ids({ status: "ignored" })).toEqual(["ignored"]);
    expect(await ids({ trigger: "cli" })).toEqual(["applied"]);
    expect(await ids({ correlation: "corr-7" })).toEqual(["error", "ignored", "success"]);
    expect(await ids({ meter: "M2" })).toEqual(["success", "applied"]);
    expect(await ids({ code: "INVALID_READING_VALUE" })).toEqual(["success"]);
    expect(await ids({ code: "PAYLOAD_INVALID" })).toEqual(["error"]);
    const unknown = await activityPage(client.db, { meter: "M404" });
    expect(unknown).toMatchObject({ rows: [], unknownMeter: true });
    // A bad filter value is named and left out; the list still answers.
    const bad = await activityPage(client.db, { integration: "nope", from: "yesterday-ish" });
    expect(bad.ignored).toEqual(["integration", "from"]);
    expect(bad.rows).toHaveLength(4);
  });

  it("pages with a keyset that neither skips nor repeats a row", async () => {
    const all = (await activityPage(client.db, {})).rows.map((r) => r.id);
    const { LIST_PAGE_SIZE } = await import("../../../lib/server/support/list-service");
    expect(all.length).toBeLessThan(LIST_PAGE_SIZE);
    const { encodeCursor } = await import("../../../lib/server/support/list-service");
    const first = (await activityPage(client.db, {})).rows[1];
    const rest = await activityPage(client.db, { cursor: encodeCursor(first as never) });
    expect(rest.rows.map((r) => r.id)).toEqual(all.slice(2));
  });

  it("shows an event with its import: decisions from the record, errors grouped by code", async () => {
    forgetRecordedImports();
    const eventId = results[0]?.event_id as string;
    const detail = await supportDetail(client.db, eventId);
    expect(detail?.event?.status).toBe("success");
    expect(detail?.import?.import.trigger).toBe("api");
    const decisions = detail?.import?.decisions;
    expect(decisions?.matching).toBe(3);
    expect(decisions?.codes).toEqual([
      { code: "INVALID_READING_VALUE", action: "error", count: 1, examples: [1] },
    ]);
    const failing = decisions?.rows[1]?.decision;
    expect(failing).toMatchObject({
      action: "error",
      code: "INVALID_READING_VALUE",
      meter: { unique_ids: { meter_number: "M1" } },
      details: { field: "value", received: "not-a-number" },
    });
    // Created readings show the values written, read from the stored rows.
    expect(decisions?.rows[0]?.decision.reading).toMatchObject({ external_id: "r1", value: "10" });
    expect(detail?.correlation.map((e) => e.status)).toEqual(["success", "ignored", "error"]);
    // The same detail through the import's id names its event.
    const byImport = await supportDetail(client.db, results[0]?.import_id as string, {
      action: "error",
    });
    expect(byImport?.event?.id).toBe(eventId);
    expect(byImport?.import?.decisions.rows.map((r) => r.n)).toEqual([1]);
    const byMeter = await supportDetail(client.db, eventId, { meter: "M2" });
    expect(byMeter?.import?.decisions.rows.map((r) => r.decision.reading?.external_id)).toEqual([
      "r3",
    ]);
  });

  it("downloads the recorded plan as JSON and as CSV, one line per decision", async () => {
    const importId = results[0]?.import_id as string;
    const json = JSON.parse(await planExport(client.db, importId, "json"));
    expect(json.summary).toMatchObject({ create: 2, error: 1 });
    expect(json.decisions.map((d: { action: string }) => d.action)).toEqual([
      "create",
      "error",
      "create",
    ]);
    const csv = (await planExport(client.db, importId, "csv")).trimEnd().split("\r\n");
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe(
      "n,item,index,action,code,message,meter_id,counter_id,reading_id,matched_by,changed,details,reading",
    );
    expect(csv[2]).toContain(",error,INVALID_READING_VALUE,Invalid reading value,");
    expect(csv[2]).toContain('"{""field"":""value"",""received"":""not-a-number""}"');
  });

  it("keeps an error event's code, message and payload; unknown ids are no detail", async () => {
    const detail = await supportDetail(client.db, results[2]?.event_id as string);
    expect(detail?.event).toMatchObject({ status: "error", error_code: "PAYLOAD_INVALID" });
    expect(detail?.event?.error_message).toMatch(/not valid JSON/);
    expect(detail?.import).toBeNull();
    expect(await eventPayloadText(client, results[2]?.event_id as string)).toBe("{not json");
    expect(await eventPayloadText(client, results[0]?.event_id as string)).toContain('"r2"');
    expect(await supportDetail(client.db, "not-an-id")).toBeNull();
    expect(await supportDetail(client.db, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("finds a meter by a unique id value and shows its readings, series and imports", async () => {
    const [match, ...others] = await findMeters(client.db, "M1");
    expect(others).toEqual([]);
    expect(match).toMatchObject({ matched: "meter_number", attributes: { meter_number: "M1" } });
    const page = await meterPage(client.db, match?.id as string, {}, Date.parse("2024-06-01"));
    expect(page?.readings.rows.map((r) => [r.external_id, r.value])).toEqual([["r1", "10"]]);
    expect(page?.series).toMatchObject([
      { counterId: null, times: [Date.parse("2024-05-01")], values: [10] },
    ]);
    expect(page?.imports.map((i) => i.trigger)).toEqual(["api", "cli"]);
    const highlighted = await meterPage(client.db, match?.id as string, {
      import: results[0]?.import_id as string,
    });
    expect(highlighted?.series[0]?.highlighted).toEqual([Date.parse("2024-05-01")]);
    expect(await meterPage(client.db, "00000000-0000-4000-8000-000000000000", {})).toBeNull();
    expect(await findMeters(client.db, "nothing-like-this")).toEqual([]);
  });

  it("sums events per day by status, top error codes and the last success per integration", async () => {
    const overview = await supportOverview(client.db);
    const total = (s: string) => overview.perDay.counts[s]?.reduce((a, b) => a + b, 0);
    expect([total("success"), total("ignored"), total("error")]).toEqual([1, 1, 1]);
    expect(overview.codes.map((c) => c.code).sort()).toEqual([
      "INVALID_READING_VALUE",
      "PAYLOAD_INVALID",
    ]);
    expect(overview.useCases[0]).toMatchObject({
      slug: "readings",
      failed_events: 1,
      failing_readings: 1,
    });
    expect(overview.lastSuccess[0]?.event_id).toBe(results[0]?.event_id);
  });
});
