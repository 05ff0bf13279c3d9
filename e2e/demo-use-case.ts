import type { Page } from "@playwright/test";
import { monacoIn } from "./demo-studio";
import { expect } from "./guard";

/**
 * Seeds what an ERP spec needs on the demo integration, through the UI as a consultant would: an
 * API key (shown once), a new use case, its configuration pasted into the studio, saved and
 * published as v1. The page must be allowed to use the clipboard. Leaves the page on the studio.
 */
export async function publishDemoUseCase(
  page: Page,
  { slug, keyName, config }: { slug: string; keyName: string; config: unknown },
): Promise<{ key: string; integrationId: string }> {
  await page.goto("/integrations");
  await page
    .getByTestId("integration-row")
    .filter({ hasText: "Demo ERP" })
    .getByRole("link", { name: "Demo ERP" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo ERP" })).toBeVisible();
  const integrationId = page.url().split("/integrations/")[1] ?? "";
  await page.getByRole("button", { name: "Create API key" }).click();
  const keyDialog = page.getByRole("dialog", { name: "Create API key" });
  await keyDialog.getByLabel("Key name").fill(keyName);
  await keyDialog.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("one-time-secret").inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "New use case" }).click();
  const dialog = page.getByRole("dialog", { name: "New use case" });
  await dialog.getByLabel("Slug").fill(slug);
  await dialog.getByRole("button", { name: "Create use case" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.getByRole("link", { name: `Open studio for ${slug}`, exact: true }).click();
  const editor = monacoIn(page.getByTestId("config-editor"));
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.evaluate((t) => navigator.clipboard.writeText(t), JSON.stringify(config, null, 2));
  await page.keyboard.press("ControlOrMeta+V");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page.getByRole("button", { name: "Publish…" }).click();
  const publish = page.getByRole("dialog", { name: "Publish v1" });
  await publish.getByLabel("What changed").fill("e2e v1");
  await publish.getByRole("button", { name: "Publish v1" }).click();
  await expect(page.getByTestId("version-badge")).toHaveText("v1 published");
  return { key, integrationId };
}
