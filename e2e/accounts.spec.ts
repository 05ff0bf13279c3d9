import { type Browser, expect, type Page, test } from "@playwright/test";
import { emailOf, passwordOf, stateOf } from "./accounts";
import { monacoIn } from "./demo-studio";
import { appPaths, callAction, serverAction } from "./server-actions";

/*
 * Sign-in, roles and the audit trail, as each kind of user meets them. Each sign-in in this file
 * comes from an address of its own (x-forwarded-for), as behind a proxy, so the sign-in limit of
 * 10 a minute per address never trips a test.
 */

const studio = "app/integrations/[integrationId]/use-cases/[slug]/actions.ts";
let address = 10;

const MINIMAL_CONFIG = JSON.stringify(
  {
    meter_readings: [
      {
        jsonataExpression: "readings",
        meter: { unique_ids: [{ attribute: "meter_number", field: "meterId" }] },
        fields: [
          { attribute: "external_id", field: "id" },
          { attribute: "timestamp", field: "date" },
          { attribute: "source", constant: "ERP" },
          { attribute: "value", field: "value" },
        ],
      },
    ],
  },
  null,
  2,
);

async function freshContext(browser: Browser, role?: "admin" | "consultant" | "support") {
  address += 1;
  return browser.newContext({
    storageState: role ? stateOf(role) : { cookies: [], origins: [] },
    extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${address}` },
  });
}

async function demoIntegrationPath(page: Page): Promise<string> {
  await page.goto("/integrations");
  const href = await page.getByRole("link", { name: "Demo ERP" }).getAttribute("href");
  expect(href).toMatch(/^\/integrations\/[0-9a-f-]{36}$/);
  return href as string;
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("signed out, every page goes to sign-in and comes back after", async ({ browser }) => {
  const context = await freshContext(browser);
  const page = await context.newPage();
  const { pages } = appPaths();
  const concrete = pages
    .filter((p) => p !== "/sign-in")
    .map((p) =>
      p
        .replace("[integrationId]", "00000000-0000-4000-8000-000000000000")
        .replace("[slug]", "meter-readings")
        .replace(/\[[^\]]+\]/g, "x"),
    );
  expect(concrete).toEqual(expect.arrayContaining(["/", "/integrations", "/users", "/audit"]));
  for (const path of concrete) {
    await page.goto(path);
    await expect(page, `signed out ${path}`).toHaveURL(/\/sign-in(\?|$)/);
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  }

  await page.goto("/integrations");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fintegrations$/);
  await signIn(page, emailOf("support"), "not the password");
  await expect(page.getByText("That email and password do not match an account.")).toBeVisible();
  await signIn(page, emailOf("support"), passwordOf("support"));
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  // The session cookie is out of the page's reach and only goes to this site.
  const [cookie] = (await context.cookies()).filter((c) => c.name.endsWith("session_token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  await page.getByLabel(`Account: ${emailOf("support")}`).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/integrations");
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await context.close();
});

test("support sees everything but cannot publish, apply or manage keys, even without the UI", async ({
  browser,
  baseURL,
}) => {
  const context = await freshContext(browser, "support");
  const page = await context.newPage();
  const integrationPath = await demoIntegrationPath(page);
  await expect(page.getByRole("button", { name: "New integration" })).toHaveCount(0);

  await page.goto(integrationPath);
  await expect(page.getByRole("heading", { level: 1, name: "Demo ERP" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "API keys" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rename" })).toHaveCount(0);

  const studioPath = `${integrationPath}/use-cases/meter-readings`;
  await page.goto(studioPath);
  await expect(page.getByTestId("read-only-note")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save draft" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Publish…" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Apply/ })).toHaveCount(0);
  // The preview (a dry run) still works for support.
  await expect(page.getByRole("tab", { name: /Decisions/ })).toBeVisible();

  await page.goto("/users");
  await expect(
    page.getByRole("heading", { name: "Your role does not open this page" }),
  ).toBeVisible();

  // The publish action, sent by hand with the support session: refused before it runs.
  const publish = serverAction(`${studio}#publishAction`);
  const response = await callAction(
    context.request,
    baseURL as string,
    publish,
    [
      {
        integrationId: integrationPath.split("/").at(-1),
        slug: "meter-readings",
        draftText: "{}",
        message: "sneaky",
      },
    ],
    { page: studioPath },
  );
  expect(response.status()).toBe(403);
  await context.close();
});

test("a consultant publishes; an admin manages users and keys; the audit trail shows it all", async ({
  browser,
  request,
}) => {
  const admin = await freshContext(browser, "admin");
  const aPage = await admin.newPage();
  const integrationName = `Accounts E2E ${Date.now().toString(36)}`;
  let integrationPath = "";

  await test.step("the admin creates an integration for the consultant", async () => {
    await aPage.goto("/integrations");
    await aPage.getByRole("button", { name: "New integration" }).click();
    const dialog = aPage.getByRole("dialog", { name: "New integration" });
    await dialog.getByLabel("Integration name").fill(integrationName);
    await dialog.getByRole("button", { name: "Create integration" }).click();
    const created = aPage.getByRole("dialog", { name: "Integration created" });
    await created.getByRole("link", { name: "Open integration" }).click();
    await expect(aPage.getByRole("heading", { level: 1, name: integrationName })).toBeVisible();
    integrationPath = new URL(aPage.url()).pathname;
  });

  const consultant = await freshContext(browser, "consultant");
  const cPage = await consultant.newPage();
  await test.step("the consultant creates a use case and publishes its first version", async () => {
    await consultant.grantPermissions(["clipboard-read", "clipboard-write"]);
    const slug = `accounts-${Date.now().toString(36)}`;
    await cPage.goto(integrationPath);
    await cPage.getByRole("button", { name: "Create the first use case" }).click();
    const dialog = cPage.getByRole("dialog", { name: "New use case" });
    await dialog.getByLabel("Slug").fill(slug);
    await dialog.getByRole("button", { name: "Create use case" }).click();
    await expect(cPage.getByRole("dialog")).toHaveCount(0);
    await cPage.goto(`${integrationPath}/use-cases/${slug}`);
    const config = monacoIn(cPage.getByTestId("config-editor"));
    await config.locator(".view-lines").click();
    await cPage.keyboard.press("ControlOrMeta+A");
    await cPage.keyboard.press("Delete");
    await cPage.evaluate((t) => navigator.clipboard.writeText(t), MINIMAL_CONFIG);
    await cPage.keyboard.press("ControlOrMeta+V");
    await expect(cPage.getByTestId("draft-validity")).toHaveText(/^Valid/);
    await cPage.getByRole("button", { name: "Publish…" }).click();
    const publish = cPage.getByRole("dialog", { name: "Publish v1" });
    await publish.getByLabel("What changed").fill("Published by the consultant");
    await publish.getByRole("button", { name: "Publish v1" }).click();
    await expect(cPage.getByRole("dialog")).toHaveCount(0);
    await expect(cPage.getByTestId("version-badge")).toHaveText("v1 published");
  });
  await consultant.close();

  const newcomer = `newcomer-${Date.now().toString(36)}@e2e.test`;
  let oneTime = "";

  await test.step("the admin creates a user, who signs in and chooses a password", async () => {
    await aPage.goto("/users");
    await aPage.getByRole("button", { name: "New user" }).click();
    const dialog = aPage.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Email").fill(newcomer);
    await dialog.getByLabel("Role").selectOption("support");
    await dialog.getByRole("button", { name: "Create user" }).click();
    const created = aPage.getByRole("dialog", { name: "User created" });
    oneTime = await created.getByLabel("One-time password").inputValue();
    expect(oneTime.length).toBeGreaterThanOrEqual(20);
    await created.getByRole("button", { name: "Done" }).click();
    await expect(
      aPage.getByTestId("user-row").and(aPage.locator(`[data-email="${newcomer}"]`)),
    ).toContainText("One-time password not used yet");
  });

  const user = await freshContext(browser);
  const uPage = await user.newPage();
  await test.step("the new user signs in with it and must choose their own first", async () => {
    await uPage.goto("/integrations");
    await signIn(uPage, newcomer, oneTime);
    await expect(uPage).toHaveURL(/\/account\/password\?next=%2Fintegrations$/);
    await uPage.getByLabel("Current password").fill(oneTime);
    await uPage.getByLabel("New password", { exact: true }).fill("the newcomer's own secret");
    await uPage.getByLabel("New password again").fill("the newcomer's own secret");
    await uPage.getByRole("button", { name: "Change password" }).click();
    await expect(uPage).toHaveURL(/\/integrations$/);
    await expect(uPage.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  });

  await test.step("the admin deactivates the user, whose open session stops working", async () => {
    await aPage.goto("/users");
    const row = aPage.getByTestId("user-row").and(aPage.locator(`[data-email="${newcomer}"]`));
    await row.getByRole("button", { name: `Deactivate ${newcomer}` }).click();
    await expect(row).toContainText("Deactivated");
    await uPage.goto("/integrations");
    await expect(uPage).toHaveURL(/\/sign-in\?next=/);
    await signIn(uPage, newcomer, "the newcomer's own secret");
    await expect(uPage.getByText("This account is deactivated")).toBeVisible();
  });
  await user.close();

  await test.step("a revoked key is refused at once", async () => {
    await aPage.goto(integrationPath);
    await aPage.getByRole("button", { name: "Create API key" }).click();
    const form = aPage.getByRole("dialog", { name: "Create API key" });
    await form.getByLabel("Key name").fill("accounts-e2e");
    await form.getByRole("button", { name: "Create key" }).click();
    const created = aPage.getByRole("dialog", { name: "API key created" });
    const key = await created.getByLabel("API key").inputValue();
    await created.getByRole("button", { name: "Done" }).click();
    const events = () =>
      request.post("/api/v1/erp/updates/events", {
        headers: { authorization: `Bearer ${key}` },
        data: { events: [] },
      });
    expect((await events()).status()).not.toBe(401);
    const prefix = key.slice(0, 12);
    await aPage.getByRole("button", { name: `Revoke key ${prefix}` }).click();
    await aPage
      .getByRole("dialog", { name: "Revoke this API key?" })
      .getByRole("button", { name: "Revoke key" })
      .click();
    await expect(aPage.getByRole("dialog")).toHaveCount(0);
    expect((await events()).status()).toBe(401);
  });

  await test.step("the audit trail shows each step, with who did it", async () => {
    await aPage.goto("/audit");
    const rows = aPage.getByTestId("audit-row");
    for (const [action, who] of [
      ["integrations.createIntegration", emailOf("admin")],
      ["studio.publish", emailOf("consultant")],
      ["users.create", emailOf("admin")],
      ["users.deactivate", emailOf("admin")],
      ["integration.createApiKey", emailOf("admin")],
      ["integration.revokeApiKey", emailOf("admin")],
    ] as const) {
      await expect(rows.and(aPage.locator(`[data-action="${action}"]`)).first()).toContainText(who);
    }
    await aPage.getByLabel("Action").selectOption("users.deactivate");
    await aPage.getByRole("button", { name: "Filter" }).click();
    await expect(aPage).toHaveURL(/action=users.deactivate/);
    await expect(rows.first()).toContainText(newcomer);
    await expect(rows.and(aPage.locator('[data-action="studio.publish"]'))).toHaveCount(0);
  });
  await admin.close();
});
