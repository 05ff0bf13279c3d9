import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbClient } from "../../../db/client";
import { findUseCaseBySlug, listImports, listVersions, query } from "../../../db/repository";
import { meterReadingsSamples } from "../../../lib/server/demo/demo-data";
import { type DemoSeed, seedDemo } from "../../../lib/server/demo/demo-seed";
import {
  applySample,
  planApply,
  previewDraft,
  storedReading,
} from "../../../lib/server/studio/studio-preview-service";
import {
  createSample,
  deleteSample,
  loadStudio,
  publishDraft,
  renameSample,
  restoreVersion,
  saveDraft,
  type UseCaseRef,
} from "../../../lib/server/studio/studio-use-case-service";
import { openTestDb, testDatabases } from "../../helpers/test-db";

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const dailyBatch = pretty(meterReadingsSamples["Daily batch"]);

function unwrap<T>(result: { ok: true; data: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(`expected ok, got: ${result.message}`);
  return result.data;
}

describe.each(await testDatabases())("studio services on %s", (kind) => {
  let client: DbClient;
  let demo: DemoSeed;
  let ref: UseCaseRef;

  beforeAll(async () => {
    client = await openTestDb(kind);
    demo = (await seedDemo(client)) as DemoSeed;
    ref = { integrationId: demo.integration.id, slug: "meter-readings" };
  });
  afterAll(() => client?.close());

  async function draftText() {
    const studio = await loadStudio(client, ref);
    if (!studio) throw new Error("no studio");
    return studio.useCase.draftText;
  }

  it("previews the demo's daily batch against the stored state: create, update, duplicate, unknown meter", async () => {
    const outcome = unwrap(
      await previewDraft(client, { configText: await draftText(), payloadText: dailyBatch }),
    );
    if (outcome.kind !== "plan") throw new Error(`expected a plan, got ${outcome.kind}`);
    expect(outcome.summary).toEqual({
      create: 2,
      update: 1,
      unchanged: 0,
      skip: 1,
      delete: 0,
      error: 1,
    });
    const byMeter = Object.fromEntries(
      outcome.decisions.map((d) => [
        d.meter?.unique_ids.meter_number ?? d.details?.meter_number,
        d,
      ]),
    );
    expect(byMeter.M001?.action).toBe("create");
    expect(byMeter.M004).toMatchObject({ action: "update", target: { matched_by: "external_id" } });
    expect(byMeter.M004?.changes?.value).toEqual({ from: "7810", to: "7815.2" });
    expect(byMeter.M003).toMatchObject({ action: "skip", code: "DUPLICATE" });
    expect(byMeter.M999).toMatchObject({ action: "error", code: "METER_NOT_FOUND" });
    // The time columns: raw, instant and Berlin day side by side.
    expect(byMeter.M001?.time).toEqual({
      raw: "2024-01-16T08:00:00Z",
      instant: "2024-01-16T08:00:00.000Z",
      berlin_day: "2024-01-16",
    });
    expect(outcome.extracted).toHaveLength(1);
    expect(outcome.extracted[0]).toMatchObject({ item: 0, expression: "readings", total: 5 });
    expect(outcome.decisions.every((d) => !("previous" in d))).toBe(true); // no deletes here
    // Nothing was written.
    const again = unwrap(
      await previewDraft(client, { configText: await draftText(), payloadText: dailyBatch }),
    );
    expect(again.kind === "plan" && again.summary).toEqual(outcome.summary);
  });

  it("counts prune deletions apart and keeps the rows they delete", async () => {
    const config = JSON.parse(await draftText());
    config.meter_readings[0].mode = "upsert-prune-scope";
    const outcome = unwrap(
      await previewDraft(client, { configText: pretty(config), payloadText: dailyBatch }),
    );
    if (outcome.kind !== "plan") throw new Error("expected a plan");
    expect(outcome.summary.delete).toBe(2);
    expect(outcome.pruned).toBe(2);
    const pruned = outcome.decisions.filter((d) => d.code === "PRUNED");
    expect(pruned.map((d) => d.previous?.external_id).sort()).toEqual([
      "M001-2024-01-15",
      "M001-HT-2024-01-15",
    ]);
    // Updates do not carry the stored row: the drawer loads it by id.
    expect(outcome.decisions.find((d) => d.action === "update")?.previous).toBeUndefined();
  });

  it("loads the stored reading a decision updates or duplicates, with its meter", async () => {
    const outcome = unwrap(
      await previewDraft(client, { configText: await draftText(), payloadText: dailyBatch }),
    );
    if (outcome.kind !== "plan") throw new Error("expected a plan");
    const duplicate = outcome.decisions.find((d) => d.code === "DUPLICATE");
    const details = unwrap(await storedReading(client, duplicate?.target?.reading_id ?? ""));
    expect(details).toMatchObject({
      externalId: "ECP-58213",
      source: "ECP",
      value: "3120.4",
      berlinDay: "2024-01-16",
      meter: { meter_number: "M003" },
    });
    const missing = await storedReading(client, "00000000-0000-4000-8000-000000000000");
    expect(missing).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await storedReading(client, "new:0:1")).toMatchObject({ ok: false });
  });

  it("answers an invalid configuration with its validation summary instead of a plan", async () => {
    const config = { meter_readings: [{ meter: { unique_ids: ["meter_number"] }, fields: [] }] };
    const outcome = unwrap(
      await previewDraft(client, { configText: pretty(config), payloadText: dailyBatch }),
    );
    expect(outcome.kind).toBe("invalid");
    if (outcome.kind !== "invalid") return;
    expect(outcome.validation.valid).toBe(false);
    expect(outcome.validation.errors.map((e) => e.message)).toContain(
      "Meter readings configuration (item 0) is missing required field attributes: external_id, timestamp, source, value",
    );
  });

  it("names the line and column of a JSON typo in the draft or the sample", async () => {
    const config = unwrap(
      await previewDraft(client, {
        configText: '{\n  "meter_readings": [,]\n}',
        payloadText: "{}",
      }),
    );
    expect(config).toMatchObject({ kind: "json", target: "config", line: 2 });
    const payload = unwrap(
      await previewDraft(client, { configText: await draftText(), payloadText: "42" }),
    );
    expect(payload).toMatchObject({ kind: "json", target: "payload" });
  });

  it("saves an invalid draft but refuses to publish it, with the errors", async () => {
    const useCase = await findUseCaseBySlug(client.db, ref.integrationId, ref.slug);
    const before = await listVersions(client.db, useCase?.id ?? "");
    const invalid = pretty({ meter_readings: [{ meter: { unique_ids: [] }, fields: [] }] });
    const saved = await saveDraft(client, ref, invalid);
    expect(saved.ok && saved.data.validation.valid).toBe(false);
    expect(await draftText()).toBe(invalid);

    const refused = await publishDraft(client, ref, invalid, "broken");
    expect(refused).toMatchObject({ ok: false, code: "CONFIG_INVALID" });
    if (refused.ok) return;
    expect(refused.message).toMatch(/An invalid draft can be saved but not published/);
    expect(refused.validation?.errors.length).toBeGreaterThan(0);
    expect(Object.keys(refused.fieldErrors)).toContain("/meter_readings/0/meter/unique_ids");
    expect(await listVersions(client.db, useCase?.id ?? "")).toHaveLength(before.length);

    expect(await saveDraft(client, ref, "{ nope")).toMatchObject({
      ok: false,
      fieldErrors: { draft: [expect.stringMatching(/not valid JSON/)] },
    });
    expect(await publishDraft(client, ref, invalid, "  ")).toMatchObject({
      ok: false,
      fieldErrors: { message: [expect.any(String)] },
    });
  });

  it("refuses drafts, samples, names and messages holding NUL or a lone surrogate, next to their field", async () => {
    const draft = await draftText();
    const withText = (text: string) => pretty({ ...JSON.parse(draft), note: { [text]: 1 } });
    for (const text of ["nul\u0000", "sur\ud800"]) {
      const saved = await saveDraft(client, ref, withText(text));
      expect(saved).toMatchObject({ ok: false, fieldErrors: { draft: [expect.any(String)] } });
      expect(saved.ok ? "" : saved.message).toContain(JSON.stringify(text).slice(1, -1));
      expect(await publishDraft(client, ref, withText(text), "x")).toMatchObject({
        ok: false,
        fieldErrors: { draft: [expect.any(String)] },
      });
      expect(await createSample(client, ref, "Odd", pretty({ readings: [text] }))).toMatchObject({
        ok: false,
        fieldErrors: { payload: [expect.stringContaining("/readings/0")] },
      });
      expect(await createSample(client, ref, text, "{}")).toMatchObject({
        ok: false,
        fieldErrors: { name: [expect.any(String)] },
      });
      expect(await publishDraft(client, ref, draft, text)).toMatchObject({
        ok: false,
        fieldErrors: { message: [expect.any(String)] },
      });
      expect(await saveDraft(client, { ...ref, slug: text }, draft)).toMatchObject({
        ok: false,
        code: "NOT_FOUND",
      });
      expect(await loadStudio(client, { ...ref, slug: text })).toBeNull();
    }
    expect(await draftText()).toBe(draft);
  });

  it("keeps the draft text exactly as written: key order and indentation", async () => {
    const studio = await loadStudio(client, ref);
    const v1 = studio?.versions.at(-1);
    if (!v1) throw new Error("the demo has a published version");
    // Keys in an order jsonb would not keep ("meter" after "fields"), two-space and tab indents.
    const config = JSON.parse(v1.configText) as { meter_readings: Record<string, unknown>[] };
    const [item] = config.meter_readings;
    const { meter, ...rest } = item as Record<string, unknown>;
    const written = JSON.stringify({ meter_readings: [{ ...rest, meter }] }, null, "\t");
    unwrap(await saveDraft(client, ref, written));
    expect((await loadStudio(client, ref))?.useCase.draftText).toBe(written);
    unwrap(await saveDraft(client, ref, v1.configText));
  });

  it("publishes a valid draft as the next version and restores an old version as the draft", async () => {
    const studio = await loadStudio(client, ref);
    const v1 = studio?.versions.at(-1);
    if (!v1) throw new Error("the demo has a published version");
    const changed = JSON.parse(v1.configText);
    changed.meter_readings[0].fields.push({ attribute: "note", constant: "studio" });
    const published = unwrap(await publishDraft(client, ref, pretty(changed), "Add a note"));
    expect(published.version).toMatchObject({ version: v1.version + 1, message: "Add a note" });
    // The published text is kept as written, for history and diffs.
    expect(published.version.configText).toBe(pretty(changed));

    const restored = unwrap(await restoreVersion(client, ref, v1.id));
    expect(restored).toMatchObject({ restoredVersion: v1.version, draftPublished: false });
    expect(JSON.parse(await draftText())).toEqual(JSON.parse(v1.configText));
    // Restoring writes the draft only; the newest version stays what it was.
    const after = await loadStudio(client, ref);
    expect(after?.versions[0]?.version).toBe(v1.version + 1);
    expect(after?.useCase.draftPublished).toBe(false);
    expect(await restoreVersion(client, ref, "not-a-uuid")).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
  });

  it("keeps named samples: add, refuse a taken name, rename and delete", async () => {
    const added = unwrap(await createSample(client, ref, "  Tiny  ", '{"readings": []}'));
    // The sample keeps the text as written (jsonb alone would reformat it).
    expect(added).toMatchObject({ name: "Tiny", text: '{"readings": []}' });
    expect(await createSample(client, ref, "Tiny", "{}")).toMatchObject({
      ok: false,
      fieldErrors: { name: [expect.stringMatching(/already a sample/)] },
    });
    expect(await createSample(client, ref, "Broken", "[1,")).toMatchObject({
      ok: false,
      fieldErrors: { payload: [expect.any(String)] },
    });
    expect(unwrap(await renameSample(client, ref, added.id, "Tiny batch")).name).toBe("Tiny batch");
    unwrap(await deleteSample(client, ref, added.id));
    const studio = await loadStudio(client, ref);
    expect(studio?.samples.map((s) => s.name)).not.toContain("Tiny batch");
    // A sample of another use case is out of reach.
    const other = { ...ref, slug: "meter-readings-tariffs" };
    const tariffs = await loadStudio(client, other);
    expect(await deleteSample(client, ref, tariffs?.samples[0]?.id ?? "")).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
  });

  it("applies a sample with the latest published version and returns the import's summary", async () => {
    const studio = await loadStudio(client, ref);
    const planned = unwrap(await planApply(client, ref, dailyBatch));
    expect(planned.version.id).toBe(studio?.versions[0]?.id);
    expect(planned.summary).toMatchObject({ create: 2, update: 1, skip: 1, error: 1, delete: 0 });

    const confirmed = { fingerprint: planned.fingerprint, summary: planned.summary };
    const stale = await applySample(client, ref, {
      payloadText: dailyBatch,
      versionId: studio?.versions.at(-1)?.id ?? "",
      confirmed,
    });
    expect(stale).toMatchObject({ ok: false, code: "CONFLICT" });

    const applied = unwrap(
      await applySample(client, ref, {
        payloadText: dailyBatch,
        versionId: planned.version.id,
        confirmed,
      }),
    );
    expect(applied.summary).toEqual(planned.summary);
    expect(applied.version.version).toBe(planned.version.version);
    const imports = await listImports(client.db, studio?.useCase.id ?? "");
    expect(imports[0]).toMatchObject({
      id: applied.importId,
      trigger: "studio",
      configVersion: planned.version.version,
    });
    // The stored state changed: the same batch now updates or leaves unchanged what it created.
    const after = unwrap(
      await previewDraft(client, {
        configText: studio?.versions[0]?.configText ?? "",
        payloadText: dailyBatch,
      }),
    );
    expect(after.kind === "plan" && after.summary).toMatchObject({ create: 0, unchanged: 3 });
  });

  it("refuses an apply whose plan changed since it was confirmed, and writes nothing", async () => {
    const studio = await loadStudio(client, ref);
    const useCaseId = studio?.useCase.id ?? "";
    const confirmedPlan = unwrap(await planApply(client, ref, dailyBatch));
    // The batch was applied above: confirming it again shows nothing to create.
    expect(confirmedPlan.summary).toMatchObject({ create: 0, unchanged: 3 });

    // Meanwhile the readings it would leave unchanged are deleted (another user, an ERP event).
    const [lastImport] = await listImports(client.db, useCaseId);
    await query(client.db, sql`DELETE FROM readings WHERE import_id = ${lastImport?.id}`);
    const readingsBefore = await query<{ n: number }>(
      client.db,
      sql`SELECT count(*)::int AS n FROM readings`,
    );
    const importsBefore = (await listImports(client.db, useCaseId)).length;

    const refused = await applySample(client, ref, {
      payloadText: dailyBatch,
      versionId: confirmedPlan.version.id,
      confirmed: { fingerprint: confirmedPlan.fingerprint, summary: confirmedPlan.summary },
    });
    expect(refused).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(!refused.ok && refused.message).toMatch(
      /^The stored data changed since you confirmed this import: it would now 3 create, 0 update, 0 unchanged, .*\(confirmed: 0 create, 0 update, 3 unchanged, .*\)\. Nothing was written/,
    );
    expect(await query(client.db, sql`SELECT count(*)::int AS n FROM readings`)).toEqual(
      readingsBefore,
    );
    expect(await listImports(client.db, useCaseId)).toHaveLength(importsBefore);

    // Checked again, the new plan applies.
    const fresh = unwrap(await planApply(client, ref, dailyBatch));
    expect(fresh.fingerprint).not.toBe(confirmedPlan.fingerprint);
    const applied = unwrap(
      await applySample(client, ref, {
        payloadText: dailyBatch,
        versionId: fresh.version.id,
        confirmed: { fingerprint: fresh.fingerprint, summary: fresh.summary },
      }),
    );
    expect(applied.summary).toEqual(fresh.summary);
  });
});
