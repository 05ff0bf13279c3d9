import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postSimulation } from "../../../app/api/v1/erp/updates/mapping_simulation/route";
import { POST as postDryRun } from "../../../app/api/v1/use-cases/[slug]/dry-run/route";
import { type DbClient, useDbForTests } from "../../../db/client";
import { query } from "../../../db/repository";
import { publishBySlug } from "../../../lib/server/integrations/use-case-service";
import {
  countRows,
  eventResults,
  expectError,
  openApiWorld,
  postEventList,
  request,
} from "../../helpers/api-fixtures";
import { testDatabases } from "../../helpers/test-db";

/**
 * XML payloads through every API door (SPEC 5, SPEC-ENTITIES 7): the events route, the mapping
 * simulation and the dry run see the converted JSON, so an XML payload gives exactly the readings
 * of the equivalent JSON payload.
 */

/** Readings in an ERP's XML: the meter an attribute, the value beside a unit, a root attribute. */
const xmlConfig = {
  meter_readings: [
    {
      jsonataExpression: "batch.reading",
      meter: { unique_ids: [{ attribute: "meter_number", field: "meter.@number" }] },
      fields: [
        { attribute: "external_id", field: "@id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", field: "value.#text" },
        { attribute: "unit", field: "value.@unit" },
        { attribute: "batch_id", field: "$$.batch.@id" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

const xmlPayload = `<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by the ERP -->
<batch id="B-7">
  <reading id="X1">
    <meter number="M1"/>
    <at>2031-03-01T10:00:00Z</at>
    <value unit="kWh">0012.50</value>
  </reading>
  <reading id="X2">
    <meter number="M2"/>
    <at>2031-03-02T10:00:00Z</at>
    <value unit="kWh"><![CDATA[7]]></value>
  </reading>
</batch>`;

/** The same payload written as JSON by hand, as SPEC-ENTITIES 7 says the mapping sees it. */
const jsonPayload = {
  batch: {
    "@id": "B-7",
    reading: [
      {
        "@id": "X1",
        meter: { "@number": "M1" },
        at: "2031-03-01T10:00:00Z",
        value: { "@unit": "kWh", "#text": "0012.50" },
      },
      {
        "@id": "X2",
        meter: { "@number": "M2" },
        at: "2031-03-02T10:00:00Z",
        value: { "@unit": "kWh", "#text": "7" },
      },
    ],
  },
};

describe.each(await testDatabases())("XML payloads on %s", (kind) => {
  let client: DbClient;
  let integrationId: string;
  let key: string;

  const storedReadings = () =>
    query<Record<string, unknown>>(
      client.db,
      sql`SELECT external_id, "timestamp", value::text AS value, source, attributes
          FROM readings WHERE external_id IN ('X1', 'X2') ORDER BY external_id`,
    );

  beforeAll(async () => {
    ({ client, integrationId, key } = await openApiWorld(kind));
    useDbForTests(client);
    await publishBySlug(client, { integrationId, slug: "xml-readings", config: xmlConfig });
  });

  afterAll(async () => {
    useDbForTests(undefined);
    await client?.close();
  });

  it("imports an XML event as the equivalent JSON event: the JSON one then changes nothing", async () => {
    const world = { integrationId, key };
    const [xmlResult] = await eventResults(
      await postEventList(world, [
        { use_case_slug: "xml-readings", format: "xml", payload: xmlPayload },
      ]),
    );
    expect(xmlResult?.summary).toEqual({
      create: 2,
      update: 0,
      unchanged: 0,
      skip: 0,
      delete: 0,
      error: 0,
    });
    const afterXml = await storedReadings();
    expect(afterXml).toMatchObject([
      { external_id: "X1", value: "12.5", attributes: { unit: "kWh", batch_id: "B-7" } },
      { external_id: "X2", value: "7", attributes: { unit: "kWh", batch_id: "B-7" } },
    ]);
    const [jsonResult] = await eventResults(
      await postEventList(world, [{ use_case_slug: "xml-readings", payload: jsonPayload }]),
    );
    expect(jsonResult?.summary).toMatchObject({ create: 0, update: 0, unchanged: 2, error: 0 });
    expect(await storedReadings()).toEqual(afterXml);
  });

  it("answers malformed XML in an event with XML_INVALID, its line and column, and writes nothing", async () => {
    const readings = await countRows(client, "readings");
    const [result] = await eventResults(
      await postEventList({ integrationId, key }, [
        {
          use_case_slug: "xml-readings",
          format: "xml",
          payload: "<batch>\n  <reading id='Y'>\n  </batch>",
        },
      ]),
    );
    expect(result).toMatchObject({
      status: "error",
      error: { code: "XML_INVALID", details: { line: 3, column: expect.any(Number) } },
    });
    expect(result?.message).toMatch(/not valid XML.*line 3, column \d+/);
    expect(await countRows(client, "readings")).toBe(readings);
  });

  it("refuses a DOCTYPE and an object payload declared as XML", async () => {
    const [doctype, object] = await eventResults(
      await postEventList({ integrationId, key }, [
        {
          use_case_slug: "xml-readings",
          format: "xml",
          payload: '<!DOCTYPE b [<!ENTITY e "x">]><batch>&e;</batch>',
        },
        { use_case_slug: "xml-readings", format: "xml", payload: jsonPayload },
      ]),
    );
    expect(doctype).toMatchObject({ status: "error", error: { code: "XML_INVALID" } });
    expect(object).toMatchObject({ status: "error", error: { code: "PAYLOAD_INVALID" } });
  });

  it("simulates an XML payload exactly as the equivalent JSON one", async () => {
    const simulate = (body: unknown) =>
      postSimulation(request("/api/v1/erp/updates/mapping_simulation", body, { key }));
    const fromXml = await simulate({
      event_configuration: xmlConfig,
      format: "xml",
      payload: xmlPayload,
    });
    expect(fromXml.status).toBe(200);
    const fromJson = await simulate({ event_configuration: xmlConfig, payload: jsonPayload });
    const xmlBody = await fromXml.json();
    expect(xmlBody).toEqual(await fromJson.json());
    expect(xmlBody.meter_readings_updates[0].attributes).toEqual({
      external_id: "X1",
      timestamp: "2031-03-01T10:00:00Z",
      value: "0012.50",
      unit: "kWh",
      batch_id: "B-7",
      source: "ERP",
    });
    const broken = await expectError(
      await simulate({ event_configuration: xmlConfig, format: "xml", payload: "<a>&nbsp;</a>" }),
      422,
      "XML_INVALID",
    );
    expect(broken.error.details).toEqual({
      position: expect.any(Number),
      line: 1,
      column: expect.any(Number),
    });
  });

  it("dry-runs an XML payload to the plan of the equivalent JSON one", async () => {
    const dryRun = (body: unknown) =>
      postDryRun(request("/api/v1/use-cases/xml-readings/dry-run", body, { key }), {
        params: Promise.resolve({ slug: "xml-readings" }),
      });
    const changed = xmlPayload.replace("0012.50", "13");
    const fromXml = await dryRun({ format: "xml", payload: changed });
    expect(fromXml.status).toBe(200);
    const xmlPlan = (await fromXml.json()).plan;
    const json = structuredClone(jsonPayload);
    (json.batch.reading[0] as { value: { "#text": string } }).value["#text"] = "13";
    const jsonPlan = (await (await dryRun({ payload: json })).json()).plan;
    expect(xmlPlan).toEqual(jsonPlan);
    expect(xmlPlan.decisions.map((d: { action: string }) => d.action)).toEqual([
      "update",
      "unchanged",
    ]);
    await expectError(await dryRun({ format: "xml", payload: "<batch>" }), 422, "XML_INVALID");
  });
});
