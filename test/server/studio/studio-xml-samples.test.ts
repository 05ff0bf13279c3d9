import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { query } from "../../../db/repository";
import { xmlToJson } from "../../../lib/engine/xml/xml-to-json";
import { type DemoSeed, seedDemo } from "../../../lib/server/demo/demo-seed";
import { publishBySlug } from "../../../lib/server/integrations/use-case-service";
import {
  applySample,
  planApply,
  previewDraft,
} from "../../../lib/server/studio/studio-preview-service";
import {
  createSample,
  loadSample,
  loadStudio,
  saveSamplePayload,
  type UseCaseRef,
} from "../../../lib/server/studio/studio-use-case-service";
import { openTestDb, testDatabases } from "../../helpers/test-db";

/**
 * XML samples in the studio (SPEC-ENTITIES 7): stored as written with their format, converted
 * for the preview and the apply exactly as the events route converts them.
 */

const config = {
  meter_readings: [
    {
      jsonataExpression: "batch.reading",
      meter: { unique_ids: [{ attribute: "meter_number", field: "@meter" }] },
      fields: [
        { attribute: "external_id", field: "@id" },
        { attribute: "timestamp", field: "$$.batch.@date" },
        { attribute: "value", field: "value.#text" },
        { attribute: "unit", field: "value.@unit" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

const xml = `<?xml version="1.0"?>
<batch date="2033-02-01T08:00:00Z">
  <reading id="XS1" meter="M001"><value unit="kWh">101.5</value></reading>
  <reading id="XS2" meter="M002"><value unit="kWh">202</value></reading>
  <reading id="XS3" meter="M999"><value unit="kWh">3</value></reading>
</batch>`;

function unwrap<T>(result: { ok: true; data: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result.data;
}

describe.each(await testDatabases())("XML samples in the studio on %s", (kind) => {
  let client: DbClient;
  let ref: UseCaseRef;

  beforeAll(async () => {
    client = await openTestDb(kind);
    const demo = (await seedDemo(client)) as DemoSeed;
    ref = { integrationId: demo.integration.id, slug: "xml-readings" };
    await publishBySlug(client, { integrationId: ref.integrationId, slug: ref.slug, config });
  });
  afterAll(() => client?.close());

  it("stores an XML sample as written, with its format and the JSON it converts to", async () => {
    const created = unwrap(await createSample(client, ref, "XML batch", xml, "xml"));
    expect(created).toMatchObject({ name: "XML batch", format: "xml", text: xml });
    const [row] = await query<{ payload: unknown; format: string }>(
      client.db,
      sql`SELECT payload, format FROM sample_payloads WHERE id = ${created.id}`,
    );
    expect(row).toEqual({ payload: xmlToJson(xml), format: "xml" });
    const studio = await loadStudio(client, ref, { sampleId: created.id });
    expect(studio?.samples.find((s) => s.id === created.id)?.format).toBe("xml");
    expect(studio?.firstSample).toMatchObject({ format: "xml", text: xml });

    const edited = xml.replace("202", "203");
    unwrap(await saveSamplePayload(client, ref, created.id, edited, "xml"));
    expect(unwrap(await loadSample(client, ref, created.id))).toMatchObject({
      format: "xml",
      text: edited,
    });
  });

  it("refuses malformed XML as a sample, saying where, in the payload field", async () => {
    const result = await createSample(client, ref, "Broken", "<batch>\n<reading>\n</batch>", "xml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.payload?.[0]).toMatch(/^The sample is not valid XML: .* line 3/);
    const doctype = await createSample(client, ref, "Doctype", "<!DOCTYPE a><a/>", "xml");
    expect(doctype.ok).toBe(false);
  });

  it("previews an XML sample exactly as the JSON it converts to", async () => {
    const configText = JSON.stringify(config);
    const fromXml = unwrap(
      await previewDraft(client, { configText, payloadText: xml, format: "xml" }),
    );
    const fromJson = unwrap(
      await previewDraft(client, { configText, payloadText: JSON.stringify(xmlToJson(xml)) }),
    );
    if (fromXml.kind !== "plan" || fromJson.kind !== "plan") throw new Error("expected plans");
    expect({ ...fromXml, ms: 0 }).toEqual({ ...fromJson, ms: 0 });
    expect(fromXml.summary).toMatchObject({ create: 2, error: 1 });
    expect(fromXml.decisions[0]?.reading).toMatchObject({ external_id: "XS1", value: "101.5" });

    const broken = unwrap(
      await previewDraft(client, { configText, payloadText: "<batch>", format: "xml" }),
    );
    expect(broken).toMatchObject({ kind: "json", target: "payload", format: "xml", line: 1 });
  });

  it("applies an XML sample with the published version, as the events route would import it", async () => {
    const planned = unwrap(await planApply(client, ref, xml, "xml"));
    expect(planned.summary).toMatchObject({ create: 2, error: 1 });
    const applied = unwrap(
      await applySample(client, ref, {
        payloadText: xml,
        format: "xml",
        versionId: planned.version.id,
        confirmed: { fingerprint: planned.fingerprint, summary: planned.summary },
      }),
    );
    expect(applied.summary).toMatchObject({ create: 2, error: 1 });
    const stored = await query<{ external_id: string; value: string }>(
      client.db,
      sql`SELECT external_id, value::text AS value FROM readings WHERE external_id LIKE 'XS%' ORDER BY external_id`,
    );
    expect(stored).toEqual([
      { external_id: "XS1", value: "101.5" },
      { external_id: "XS2", value: "202" },
    ]);
  });
});
