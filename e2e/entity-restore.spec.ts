import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { stateOf } from "./accounts";
import { publishDemoUseCase } from "./demo-use-case";
import { expect, test } from "./guard";

/*
 * An ERP event creates a meter with a reading, a second one soft-deletes it (mode "delete"). The
 * meter is gone from its page and found on the deleted-entities page (support sees it there
 * without a Restore button); a consultant's restore brings it back to its page and to the
 * lookups (a dry run of the first payload finds it unchanged). A live twin refuses the restore,
 * with the reason in the dialog. Seeds its own use case and API key on the demo integration.
 *
 * E2E_SHOTS=/some/folder saves screenshots of the page at 1440 and 390 px.
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

test("a soft-deleted meter is found on the deleted-entities page, restored, and back in lookups", async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(150_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const run = Date.now().toString(36);
  const slug = `e2e-restore-${run}`;
  const number = `MR-${run}`;
  const config = {
    entities: [
      {
        entity_schema: "meter",
        unique_ids: ["meter_number"],
        jsonataExpression: "meters",
        fields: [
          { attribute: "meter_number", field: "number" },
          { attribute: "medium", constant: "electricity" },
        ],
      },
      {
        entity_schema: "meter",
        unique_ids: ["meter_number"],
        mode: "delete",
        jsonataExpression: "delete",
        fields: [{ attribute: "meter_number", field: "number" }],
      },
    ],
    meter_readings: [
      {
        jsonataExpression: "readings",
        meter: { unique_ids: [{ attribute: "meter_number", field: "meter" }] },
        fields: [
          { attribute: "external_id", field: "id" },
          { attribute: "timestamp", field: "at" },
          { attribute: "value", field: "value" },
          { attribute: "source", constant: "ERP" },
        ],
      },
    ],
  };
  const created = {
    meters: [{ number }],
    readings: [{ meter: number, id: `${run}-1`, at: "2030-01-01", value: "10" }],
  };
  const deleting = { delete: [{ number }] };
  let key = "";
  let integrationId = "";

  await test.step("seed: an API key and a use case with a delete mapping, v1 published", async () => {
    ({ key, integrationId } = await publishDemoUseCase(page, { slug, keyName: run, config }));
  });

  const post = async (payload: unknown) => {
    const response = await page.request.post("/api/v1/erp/updates/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        integration_id: integrationId,
        events: [
          { timestamp: "2025-06-04T00:00:00Z", format: "json", use_case_slug: slug, payload },
        ],
      },
    });
    expect(response.status()).toBe(200);
    const [result] = (await response.json()).results;
    expect(result).toMatchObject({ status: "success" });
    return result.import_id as string;
  };
  const dryRun = async () => {
    const response = await page.request.post(`/api/v1/use-cases/${slug}/dry-run`, {
      headers: { authorization: `Bearer ${key}` },
      data: { payload: created },
    });
    expect(response.status()).toBe(200);
    const { plan } = (await response.json()) as {
      plan: { summary: Record<string, number>; entities: { action: string; id?: string }[] };
    };
    return plan;
  };
  const row = () => page.getByTestId("deleted-entity-row").filter({ hasText: number });

  let meterId = "";
  let deletingImport = "";
  await test.step("the ERP creates the meter with a reading, then deletes it softly", async () => {
    await post(created);
    const plan = await dryRun();
    expect(plan.entities.map((e) => e.action)).toEqual(["unchanged"]);
    meterId = plan.entities[0]?.id ?? "";
    await page.goto(`/meters/${meterId}`);
    await expect(page.getByRole("heading", { level: 1, name: `Meter ${number}` })).toBeVisible();
    deletingImport = await post(deleting);
    const response = await page.goto(`/meters/${meterId}`);
    expect(response?.status()).toBe(404);
  });

  await test.step("the deleted-entities page lists it, filtered by its number", async () => {
    await page.goto("/imports");
    await page.getByRole("link", { name: "Deleted entities" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Deleted entities" })).toBeVisible();
    const filters = page.getByRole("form", { name: "Filters" });
    await filters.getByLabel("Schema").selectOption("meter");
    await filters.getByLabel("Key value or id").fill(number);
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(new RegExp(`q=${number}`));
    await expect(page.getByTestId("deleted-entity-row")).toHaveCount(1);
    await expect(row()).toContainText(`meter_number ${number}`);
    await expect(row()).toContainText("30 days left");
    await expect(
      row().getByRole("link", { name: `import ${deletingImport.slice(0, 8)}` }),
    ).toHaveAttribute("href", `/imports/${deletingImport}`);
    await shots(page, "deleted-entities");
  });

  await test.step("support sees it without a Restore button", async () => {
    const support = await browser.newContext({ storageState: stateOf("support") });
    const supportPage = await support.newPage();
    await supportPage.goto(page.url());
    await expect(supportPage.getByTestId("deleted-entity-row")).toHaveCount(1);
    await expect(supportPage.getByRole("button", { name: /^Restore/ })).toHaveCount(0);
    await support.close();
  });

  await test.step("the restore takes it off the list and back to its meter page and the lookups", async () => {
    await row()
      .getByRole("button", { name: `Restore meter meter_number ${number}, medium electricity` })
      .click();
    const dialog = page.getByRole("dialog", { name: "Restore this meter?" });
    await shots(page, "deleted-entities-restore-dialog");
    await dialog.getByRole("button", { name: "Restore meter" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Restored the meter" })).toContainText(
      `meter_number ${number}`,
    );
    await expect(page.getByTestId("deleted-entity-row")).toHaveCount(0);
    await expect(page.getByText("Nothing found")).toBeVisible();
    await shots(page, "deleted-entities-restored");
    await page.getByRole("link", { name: "Open its page" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Meter ${number}` })).toBeVisible();
    const plan = await dryRun();
    expect(plan.entities).toEqual([expect.objectContaining({ action: "unchanged", id: meterId })]);
    expect(plan.summary).toMatchObject({ create: 0, unchanged: 1 });
  });

  await test.step("the audit trail names the restored meter and who restored it", async () => {
    await page.goto("/audit?action=entity.restore");
    const entry = page.getByTestId("audit-row").filter({ hasText: number });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText("admin@e2e.test");
    // Named by the unique ids its deleting import found it by.
    await expect(entry).toContainText(`meter (meter_number ${number})`);
  });

  await test.step("a live twin refuses the restore, and the dialog says which and why", async () => {
    await post(deleting);
    // Out of every lookup, the deleted meter lets the next event create a new one.
    await post(created);
    await page.goto(`/entities/deleted?q=${number}`);
    await row()
      .getByRole("button", { name: /^Restore meter/ })
      .click();
    const dialog = page.getByRole("dialog", { name: "Restore this meter?" });
    await dialog.getByRole("button", { name: "Restore meter" }).click();
    await expect(dialog.getByRole("alert")).toContainText("cannot be restored: another live meter");
    await expect(dialog.getByRole("alert")).toContainText("Delete that meter first");
    await shots(page, "deleted-entities-twin");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByTestId("deleted-entity-row")).toHaveCount(1);
  });

  await test.step("an empty list explains what lands here", async () => {
    await page.goto("/entities/deleted?q=no-such-value");
    await expect(page.getByText("Nothing found")).toBeVisible();
  });
});
