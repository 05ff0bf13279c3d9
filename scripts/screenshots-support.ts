/**
 * Screenshots of support's pages (events and imports, a detail, a meter, the overview) at a
 * desktop and a phone size, in Debian's Chromium, against a running server that has some events:
 *
 *   SCREENS_URL=http://localhost:3000 npx tsx scripts/screenshots-support.ts
 *
 * The detail and meter shown are the newest event's and the first meter the search finds for
 * SCREENS_METER (default M006). PNGs go to SCREENS_DIR (default /tmp/screens-support).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";

const baseUrl = process.env.SCREENS_URL;
if (!baseUrl) {
  console.error("Set SCREENS_URL to a running server, e.g. SCREENS_URL=http://localhost:3000");
  process.exit(2);
}
const outDir = process.env.SCREENS_DIR ?? "/tmp/screens-support";
const meter = process.env.SCREENS_METER ?? "M006";
const viewports = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

async function settle(page: Page) {
  // The header's links prefetch on and on: "networkidle" never comes.
  await page.waitForLoadState("load");
  await page.waitForTimeout(1500);
}

async function detailPath(page: Page) {
  await page.goto(`${baseUrl}/imports?status=success`);
  const href = await page
    .getByTestId("activity-row")
    .first()
    .getByRole("link")
    .first()
    .getAttribute("href");
  if (!href) throw new Error("no successful event listed");
  return href;
}

async function meterPath(page: Page) {
  await page.goto(`${baseUrl}/imports`);
  await page.getByLabel("Find a meter").fill(meter);
  await page.getByLabel("Find a meter").press("Enter");
  await page.waitForURL(/\/meters\//);
  return new URL(page.url()).pathname;
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
mkdirSync(outDir, { recursive: true });
for (const viewport of viewports) {
  const page = await browser.newPage({ viewport });
  const shots: [string, string][] = [
    ["imports", "/imports"],
    ["imports-ignored", "/imports?status=ignored"],
    ["detail", await detailPath(page)],
    ["meter", await meterPath(page)],
    ["overview", "/overview"],
  ];
  for (const [name, url] of shots) {
    await page.goto(`${baseUrl}${url}`);
    await settle(page);
    const file = path.join(outDir, `${name}-${viewport.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  await page.close();
}
await browser.close();
