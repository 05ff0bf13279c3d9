import { expect, test } from "./guard";

/*
 * The API reference is a readable page, not raw JSON, and works on a network that reaches only
 * this server: the guard fails the test on any request to another origin (fonts, scripts, styles,
 * telemetry).
 */
for (const viewport of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`the header's API reference opens a readable reference of the ERP API (${viewport.width} px)`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto("/");
    await page
      .getByRole("navigation", { name: "Primary" })
      .getByRole("link", { name: /^API/ })
      .click();
    await expect(page).toHaveURL(/\/docs\/api$/);
    await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
    const reference = page.getByTestId("api-reference");
    // Rendered from GET /api/v1/openapi.json: the routes' paths and the document's title.
    await expect(reference.getByText("/api/v1/erp/updates/events").first()).toBeVisible({
      timeout: 30_000,
    });
    await expect(reference).toContainText("Meter Mapping Studio API");
    await expect(reference).toContainText("Simulate a mapping configuration");
    await expect(
      page.getByRole("navigation", { name: "Primary" }).getByRole("link", { name: /^API/ }),
    ).toHaveAttribute("aria-current", "page");
    // Give late requests (fonts, lazy chunks) their chance to show up in the guard.
    await page.waitForTimeout(1000);
  });
}
