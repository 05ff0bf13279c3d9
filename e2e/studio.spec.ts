import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { DAILY_BATCH, DAILY_BATCH_SUMMARY } from "./demo-samples";
import { monacoIn, openDemoStudio } from "./demo-studio";
import { expect, test } from "./guard";

/*
 * The studio in a real browser against the e2e server (fresh PGlite, demo seeded): the issue's
 * journey from a new use case to readings stored by Apply, and the History dialog regression.
 * The guard (guard.ts) records every request: nothing may leave the app's origin, and no page
 * may throw.
 *
 * The journey expects the demo's stored readings as seeded (global setup starts a fresh server);
 * against a reused E2E_BASE_URL server it only passes once, since Apply writes readings.
 *
 * E2E_SHOTS=/some/folder saves full-page screenshots of the key steps there.
 */

/** Full page, unless a Monaco popup is open: resizing the page for it would close the popup. */
async function shot(page: Page, name: string, { fullPage = true } = {}) {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
}

/** The Monaco editor inside a container (config editor, sample editor). */

/** Replaces an editor's whole text through the clipboard, as a user pasting a file would. */
async function pasteInto(page: Page, editor: Locator, text: string) {
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press("ControlOrMeta+V");
}

test("after the History dialog was open, the config editor still takes typing and suggestions", async ({
  page,
  guard,
}) => {
  await openDemoStudio(page, "meter-readings");
  const config = monacoIn(page.getByTestId("config-editor"));
  await expect(config.locator(".view-lines")).toContainText('"meter_readings"');

  /** A new line after the opening brace, where the schema suggests the top-level keys. */
  async function newTopLevelLine() {
    await config.locator(".view-lines").click();
    await page.keyboard.press("ControlOrMeta+Home");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
  }

  // An edit first, so the diff has something to show.
  await newTopLevelLine();
  await page.keyboard.type('"entities": [],');
  await expect(page.getByTestId("version-badge")).toContainText("Draft (unpublished changes)");

  for (const [n, close] of [
    [1, "the close button"],
    [2, "Escape"],
  ] as const) {
    await test.step(`open History, close it with ${close}, then type`, async () => {
      await page.getByRole("button", { name: /^History/ }).click();
      const history = page.getByRole("dialog", { name: "History" });
      await expect(history.getByText("Changes from v1 to Draft (editor):")).toBeVisible();
      const diff = history.getByTestId("json-diff-editor");
      await expect(diff.locator(".view-lines").first()).toContainText("meter_readings");
      await expect(diff.locator(".line-insert").first()).toBeVisible();
      if (n === 1) await shot(page, "0-history");
      if (n === 1) await history.getByRole("button", { name: "Close" }).click();
      else await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toHaveCount(0);

      // The suggest widget's status bar wants Monaco's default hover delegate: the first widget
      // to need it after the diff editor was disposed threw "InstantiationService has been
      // disposed", and went on throwing for the page's life.
      await newTopLevelLine();
      await page.keyboard.type('"');
      await page.keyboard.press("ControlOrMeta+Space");
      await expect(config.locator(".suggest-widget .monaco-list-row").first()).toBeVisible();
      await page.keyboard.press("Escape");
      await expect(config.locator(".suggest-widget")).toBeHidden();
      await page.keyboard.type(`x${n}": ${n},`);
      await expect(config.locator(".view-lines")).toContainText(`"x${n}": ${n},`);
      await expect(page.getByTestId("draft-validity")).toContainText("error");
      expect(guard.pageErrors).toEqual([]);
    });
  }
});

/** The demo's meter-readings configuration, with a source constant that is not allowed. */
const CONFIG_WITH_TYPO = `{
  "meter_readings": [
    {
      "jsonataExpression": "readings",
      "meter": { "unique_ids": [{ "attribute": "meter_number", "field": "meterId" }] },
      "fields": [
        { "attribute": "external_id", "jsonataExpression": "meterId & '-' & $substring($$.readingDate, 0, 10)" },
        { "attribute": "timestamp", "field": "$$.readingDate" },
        { "attribute": "source", "constant": "ERP_IMPORT" },
        { "attribute": "value", "field": "currentReading" },
        { "attribute": "previous_value", "field": "previousReading" },
        { "attribute": "unit", "field": "unit" },
        { "attribute": "consumption", "jsonataExpression": "currentReading - previousReading" },
        { "attribute": "batch_id", "field": "$$.batchId" }
      ]
    }
  ]
}
`;

async function expectSummary(preview: Locator, counts: Record<string, number>) {
  const summary = preview.getByRole("list", { name: "Plan summary" });
  for (const [action, n] of Object.entries(counts)) {
    await expect(summary.getByTestId(`summary-${action}`)).toHaveText(`${n} ${action}`);
  }
}

