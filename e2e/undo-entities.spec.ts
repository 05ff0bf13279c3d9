import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { publishDemoUseCase } from "./demo-use-case";
import { expect, test } from "./guard";

/*
 * An ERP event creates a contact, a meter related to it and a reading; its undo page counts the
 * entities with the readings, and the undo takes all of them away (a dry run of the same event
 * creates them again). Seeds its own use case and API key on the demo integration.
 *
 * E2E_SHOTS=/some/folder saves screenshots of the undo page at 1440 and 390 px.
 */

async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("the undo of an import with entities removes its contact, meter and reading", async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const run = Date.now().toString(36);
  const slug = `e2e-entities-${run}`;
  const config = {
    entities: [
      {
        entity_schema: "contact",
        unique_ids: ["customer_number"],
        fields: [{ attribute: "customer_number", field: "customer" }],
      },
      {
        entity_schema: "meter",
        unique_ids: ["meter_number"],
        fields: [
          { attribute: "meter_number", field: "meter" },
          {
            attribute: "owner",
            relations: {
              operation: "_set",
              items: [
                {
                  entity_schema: "contact",
                  unique_ids: [{ attribute: "customer_number", field: "customer" }],
                },
              ],
            },
          },
        ],
      },
    ],
    meter_readings: [
      {
        jsonataExpression: "readings",
        meter: { unique_ids: [{ attribute: "meter_number", field: "$$.meter" }] },
        fields: [
          { attribute: "external_id", field: "id" },
          { attribute: "timestamp", field: "at" },
          { attribute: "value", field: "value" },
          { attribute: "source", constant: "ERP" },
        ],
      },
    ],
  };
  const payload = {
    customer: `C-${run}`,
    meter: `M-${run}`,
    readings: [{ id: `${run}-1`, at: "2030-01-01", value: "10" }],
  };
  let key = "";
  let integrationId = "";

  await test.step("seed: an API key and a use case with entities, v1 published", async () => {
    ({ key, integrationId } = await publishDemoUseCase(page, { slug, keyName: run, config }));
  });

  const post = () =>
    page.request.post("/api/v1/erp/updates/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        integration_id: integrationId,
        events: [
          { timestamp: "2025-06-04T00:00:00Z", format: "json", use_case_slug: slug, payload },
        ],
      },
    });
  const dryRun = async () => {
    const response = await page.request.post(`/api/v1/use-cases/${slug}/dry-run`, {
      headers: { authorization: `Bearer ${key}` },
      data: { payload },
    });
    expect(response.status()).toBe(200);
    const { plan } = (await response.json()) as {
      plan: { summary: Record<string, number>; entities: { action: string }[] };
    };
    return { readings: plan.summary, entities: plan.entities.map((e) => e.action) };
  };

  let importId = "";
  await test.step("the ERP posts the event: a contact, a meter related to it, a reading", async () => {
    const response = await post();
    expect(response.status()).toBe(200);
    const [result] = (await response.json()).results;
    expect(result).toMatchObject({ status: "success", summary: { create: 1 } });
    importId = result.import_id;
    expect(await dryRun()).toEqual({
      readings: expect.objectContaining({ unchanged: 1 }),
      entities: ["unchanged", "unchanged"],
    });
  });

  await test.step("the undo page counts the entities, and the undo removes them", async () => {
    await page.goto(`/imports/${importId}/undo`);
    await expect(page.getByRole("heading", { level: 1, name: "Undo import" })).toBeVisible();
    await expect(page.getByTestId("undo-summary")).toContainText(
      "It also removes 2 entities the import created and restores 0 entities",
    );
    await shots(page, "undo-entities");
    await page.getByRole("button", { name: "Undo import…" }).click();
    const dialog = page.getByRole("dialog", { name: "Undo this import?" });
    await expect(dialog).toContainText("and removes 2 entities and restores 0 entities");
    await shots(page, "undo-entities-dialog");
    await dialog.getByRole("button", { name: "Remove 1 and restore 0" }).click();
    await page.waitForURL((url) => !url.pathname.endsWith("/undo"));
    expect(await dryRun()).toEqual({
      readings: expect.objectContaining({ create: 1 }),
      entities: ["create", "create"],
    });
  });
});
