import { expect, type Page, test } from "@playwright/test";

/** A name no other run or spec has used, so the spec never depends on what is already there. */
const unique = (label: string) => `${label} ${Date.now().toString(36)}`;

async function readOneTimeKey(page: Page, dialogName: string): Promise<string> {
  const dialog = page.getByRole("dialog", { name: dialogName });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText("It won't be shown again")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Copy key" })).toBeVisible();
  const key = await dialog.getByLabel("API key").inputValue();
  expect(key).toMatch(/^mms_[A-Za-z0-9_-]{20,}$/);
  return key;
}

test("the seeded demo integration is listed and linked from the home page", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("link", { name: /Demo ERP/ })).toBeVisible();

  await page
    .getByRole("navigation", { name: "Primary" })
    .getByRole("link", { name: "Integrations" })
    .click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  const demo = page.getByTestId("integration-row").filter({ hasText: "Demo ERP" });
  // Other specs on this server add use cases of their own to the demo: its two are among them.
  await expect(demo).toContainText(/\d+ use cases/);

  await demo.getByRole("link", { name: "Demo ERP" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Demo ERP" })).toBeVisible();
  for (const slug of ["meter-readings", "meter-readings-tariffs"])
    await expect(
      page.getByTestId("use-case-row").and(page.locator(`[data-slug="${slug}"]`)),
    ).toHaveCount(1);
  const useCase = page
    .getByTestId("use-case-row")
    .and(page.locator('[data-slug="meter-readings"]'));
  await expect(useCase).toContainText("Published v1");
  await expect(useCase).toContainText("MeterReadingsChanged");
});

test("a consultant sets up an integration: key shown once, renames, a use case, key rotation", async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const name = unique("E2E ERP");
  const renamed = `${name} (renamed)`;
  const final = `${name} (production)`;

  await test.step("create an integration; its key is shown once", async () => {
    await page.goto("/integrations");
    await page.getByRole("button", { name: "New integration" }).click();
    const form = page.getByRole("dialog", { name: "New integration" });
    await form.getByLabel("Integration name").fill(name);
    await form.getByRole("button", { name: "Create integration" }).click();

    const key = await readOneTimeKey(page, "Integration created");
    const created = page.getByRole("dialog", { name: "Integration created" });
    await created.getByRole("button", { name: "Copy key" }).click();
    await expect(created.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await page
      .getByRole("dialog", { name: "Integration created" })
      .getByRole("button", { name: "Done" })
      .click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByTestId("one-time-secret")).toHaveCount(0);

    // Opening the dialog again starts a new integration; the key is gone for good.
    await page.getByRole("button", { name: "New integration" }).click();
    const again = page.getByRole("dialog", { name: "New integration" });
    await expect(again.getByLabel("Integration name")).toHaveValue("");
    await again.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);

    const row = page.getByTestId("integration-row").filter({ hasText: name });
    await expect(row).toContainText("0 use cases");
    await expect(row).toContainText("1 active key");
  });

  await test.step("rename it from the list", async () => {
    await page.getByRole("button", { name: `Rename ${name}` }).click();
    const dialog = page.getByRole("dialog", { name: "Rename integration" });
    await expect(dialog.getByLabel("Integration name")).toHaveValue(name);
    await dialog.getByLabel("Integration name").fill(renamed);
    await dialog.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByRole("link", { name: renamed })).toBeVisible();
  });

  await test.step("open it and rename it in place", async () => {
    await page.getByRole("link", { name: renamed }).click();
    await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
    const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(breadcrumb.getByRole("link", { name: "Integrations" })).toHaveAttribute(
      "href",
      "/integrations",
    );

    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByLabel("Integration name").fill(final);
    await page.getByRole("button", { name: "Save name" }).click();
    await expect(page.getByRole("heading", { level: 1, name: final })).toBeVisible();
    await expect(page.getByLabel("Integration name")).toHaveCount(0);
    await expect(breadcrumb).toContainText(final);
  });

  await test.step("a use case with an invalid slug is refused inline and keeps what was typed", async () => {
    await page.getByRole("button", { name: "Create the first use case" }).click();
    const dialog = page.getByRole("dialog", { name: "New use case" });
    await dialog.getByLabel("Slug").fill("Meter Readings!");
    await dialog.getByLabel("Name (optional)", { exact: true }).fill("Meter readings");
    await dialog.getByLabel("Event name").fill("MeterReadingsChanged");
    await dialog.getByRole("button", { name: "Create use case" }).click();

    const slug = dialog.getByLabel("Slug");
    await expect(slug).toHaveAttribute("aria-invalid", "true");
    await expect(dialog.getByText(/Not a valid slug/)).toBeVisible();
    await expect(slug).toHaveValue("Meter Readings!");
    await expect(dialog.getByLabel("Name (optional)", { exact: true })).toHaveValue(
      "Meter readings",
    );
    await expect(dialog.getByLabel("Event name")).toHaveValue("MeterReadingsChanged");

    await slug.fill("meter-readings");
    await dialog.getByRole("button", { name: "Create use case" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
  });

  const integrationPath = new URL(page.url()).pathname;

  await test.step("the use case is listed with a link to its studio page", async () => {
    const row = page.getByTestId("use-case-row").and(page.locator('[data-slug="meter-readings"]'));
    await expect(row).toContainText("Draft only");
    await expect(row).toContainText("MeterReadingsChanged");
    await expect(row.getByRole("link", { name: "Meter readings" })).toHaveAttribute(
      "href",
      `${integrationPath}/use-cases/meter-readings`,
    );
    await expect(row.getByRole("link", { name: "Open studio for meter-readings" })).toHaveAttribute(
      "href",
      `${integrationPath}/use-cases/meter-readings`,
    );

    await row.getByRole("button", { name: "Edit use case meter-readings" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit use case" });
    await dialog.getByLabel("Name", { exact: true }).fill("Daily meter readings");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row.getByRole("link", { name: "Daily meter readings" })).toBeVisible();
  });

  await test.step("create an API key (shown once), then revoke it", async () => {
    await page.getByRole("button", { name: "Create API key" }).click();
    const form = page.getByRole("dialog", { name: "Create API key" });
    await form.getByLabel("Key name").fill("staging");
    await form.getByRole("button", { name: "Create key" }).click();
    const key = await readOneTimeKey(page, "API key created");
    await page
      .getByRole("dialog", { name: "API key created" })
      .getByRole("button", { name: "Done" })
      .click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(page.getByText(key)).toHaveCount(0);

    const prefix = key.slice(0, 12);
    const row = page.getByTestId("api-key-row").and(page.locator(`[data-key-prefix="${prefix}"]`));
    await expect(row).toContainText("staging");
    await expect(row).toContainText("Active");

    // The key works against the API before it is revoked ...
    const events = (bearer: string) =>
      request.post("/api/v1/erp/updates/events", {
        headers: { authorization: `Bearer ${bearer}` },
        data: { events: [] },
      });
    expect((await events(key)).status()).not.toBe(401);

    await row.getByRole("button", { name: `Revoke key ${prefix}` }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke this API key?" });
    await expect(confirm).toContainText(prefix);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row).toHaveAttribute("data-revoked", "true");
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

    // ... and is refused after.
    expect((await events(key)).status()).toBe(401);
  });
});
