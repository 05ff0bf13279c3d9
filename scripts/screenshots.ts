/**
 * Screenshots of the studio's navigation pages for a human to look at, at a desktop and a phone
 * size, in Debian's Chromium:
 *
 *   SCREENS_URL=http://localhost:3000 SCREENS_EMAIL=... SCREENS_PASSWORD=... \
 *     npx tsx scripts/screenshots.ts
 *
 * Every page needs a session: the sign-in page is shot first, then the script signs in with
 * SCREENS_EMAIL and SCREENS_PASSWORD (an admin sees every page). SCREENS_ONLY=<regex> keeps the
 * shots whose names match.
 *
 * PNGs go to SCREENS_DIR (default /tmp/screens). Only dialogs are opened and one invalid form is
 * submitted, so nothing is written, unless SCREENS_CREATE=1: then an integration (with its
 * one-time key dialog) and an API key are created too. Point it at a scratch server.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";

const baseUrl = process.env.SCREENS_URL;
if (!baseUrl) {
  console.error("Set SCREENS_URL to a running server, e.g. SCREENS_URL=http://localhost:3000");
  process.exit(2);
}
const outDir = process.env.SCREENS_DIR ?? "/tmp/screens";
const create = process.env.SCREENS_CREATE === "1";
const only = process.env.SCREENS_ONLY ? new RegExp(process.env.SCREENS_ONLY) : null;

const viewports = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

type Shot = { name: string; run: (page: Page) => Promise<void> };

async function demoIntegrationPath(page: Page): Promise<string> {
  await page.goto("/integrations");
  const href = await page
    .getByTestId("integration-row")
    .first()
    .getByRole("link")
    .first()
    .getAttribute("href");
  if (!href) throw new Error("no integration listed");
  return href;
}

const shots: Shot[] = [
  { name: "home", run: (page) => goto(page, "/") },
  { name: "users", run: (page) => goto(page, "/users") },
  {
    name: "users-new-dialog",
    run: async (page) => {
      await goto(page, "/users");
      await page.getByRole("button", { name: "New user" }).click();
    },
  },
  { name: "audit", run: (page) => goto(page, "/audit") },
  { name: "entities-deleted", run: (page) => goto(page, "/entities/deleted") },
  { name: "account-password", run: (page) => goto(page, "/account/password") },
  {
    name: "account-menu",
    run: async (page) => {
      await goto(page, "/integrations");
      await page.locator("summary[aria-label^='Account']").click();
    },
  },
  { name: "integrations", run: (page) => goto(page, "/integrations") },
  {
    name: "integrations-new-dialog",
    run: async (page) => {
      await goto(page, "/integrations");
      await page.getByRole("button", { name: "New integration" }).click();
    },
  },
  {
    name: "integration",
    run: async (page) => goto(page, await demoIntegrationPath(page)),
  },
  {
    name: "integration-rename-inline",
    run: async (page) => {
      await goto(page, await demoIntegrationPath(page));
      await page.getByRole("button", { name: "Rename", exact: true }).click();
    },
  },
  {
    name: "integration-new-use-case-error",
    run: async (page) => {
      await goto(page, await demoIntegrationPath(page));
      await page.getByRole("button", { name: "New use case" }).click();
      const dialog = page.getByRole("dialog", { name: "New use case" });
      await dialog.getByLabel("Slug").fill("Meter Readings!");
      await dialog.getByLabel("Name (optional)", { exact: true }).fill("Meter readings");
      await dialog.getByRole("button", { name: "Create use case" }).click();
      await dialog.getByText(/Not a valid slug/).waitFor();
    },
  },
  {
    name: "integration-edit-use-case",
    run: async (page) => {
      await goto(page, await demoIntegrationPath(page));
      await page
        .getByRole("button", { name: /^Edit use case/ })
        .first()
        .click();
    },
  },
  {
    name: "integration-revoke-dialog",
    run: async (page) => {
      await goto(page, await demoIntegrationPath(page));
      await page
        .getByRole("button", { name: /^Revoke key/ })
        .first()
        .click();
    },
  },
  { name: "not-found", run: (page) => goto(page, "/integrations/not-an-id") },
  { name: "studio", run: (page) => openStudio(page) },
  {
    name: "studio-history",
    run: async (page) => {
      await openStudio(page);
      await page.getByRole("button", { name: /^History/ }).click();
      await page.getByRole("dialog", { name: "History" }).getByTestId("json-diff-editor").waitFor();
    },
  },
  {
    name: "studio-apply",
    run: async (page) => {
      await openStudio(page);
      await page.getByRole("button", { name: /^Apply/ }).click();
      await page
        .getByRole("dialog", { name: "Apply sample" })
        .getByText("This import will:")
        .waitFor();
    },
  },
  {
    name: "api-reference",
    run: async (page) => {
      await goto(page, "/docs/api");
      await page
        .getByTestId("api-reference")
        .getByText("/api/v1/erp/updates/events")
        .first()
        .waitFor();
    },
  },
];

/** The demo's meter-readings studio, with its preview computed (its first screen, not the page). */
async function openStudio(page: Page) {
  await goto(page, `${await demoIntegrationPath(page)}/use-cases/meter-readings`);
  await page.getByTestId("decision-row").first().waitFor();
}

