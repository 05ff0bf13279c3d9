import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as postEvents } from "../app/api/v1/erp/updates/events/route";
import { POST as postSimulation } from "../app/api/v1/erp/updates/mapping_simulation/route";
import { POST as postDryRun } from "../app/api/v1/use-cases/[slug]/dry-run/route";
import { type DbClient, useDbForTests } from "../db/client";
import { query } from "../db/repository";
import { dryRunResponseSchema } from "../lib/api/openapi";
import { processEvents } from "../lib/server/imports/event-service";
import { applyImport } from "../lib/server/imports/import-service";
import { createIntegration } from "../lib/server/integrations/integration-service";
import { publishBySlug } from "../lib/server/integrations/use-case-service";
import {
  BASE,
  countRows,
  eventResults,
  expectError,
  meterSetup,
  openApiWorld,
  postEventList,
  readingsConfig,
  request,
} from "./helpers/api-fixtures";
import { openTestDb, testDatabases } from "./helpers/test-db";

// What a hostile or careless client can send the API (issue 11): text the database cannot store,
// JSON nested past any sense, names that are Object.prototype's, failures nobody planned for.
// Each answer is a 4xx or a result that says what went wrong; never a 500, never a stall.

let counter = 0;
const readingPayload = (meter: string) => {
  counter += 1;
  return {
    readings: [{ meter, id: `H${counter}`, at: `${2040 + counter}-01-01T10:00:00Z`, value: 1 }],
  };
};