test.describe("the studio journey", () => {
  test.use({ viewport: { width: 1440, height: 1000 }, actionTimeout: 15_000 });

  test("a new use case: typo, marker, quick fix, sample preview, publish, apply", async ({
    page,
    context,
  }) => {
    test.setTimeout(120_000);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    // Slugs and event names are unique per integration: a run never meets an earlier one's.
    const run = Date.now().toString(36);
    const slug = `e2e-readings-${run}`;
    const config = monacoIn(page.getByTestId("config-editor"));
    const preview = page.getByTestId("preview-body");
    const publish = page.getByRole("button", { name: "Publish…" });
    const badge = page.getByTestId("version-badge");

    await test.step("create a use case on the demo integration", async () => {
      await page.goto("/integrations");
      await page
        .getByTestId("integration-row")
        .filter({ hasText: "Demo ERP" })
        .getByRole("link", { name: "Demo ERP" })
        .click();
      await expect(page.getByRole("heading", { level: 1, name: "Demo ERP" })).toBeVisible();
      await page.getByRole("button", { name: "New use case" }).click();
      const dialog = page.getByRole("dialog", { name: "New use case" });
      await dialog.getByLabel("Slug").fill(slug);
      await dialog.getByLabel("Name (optional)", { exact: true }).fill("E2E readings");
      await dialog.getByLabel("Event name").fill(`E2EReadingsChanged-${run}`);
      await dialog.getByRole("button", { name: "Create use case" }).click();
      await expect(page.getByRole("dialog")).toHaveCount(0);
      const row = page.getByTestId("use-case-row").and(page.locator(`[data-slug="${slug}"]`));
      await expect(row).toContainText("Draft only");
      await row.getByRole("link", { name: `Open studio for ${slug}`, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "E2E readings" })).toBeVisible();
      await expect(badge).toHaveText("Never published");
      await expect(config.locator(".view-lines")).toContainText("{}");
    });

    await test.step("paste a configuration with a typo: a marker, and Publish says why not", async () => {
      await pasteInto(page, config, CONFIG_WITH_TYPO);
      await expect(config.locator(".view-lines")).toContainText('"constant": "ERP_IMPORT"');
      await expect(config.locator(".squiggly-error")).toHaveCount(1);
      await expect(page.getByTestId("draft-validity")).toHaveText("1 error");
      await expect(publish).toBeDisabled();
      await expect(publish).toHaveAccessibleDescription(
        "An invalid draft can be saved but not published",
      );
      await shot(page, "1-typo");
    });

    await test.step("add the Daily batch sample: the preview lists the problem", async () => {
      const bar = page.getByRole("region", { name: "Sample payload" });
      await bar.getByRole("button", { name: "New" }).click();
      const dialog = page.getByRole("dialog", { name: "New sample" });
      await dialog.getByLabel("Name").fill("Daily batch");
      await dialog.getByRole("button", { name: "Add sample" }).click();
      await expect(page.getByRole("dialog")).toHaveCount(0);
      await expect(bar.getByLabel("Sample", { exact: true })).toHaveValue(/.+/);
      await expect(bar.getByLabel("Sample", { exact: true }).locator("option:checked")).toHaveText(
        "Daily batch",
      );

      await bar.getByRole("button", { name: "Edit payload" }).click();
      const payload = monacoIn(bar);
      await expect(payload.locator(".view-lines")).toContainText("{}");
      await pasteInto(page, payload, JSON.stringify(DAILY_BATCH, null, 2));
      // The view follows the cursor to the end of what was pasted.
      await expect(payload.locator(".view-lines")).toContainText('"meterId": "M999"');
      await expect(bar.getByText("Unsaved edits, used by the preview")).toBeVisible();
      await bar.getByRole("button", { name: "Save sample" }).click();
      await expect(bar.getByRole("status")).toHaveText("Sample saved");
      await bar.getByRole("button", { name: "Hide payload" }).click();

      const problems = preview.getByTestId("validation-summary");
      await expect(problems).toContainText("The draft has 1 error");
      const problem = problems.getByTestId("config-problem");
      await expect(problem).toHaveCount(1);
      await expect(problem).toHaveAttribute("data-code", "INVALID_CONSTANT");
      await expect(problem).toContainText("/meter_readings/0/fields/2/constant");
      await expect(problem).toContainText('"ERP_IMPORT" is not an allowed source');
      await shot(page, "2-problems");
    });

    await test.step('fix it with the quick fix "Change to "ERP""', async () => {
      const squiggly = config.locator(".squiggly-error");
      const box = await squiggly.boundingBox();
      if (!box) throw new Error("the marker has no box");
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press("ControlOrMeta+.");
      const fix = page
        .getByRole("listbox", { name: "Action Widget" })
        .getByRole("option", { name: 'Change to "ERP", Quick Fix', exact: true });
      await expect(fix).toBeVisible();
      await shot(page, "3-quick-fix", { fullPage: false });
      await fix.click();
      await expect(config.locator(".view-lines")).toContainText('"constant": "ERP" }');
      await expect(config.locator(".view-lines")).not.toContainText("ERP_IMPORT");
      await expect(squiggly).toHaveCount(0);
      await expect(page.getByTestId("draft-validity")).toHaveText("Valid");
      await expect(publish).toBeEnabled();
    });

    await test.step("the preview: create, update, a DUPLICATE skip and METER_NOT_FOUND", async () => {
      await expect(preview.getByTestId("validation-summary")).toHaveCount(0);
      await expectSummary(preview, DAILY_BATCH_SUMMARY);
      const rows = preview.getByTestId("decision-row");
      await expect(rows).toHaveCount(5);
      await expect(rows.filter({ hasText: "M001" })).toContainText("create");
      await expect(rows.filter({ hasText: "M002" })).toContainText("create");
      await expect(rows.filter({ hasText: "M003" })).toContainText("DUPLICATE");
      await expect(rows.filter({ hasText: "M004" })).toContainText("update");
      await expect(rows.filter({ hasText: "M999" })).toContainText("METER_NOT_FOUND");
      await expect(page.getByRole("row", { name: "Decision 0:2: skip DUPLICATE" })).toBeVisible();
      await expect(
        page.getByRole("row", { name: "Decision 0:4: error METER_NOT_FOUND" }),
      ).toBeVisible();
      await shot(page, "4-preview");
    });

    await test.step("save the draft and publish v1", async () => {
      await page.getByRole("button", { name: "Save draft" }).click();
      await expect(
        page.getByRole("toolbar", { name: "Draft actions" }).getByRole("status"),
      ).toHaveText(/^Draft saved \d\d:\d\d CES?T$/);
      await publish.click();
      const dialog = page.getByRole("dialog", { name: "Publish v1" });
      await dialog.getByLabel("What changed").fill("Daily readings from the ERP batch");
      await dialog.getByRole("button", { name: "Publish v1" }).click();
      await expect(page.getByRole("dialog")).toHaveCount(0);
      await expect(badge).toHaveText("v1 published");
      await expect(publish).toBeDisabled();
      // The reason is on the page, not only in a tooltip.
      await expect(page.getByTestId("publish-blocked")).toHaveText(
        "Nothing to publish: the draft is v1",
      );
      await expect(publish).toHaveAccessibleDescription("Nothing to publish: the draft is v1");
      await expect(page.getByRole("button", { name: /^History/ })).toContainText("1");
    });

    await test.step("apply the sample with v1: an import, and the readings are stored", async () => {
      await page.getByRole("button", { name: "Apply sample with v1…" }).click();
      const dialog = page.getByRole("dialog", { name: "Apply sample" });
      await expect(dialog).toContainText("“Daily batch” as a real import with v1");
      await expect(dialog.getByTestId("summary-create")).toHaveText("2 create");
      await expect(dialog.getByText("No stored reading is deleted.")).toBeVisible();
      await dialog.getByRole("button", { name: "Apply sample" }).click();

      const done = page.getByRole("dialog", { name: "Sample applied" });
      const result = done.getByTestId("apply-result");
      await expect(result).toContainText(/Import \S+ written in \d+ ms/);
      await expect(result.locator("code")).toHaveText(/^[\w-]{8,}$/);
      await expect(result.getByTestId("summary-create")).toHaveText("2 create");
      await expect(result.getByTestId("summary-update")).toHaveText("1 update");
      await expect(result.getByTestId("summary-skip")).toHaveText("1 skip");
      await expect(result.getByTestId("summary-error")).toHaveText("1 error");
      await shot(page, "5-applied");
      await done.getByRole("button", { name: "Done" }).click();
      await expect(page.getByRole("dialog")).toHaveCount(0);

      // The preview runs again against the stored state: what was created or updated is there.
      await expectSummary(preview, { create: 0, update: 0, unchanged: 3, skip: 1, error: 1 });
      const rows = preview.getByTestId("decision-row");
      await expect(rows.filter({ hasText: "M001" })).toContainText("unchanged");
      await expect(rows.filter({ hasText: "M002" })).toContainText("unchanged");
      await expect(rows.filter({ hasText: "M004" })).toContainText("unchanged");
      await expect(rows.filter({ hasText: "M003" })).toContainText("DUPLICATE");
      await expect(rows.filter({ hasText: "M999" })).toContainText("METER_NOT_FOUND");
      await shot(page, "6-after-apply");
    });
  });
});