const creatingShots: Shot[] = [
  {
    name: "created-integration-key",
    run: async (page) => {
      await goto(page, "/integrations");
      await page.getByRole("button", { name: "New integration" }).click();
      const dialog = page.getByRole("dialog", { name: "New integration" });
      await dialog.getByLabel("Integration name").fill(`Screenshot ERP ${Date.now().toString(36)}`);
      await dialog.getByRole("button", { name: "Create integration" }).click();
      await page.getByRole("dialog", { name: "Integration created" }).waitFor();
    },
  },
  {
    name: "created-integration-empty",
    run: async (page) => {
      await goto(page, "/integrations");
      const last = page.getByTestId("integration-row").last().getByRole("link").first();
      await goto(page, (await last.getAttribute("href")) ?? "/integrations");
    },
  },
  {
    name: "created-api-key",
    run: async (page) => {
      await goto(page, await demoIntegrationPath(page));
      await page.getByRole("button", { name: "Create API key" }).click();
      const dialog = page.getByRole("dialog", { name: "Create API key" });
      await dialog.getByLabel("Key name").fill("screenshots");
      await dialog.getByRole("button", { name: "Create key" }).click();
      await page.getByRole("dialog", { name: "API key created" }).waitFor();
    },
  },
];

async function goto(page: Page, url: string) {
  // Not "networkidle": link prefetches keep the network busy on pages with many links.
  await page.goto(url, { waitUntil: "load" });
}

async function main(browser: Browser) {
  mkdirSync(outDir, { recursive: true });
  for (const viewport of viewports) {
    const context = await browser.newContext({
      baseURL: baseUrl,
      viewport: { width: viewport.width, height: viewport.height },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    await goto(page, "/sign-in");
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(outDir, `sign-in-${viewport.name}.png`) });
    if (process.env.SCREENS_EMAIL && process.env.SCREENS_PASSWORD) {
      // The button is enabled once the page is hydrated; click waits for that.
      await page.getByLabel("Email").fill(process.env.SCREENS_EMAIL);
      await page.getByLabel("Password").fill(process.env.SCREENS_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    }
    const selected = (create ? [...shots, ...creatingShots] : shots).filter(
      (shot) => !only || only.test(shot.name),
    );
    for (const shot of selected) {
      await shot.run(page);
      // Let hydration, dialogs and fonts settle.
      await page.waitForTimeout(400);
      const file = path.join(outDir, `${shot.name}-${viewport.name}.png`);
      // A modal dialog is what the user sees: the viewport, not the page behind it.
      const modal = await page.locator("dialog[open]").count();
      await page.screenshot({ path: file, fullPage: modal === 0 });
      console.log(file);
    }
    await context.close();
  }
}

const browser = await chromium.launch({
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  await main(browser);
} finally {
  await browser.close();
}