/** JSON text nested `depth` levels deep: arrays, or objects under the key "a". */
const nested = (depth: number, kind: "arrays" | "objects" = "arrays") =>
  kind === "arrays"
    ? `${"[".repeat(depth)}1${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe.each(await testDatabases())("the API routes, given hostile input, on %s", (kind) => {
  let client: DbClient;
  let integrationId: string;
  let key: string;

  const events = (list: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    postEventList({ integrationId, key }, list, extra);

  beforeAll(async () => {
    ({ client, integrationId, key } = await openApiWorld(kind));
    useDbForTests(client);
  });

  afterAll(async () => {
    useDbForTests(undefined);
    await client?.close();
  });

  describe("POST /api/v1/erp/updates/events", () => {
    it("says what a payload may be when it has the wrong type", async () => {
      const envelope = await expectError(
        await events([{ use_case_slug: "readings", payload: 42 }]),
        422,
        "INVALID_REQUEST",
      );
      expect(envelope.message).toBe(
        "The request body is invalid at /events/0/payload: The payload must be a JSON object, an array, or a string holding JSON",
      );
    });

    it("refuses a body that is not UTF-8 with 400 naming where, instead of changing the text", async () => {
      const text = `{"integration_id":"${integrationId}","events":[{"timestamp":"t","format":"json",\n"use_case_slug":"readings","payload":{"readings":[{"meter":"M1","id":"Rx","at":"2025-01-01","value":1}]}}]}`;
      const bytes = Buffer.from(text);
      // A lone continuation byte inside the external id "Rx".
      bytes[bytes.indexOf('"Rx"') + 2] = 0x80;
      const before = await countRows(client, "inbound_events");
      const response = await postEvents(
        new Request(`${BASE}/api/v1/erp/updates/events`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: bytes,
        }),
      );
      const envelope = await expectError(response, 400, "BAD_JSON");
      expect(envelope.error.details).toMatchObject({ line: 2 });
      expect(await countRows(client, "inbound_events")).toBe(before);
    });

    it("answers a body nested deeper than 256 levels with 422 naming where, at once", async () => {
      const post = (text: string) =>
        postEvents(request("/api/v1/erp/updates/events", text, { key }));
      const event = (payload: string) =>
        `{"timestamp":"t","format":"json","use_case_slug":"readings","payload":${payload}}`;
      const body = (events: string, extra = "") =>
        `{"integration_id":"${integrationId}",${extra}"events":[${events}]}`;
      // On Postgres the first post also starts the import thread: not what is timed here.
      await eventResults(await post(body(event("{}"))));
      const before = await countRows(client, "inbound_events");
      for (const depth of [300, 10_000, 100_000]) {
        for (const kind of ["arrays", "objects"] as const) {
          const started = performance.now();
          const deepPayload = await expectError(
            await post(
              body(`${event("{}")},${event(`{"readings":[],"x":${nested(depth, kind)}}`)}`),
            ),
            422,
            "PAYLOAD_INVALID",
          );
          expect(deepPayload.error.details).toMatchObject({
            path: expect.stringMatching(/^\/events\/1\/payload\/x\/(0|a)\//),
            max_depth: 256,
          });
          const deepElsewhere = await expectError(
            await post(body(event("{}"), `"extra":${nested(depth, kind)},`)),
            422,
            "INVALID_REQUEST",
          );
          expect(deepElsewhere.error.details).toMatchObject({
            path: expect.stringMatching(/^\/extra\//),
          });
          expect(performance.now() - started).toBeLessThan(2000);
        }
      }
      // A payload sent as a string holding JSON fails only its event.
      const [ok, deep] = await eventResults(
        await post(body(`${event("{}")},${event(JSON.stringify(nested(10_000)))}`)),
      );
      expect(ok?.status).toBe("success");
      expect(deep).toMatchObject({ status: "error", error: { code: "PAYLOAD_INVALID" } });
      expect(deep?.message).toMatch(/nested deeper than 256 levels/);
      expect(await countRows(client, "inbound_events")).toBe(before + 2);
    });

    it("fails an event with an unexpected error with IMPORT_FAILED and the error id of its log line", async () => {
      // A database of its own whose readings table is gone: the import fails in an unplanned way.
      const broken = await openTestDb(kind);
      const log = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        const own = await createIntegration(broken, "Broken ERP");
        await applyImport(broken, {
          useCaseId: null,
          config: meterSetup,
          payload: { meters: [{ number: "M1" }] },
          trigger: "cli",
        });
        await publishBySlug(broken, {
          integrationId: own.integration.id,
          slug: "readings",
          config: readingsConfig,
        });
        await broken.db.execute(sql`DROP TABLE readings CASCADE`);
        const { results } = await processEvents(broken, own.integration.id, {
          integration_id: own.integration.id,
          events: [
            {
              timestamp: "2024-05-01T00:00:00Z",
              format: "json",
              use_case_slug: "readings",
              payload: readingPayload("M1"),
            },
          ],
        });
        const errorId = results[0]?.error?.details.error_id as string;
        expect(results[0]).toMatchObject({
          status: "error",
          error: { code: "IMPORT_FAILED", details: { error_id: expect.any(String) } },
        });
        expect(results[0]?.message).toContain(errorId);
        expect(log).toHaveBeenCalledWith(
          expect.stringContaining(errorId),
          expect.objectContaining({ message: expect.stringContaining("readings") }),
        );
      } finally {
        log.mockRestore();
        await broken.close();
      }
    });

    it("refuses NUL and lone surrogates in request-level fields with 422, naming each field by JSON pointer", async () => {
      const before = await countRows(client, "inbound_events");
      for (const text of ["nul\u0000", "sur\ud800", "\udc00"]) {
        const response = await events(
          [
            { use_case_slug: text, payload: {} },
            { event_name: text, payload: {} },
            { use_case_slug: "readings", deduplication_id: text, payload: {} },
          ],
          { correlation_id: text },
        );
        const body = await expectError(response, 422, "INVALID_REQUEST");
        const issues = body.error.details.issues as { path: string; message: string }[];
        expect(issues.map((i) => i.path).sort()).toEqual([
          "/correlation_id",
          "/events/0/use_case_slug",
          "/events/1/event_name",
          "/events/2/deduplication_id",
        ]);
        expect(issues[0]?.message).toMatch(/NUL character or a lone surrogate/);
      }
      expect(await countRows(client, "inbound_events")).toBe(before);
    });

    it("fails only the reading whose external id, meter id or custom attribute holds NUL or a lone surrogate (INVALID_TEXT)", async () => {
      await publishBySlug(client, {
        integrationId,
        slug: "noted",
        config: {
          meter_readings: [
            {
              ...readingsConfig.meter_readings[0],
              fields: [
                ...(readingsConfig.meter_readings[0]?.fields ?? []),
                { attribute: "note", field: "note" },
              ],
            },
          ],
        },
      });
      const before = await countRows(client, "readings");
      const at = "2031-02-01T10:00:00Z";
      const payload = {
        readings: [
          { meter: "M1", id: "nul\u0000", at, value: 1 },
          { meter: "M1", id: "sur\ud800", at, value: 1 },
          { meter: "M1\u0000", id: "T3", at, value: 1 },
          { meter: "M1", id: "T4", at, value: 1, note: { tags: ["ok", "low\udc00"] } },
          { meter: "M2", id: "T5 😀", at, value: 1, note: "pairs are fine 😀" },
        ],
      };
      const [result] = await eventResults(await events([{ use_case_slug: "noted", payload }]));
      expect(result).toMatchObject({
        status: "success",
        summary: { create: 1, error: 4 },
      });
      expect(await countRows(client, "readings")).toBe(before + 1);
      const planned = await postDryRun(
        request("/api/v1/use-cases/noted/dry-run", { payload }, { key }),
        { params: Promise.resolve({ slug: "noted" }) },
      );
      expect(planned.status).toBe(200);
      const { plan } = dryRunResponseSchema.strict().parse(await planned.json());
      expect(plan.decisions.map((d) => [d.action, d.code, d.details])).toEqual([
        ["error", "INVALID_TEXT", { field: "external_id", received: "nul\\u0000" }],
        ["error", "INVALID_TEXT", { field: "external_id", received: "sur\\ud800" }],
        [
          "error",
          "INVALID_TEXT",
          { entity: "meter", field: "meter_number", received: "M1\\u0000" },
        ],
        ["error", "INVALID_TEXT", { field: "note", path: "/tags/1", received: "low\\udc00" }],
        ["unchanged", undefined, undefined],
      ]);
    });

    it("stores no external id changed to U+FFFD, so a correction of that reading is not skipped as a duplicate", async () => {
      const send = (value: number) =>
        events([
          {
            use_case_slug: "readings",
            payload: { readings: [{ meter: "M2", id: "sur\ud800", at: "2032-03-01", value }] },
          },
        ]);
      for (const value of [1, 2]) {
        const [result] = await eventResults(await send(value));
        expect(result?.summary).toMatchObject({ create: 0, skip: 0, error: 1 });
      }
      const [replaced] = await query<{ n: number }>(
        client.db,
        sql`SELECT count(*)::int AS n FROM readings WHERE external_id LIKE ${"%\ufffd%"}`,
      );
      expect(replaced?.n).toBe(0);
    });
  });

  describe("POST /api/v1/erp/updates/mapping_simulation", () => {
    const simulate = (body: unknown, k: string | null = key) =>
      postSimulation(request("/api/v1/erp/updates/mapping_simulation", body, { key: k }));

    it("maps attributes named like Object.prototype's members (toString, __proto__ ...) as ordinary ones", async () => {
      const names = ["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty"];
      const item = readingsConfig.meter_readings[0] as (typeof readingsConfig.meter_readings)[0];
      const response = await simulate({
        event_configuration: {
          meter_readings: [
            {
              ...item,
              fields: [
                ...item.fields,
                ...names.map((attribute) => ({ attribute, constant: attribute })),
              ],
            },
          ],
        },
        payload: { readings: [{ meter: "M1", id: "P1", at: "2024-06-01T10:00:00Z", value: 7 }] },
      });
      expect(response.status).toBe(200);
      const [update] = (await response.json()).meter_readings_updates;
      expect(Object.keys(update.attributes)).toEqual([
        "external_id",
        "timestamp",
        "value",
        "source",
        ...names,
      ]);
      expect(Object.getOwnPropertyDescriptor(update.attributes, "__proto__")?.value).toBe(
        "__proto__",
      );
    });

    it("answers a payload or a configuration nested deeper than 256 levels with 422, at once", async () => {
      const config = JSON.stringify(readingsConfig);
      const post = (text: string) =>
        postSimulation(request("/api/v1/erp/updates/mapping_simulation", text, { key }));
      for (const depth of [300, 5_000, 10_000, 100_000]) {
        for (const kind of ["arrays", "objects"] as const) {
          const started = performance.now();
          const reading = `{"meter":"M1","id":"D","at":"2024-06-01","value":1,"note":${nested(depth, kind)}}`;
          const payload = await expectError(
            await post(`{"event_configuration":${config},"payload":{"readings":[${reading}]}}`),
            422,
            "PAYLOAD_INVALID",
          );
          expect(payload.error.details).toMatchObject({
            path: expect.stringMatching(/^\/payload\/readings\/0\/note\//),
          });
          const configuration = await expectError(
            await post(
              `{"event_configuration":{"meter_readings":${nested(depth, kind)}},"payload":{}}`,
            ),
            422,
            "CONFIG_INVALID",
          );
          expect(configuration.error.details).toMatchObject({
            path: expect.stringMatching(/^\/event_configuration\/meter_readings\//),
          });
          await expectError(
            await post(
              `{"event_configuration":${config},"payload":${JSON.stringify(`{"readings":${nested(depth, kind)}}`)}}`,
            ),
            422,
            "PAYLOAD_INVALID",
          );
          expect(performance.now() - started).toBeLessThan(2000);
        }
      }
    });

    it("answers a mapping that builds a value nested deeper than 256 levels with a warning, not a 500", async () => {
      const item = readingsConfig.meter_readings[0] as (typeof readingsConfig.meter_readings)[0];
      const response = await simulate({
        event_configuration: {
          meter_readings: [
            {
              ...item,
              jsonataExpression:
                'readings.{"meter": meter, "id": id, "at": at, "value": value, "deep": $reduce([1..5000], function($a, $i){ {"a": $a} }, 0)}',
              fields: [
                ...item.fields,
                { attribute: "deep", field: "deep" },
                {
                  attribute: "built",
                  jsonataExpression: "$reduce([1..5000], function($a, $i){ [[$a]] }, 0)",
                },
              ],
            },
          ],
        },
        payload: { readings: [{ meter: "M1", id: "B", at: "2024-06-01", value: 1 }] },
      });
      expect(response.status).toBe(200);
      expect((await response.json()).warnings).toEqual([
        expect.objectContaining({
          code: "MAPPING_ERROR",
          message: "The value is nested deeper than 256 levels",
          details: { field: "deep" },
        }),
      ]);
    });
  });

  describe("POST /api/v1/use-cases/[slug]/dry-run", () => {
    it("refuses a use case slug in the path that the database cannot hold (%00) with 422", async () => {
      for (const slug of ["\u0000", "x\ud800"]) {
        const response = await postDryRun(
          request("/api/v1/use-cases/%00/dry-run", { payload: {} }, { key }),
          { params: Promise.resolve({ slug }) },
        );
        const body = await expectError(response, 422, "INVALID_REQUEST");
        expect(body.error.details).toEqual({
          parameter: "slug",
          received: JSON.stringify(slug).slice(1, -1),
        });
      }
    });

    it("answers a payload or a configuration nested deeper than 256 levels with 422, at once", async () => {
      const post = (text: string) =>
        postDryRun(request("/api/v1/use-cases/readings/dry-run", text, { key }), {
          params: Promise.resolve({ slug: "readings" }),
        });
      for (const depth of [300, 10_000, 100_000]) {
        for (const kind of ["arrays", "objects"] as const) {
          const started = performance.now();
          const reading = `{"meter":"M1","id":"D","at":"2024-06-01","value":1,"note":${nested(depth, kind)}}`;
          await expectError(
            await post(`{"payload":{"readings":[${reading}]}}`),
            422,
            "PAYLOAD_INVALID",
          );
          const configuration = await expectError(
            await post(
              `{"payload":{},"configuration":{"meter_readings":[${nested(depth, kind)}]}}`,
            ),
            422,
            "CONFIG_INVALID",
          );
          expect(configuration.error.details).toMatchObject({
            path: expect.stringMatching(/^\/configuration\/meter_readings\/0\//),
            max_depth: 256,
          });
          expect(performance.now() - started).toBeLessThan(2000);
        }
      }
    });
  });
});
