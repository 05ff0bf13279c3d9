import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { entityPlanFixture } from "../test/helpers/entity-plan-fixture";
import { publishDemoUseCase } from "./demo-use-case";
import { expect, test } from "./guard";

/*
 * The studio previews a configuration with contacts, contracts (pruned by portfolio), meters,
 * counters and relations against entities an ERP event stored: the Entities tab lists every kind
 * of decision with its reason, the drawer opens, a relation opens the related entity's decision,
 * and a stored related entity that the plan does not touch loads from the database. Seeds its
 * own use case, API key and stored entities on the demo integration.
 *
 * E2E_SHOTS=/some/folder saves screenshots of the Entities tab and the drawer at 1440 and 390 px.
 */

async function shots(page: Page, name: string, fullPage = true) {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test("the studio preview shows entity decisions with their reasons and follows relations", async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const run = Date.now().toString(36);
  const slug = `e2e-studio-entities-${run}`;
  const { config, stored, sample, id } = entityPlanFixture(`-${run}`);
  let key = "";
  let integrationId = "";
  let importId = "";

  await test.step("seed: a use case with entities, v1 published, and its stored entities", async () => {
    ({ key, integrationId } = await publishDemoUseCase(page, { slug, keyName: run, config }));

    const response = await page.request.post("/api/v1/erp/updates/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        integration_id: integrationId,
        events: [
          {
            timestamp: "2025-06-04T00:00:00Z",
            format: "json",
            use_case_slug: slug,
            payload: stored,
          },
        ],
      },
    });
    expect(response.status()).toBe(200);
    const [result] = (await response.json()).results;
    expect(result).toMatchObject({ status: "success" });
    importId = result.import_id;
  });

  const preview = page.getByTestId("preview-body");
  const drawer = page.getByRole("dialog");
  const entityRows = preview.getByTestId("entity-row");

  await test.step("a sample against the stored entities: entity chips beside the readings'", async () => {
    await page.getByLabel("Upload").setInputFiles({
      name: `${slug}.json`,
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(sample, null, 2)),
    });
    await expect(page.getByText(`Uploaded “${slug}” and selected it`)).toBeVisible();
    const chips = preview.getByRole("list", { name: "Entity summary" });
    await expect(chips.getByTestId("entity-summary-create")).toHaveText("2 create");
    await expect(chips.getByTestId("entity-summary-stub")).toHaveText("1 stub");
    await expect(chips.getByTestId("entity-summary-update")).toHaveText("2 update");
    await expect(chips.getByTestId("entity-summary-unchanged")).toHaveText("3 unchanged");
    await expect(chips.getByTestId("entity-summary-prune")).toHaveText("1 prune");
    await expect(chips.getByTestId("entity-summary-error")).toHaveText("1 error");
    await expect(preview.getByTestId("entity-deletions-notice")).toContainText(
      "1 stored entity would be deleted by pruning",
    );
    // The entity's error counts in the Errors tab: nothing hides it before publishing.
    await expect(preview.getByRole("tab", { name: /^Errors/ })).toHaveText("Errors1");
  });

  await test.step("the Entities tab lists every decision in plan order with its reason", async () => {
    await preview.getByRole("tab", { name: /^Entities/ }).click();
    await expect(entityRows).toHaveCount(10);
    const labels = await entityRows.evaluateAll((rows) =>
      rows.map((r) => r.getAttribute("aria-label")),
    );
    expect(labels).toEqual([
      "Entity decision 0:0: unchanged contact",
      "Entity decision 0:1: create contact",
      "Entity decision 0:2: error contact MISSING_IDENTIFIER",
      "Entity decision 1:0: update contract",
      "Entity decision 1:1: unchanged contract",
      "Entity decision 1:2: stub contact RELATION_STUB",
      "Entity decision 1:2: create contract",
      "Entity decision 1: prune contract PRUNED",
      "Entity decision 2:0: update meter",
      "Entity decision 3:0: unchanged meter_counter",
    ]);
    await expect(entityRows.nth(5)).toContainText("Created as a stub");
    await expect(entityRows.nth(5)).toContainText(id("C9"));
    await expect(entityRows.nth(7)).toContainText("soft delete");
    await expect(entityRows.nth(7)).toContainText(id("K3"));
    await expect(entityRows.nth(2)).toContainText("MISSING_IDENTIFIER");

    const byAction = preview.getByLabel("Filter entity decisions by action");
    await byAction.selectOption("prune");
    await expect(entityRows).toHaveCount(1);
    await byAction.selectOption("all");
    await preview.getByLabel("Filter entity decisions by schema").selectOption("contact");
    await expect(entityRows).toHaveCount(4);
    await preview.getByLabel("Filter entity decisions by schema").selectOption("all");
    await expect(entityRows).toHaveCount(10);
  });

  await test.step("the drawer shows a decision's reason; a relation opens the related decision", async () => {
    await entityRows.nth(6).click();
    await expect(drawer.getByRole("heading", { name: "Entity contract 1:2" })).toBeVisible();
    await expect(drawer).toContainText(`contract_number${id("K4")}`);
    const relations = drawer.getByRole("list", { name: "Related entities" });
    await expect(relations).toContainText("relation to contact · tags PRIMARY");
    // The drawer is fixed to the window: a full-page shot would stretch the page under it.
    await shots(page, "studio-entities-drawer", false);
    await relations
      .getByRole("button", {
        name: `Open the stub decision of contact customer_number=${id("C9")}`,
      })
      .click();
    await expect(drawer.getByRole("heading", { name: "Entity contact 1:2" })).toBeVisible();
    await expect(drawer).toContainText("RELATION_STUB");
    await drawer.getByRole("button", { name: "Back to Entity contract 1:2" }).click();
    await expect(drawer.getByRole("heading", { name: "Entity contract 1:2" })).toBeVisible();
    await drawer.getByRole("button", { name: "Close" }).click();
    await expect(drawer).toHaveCount(0);
  });

  await test.step("a stored related entity that the plan does not touch loads in the drawer", async () => {
    await entityRows.nth(4).click();
    await expect(drawer.getByRole("heading", { name: "Entity contract 1:1" })).toBeVisible();
    await drawer.getByRole("button", { name: /^Load the stored contact / }).click();
    await expect(drawer.getByRole("heading", { name: "Stored entity" })).toBeVisible();
    const stored = drawer.getByTestId("stored-entity");
    await expect(stored).toContainText(`customer_number${id("C2")}`);
    await expect(stored).toContainText("nameBob");
    await expect(stored).toContainText("statuslive");
    await shots(page, "studio-entities-stored", false);
    await drawer.getByRole("button", { name: "Close" }).click();
  });

  await test.step("a reading's meter links to the meter's decision; entity errors are in Errors", async () => {
    await preview.getByRole("tab", { name: /^Decisions/ }).click();
    await preview.getByTestId("decision-row").first().click();
    await expect(drawer.getByRole("heading", { name: "Decision 0:0" })).toBeVisible();
    await drawer
      .getByRole("button", { name: `Open the update decision of meter meter_number=${id("M1")}` })
      .click();
    await expect(drawer.getByRole("heading", { name: "Entity meter 2:0" })).toBeVisible();
    await expect(drawer.getByRole("heading", { name: "Changes" })).toBeVisible();
    await drawer.getByRole("button", { name: "Close" }).click();

    await preview.getByRole("tab", { name: /^Errors/ }).click();
    const errors = preview.getByRole("table", { name: "Entity errors" });
    await expect(errors.getByTestId("entity-row")).toHaveCount(1);
    await expect(errors).toContainText("MISSING_IDENTIFIER");
    await preview.getByRole("tab", { name: /^Entities/ }).click();
    await shots(page, "studio-entities-tab");
  });

  await test.step("the apply confirmation says which stored entities the import deletes", async () => {
    await page.getByRole("button", { name: /^Apply sample with v1/ }).click();
    const dialog = page.getByRole("dialog", { name: "Apply sample" });
    await expect(dialog.getByTestId("apply-entity-deletions")).toContainText(
      "1 stored entity will be deleted (1 by pruning)",
    );
    await shots(page, "studio-entities-apply", false);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
  });

  await test.step("the import's support page lists its entity decisions with the same drawer", async () => {
    await page.goto(`/imports/${importId}`);
    const section = page.getByRole("region", { name: "Entity decisions" });
    const rows = section.getByTestId("entity-row");
    await expect(rows).toHaveCount(7);
    await expect(section.getByTestId("entity-summary-create")).toHaveText("7 create");
    await section.scrollIntoViewIfNeeded();
    await shots(page, "support-entities", false);
    await section.getByRole("row", { name: "Entity decision 1:0: create contract" }).click();
    await expect(drawer.getByRole("heading", { name: "Entity contract 1:0" })).toBeVisible();
    // The record keeps the decision, not the values written: the stored row has them.
    await drawer.getByRole("button", { name: "Show the contract as stored now" }).click();
    await expect(drawer.getByTestId("stored-entity")).toBeVisible();
    await drawer
      .getByRole("button", {
        name: `Open the create decision of contact customer_number=${id("C1")}`,
      })
      .click();
    await expect(drawer.getByRole("heading", { name: "Entity contact 0:0" })).toBeVisible();
    await expect(drawer).toContainText(`customer_number${id("C1")}`);
  });
});
