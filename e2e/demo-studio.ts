import { expect, type Locator, type Page } from "@playwright/test";

/** The Monaco editor inside a container (the config editor, a dialog's diff). */
export const monacoIn = (container: Locator) => container.getByTestId("monaco-editor");

/**
 * Opens the seeded demo integration's studio for a use case, the way a consultant gets there,
 * and waits for the draft to load in the config editor (returned).
 */
export async function openDemoStudio(page: Page, slug: string): Promise<Locator> {
  await page.goto("/integrations");
  await page
    .getByTestId("integration-row")
    .filter({ hasText: "Demo ERP" })
    .getByRole("link", { name: "Demo ERP" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo ERP" })).toBeVisible();
  await page.getByRole("link", { name: `Open studio for ${slug}`, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const config = monacoIn(page.getByTestId("config-editor"));
  await expect(config.locator(".view-lines")).toContainText('"meter_readings"');
  return config;
}
