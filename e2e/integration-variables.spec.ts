import { expect, test } from "@playwright/test";

/** A name no other run or spec has used, so the spec never depends on what is already there. */
const unique = (label: string) => `${label} ${Date.now().toString(36)}`;

test("a consultant manages an integration's variables; a secret is never shown again", async ({
  page,
}) => {
  const name = unique("Variables ERP");
  const secretValue = `tok-${Date.now().toString(36)}-secret`;

  await test.step("create an integration and open it", async () => {
    await page.goto("/integrations");
    await page.getByRole("button", { name: "New integration" }).click();
    const form = page.getByRole("dialog", { name: "New integration" });
    await form.getByLabel("Integration name").fill(name);
    await form.getByRole("button", { name: "Create integration" }).click();
    await page
      .getByRole("dialog", { name: "Integration created" })
      .getByRole("button", { name: "Done" })
      .click();
    await page
      .getByTestId("integration-row")
      .filter({ hasText: name })
      .getByRole("link")
      .first()
      .click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByText("No variables yet")).toBeVisible();
  });

  const row = (key: string) =>
    page.getByTestId("variable-row").and(page.locator(`[data-key="${key}"]`));

  await test.step("add a plain variable; a malformed or taken key is refused in place", async () => {
    await page.getByRole("button", { name: "Add the first variable" }).click();
    const form = page.getByRole("dialog", { name: "Add variable" });
    await form.getByLabel("Key").fill("Tenant ID");
    await form.getByLabel("Value").fill("T-42");
    await form.getByRole("button", { name: "Add variable" }).click();
    await expect(form.getByText(/lowercase letters, digits/).last()).toBeVisible();
    await expect(form.getByLabel("Value")).toHaveValue("T-42");
    await form.getByLabel("Key").fill("tenant.id");
    await form.getByRole("button", { name: "Add variable" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row("tenant.id")).toContainText("T-42");

    await page.getByRole("button", { name: "Add variable" }).click();
    const again = page.getByRole("dialog", { name: "Add variable" });
    await again.getByLabel("Key").fill("tenant.id");
    await again.getByLabel("Value").fill("other");
    await again.getByRole("button", { name: "Add variable" }).click();
    await expect(
      again.getByText('This integration already has a variable "tenant.id"'),
    ).toBeVisible();
    await again.getByRole("button", { name: "Cancel" }).click();
  });

  await test.step("add a secret: its value is never on the page again", async () => {
    await page.getByRole("button", { name: "Add variable" }).click();
    const form = page.getByRole("dialog", { name: "Add variable" });
    await form.getByLabel("Key").fill("api-token");
    await form.getByLabel("Secret").check();
    await expect(form.getByLabel("Value")).toHaveAttribute("type", "password");
    await form.getByLabel("Value").fill(secretValue);
    await form.getByRole("button", { name: "Add variable" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row("api-token")).toContainText("Secret");
    await expect(row("api-token")).toContainText("hidden");

    await page.reload();
    expect(await page.content()).not.toContain(secretValue);
    await row("api-token").getByRole("button", { name: "Edit variable api-token" }).click();
    const edit = page.getByRole("dialog", { name: "Edit api-token" });
    await expect(edit.getByLabel(/New value/)).toHaveValue("");
    expect(await page.content()).not.toContain(secretValue);

    // Unmarking a secret without a new value would reveal nothing, so it is refused.
    await edit.getByLabel("Secret").uncheck();
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByText(/give a new value to make it a plain variable/)).toBeVisible();
    await edit.getByLabel("Secret").check();
    await edit.getByLabel(/New value/).fill(`${secretValue}-2`);
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row("api-token")).toContainText("hidden");
    expect(await page.content()).not.toContain(secretValue);
  });

  await test.step("edit a plain value, then delete the variable", async () => {
    await row("tenant.id").getByRole("button", { name: "Edit variable tenant.id" }).click();
    const edit = page.getByRole("dialog", { name: "Edit tenant.id" });
    await expect(edit.getByLabel("Value")).toHaveValue("T-42");
    await edit.getByLabel("Value").fill("T-43");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row("tenant.id")).toContainText("T-43");

    await row("tenant.id").getByRole("button", { name: "Delete variable tenant.id" }).click();
    await page
      .getByRole("dialog", { name: "Delete tenant.id?" })
      .getByRole("button", { name: "Delete variable" })
      .click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await expect(row("tenant.id")).toHaveCount(0);
    await expect(page.getByTestId("variable-row")).toHaveCount(1);
  });
});
