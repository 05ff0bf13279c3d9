import { execFileSync } from "node:child_process";
import { defineConfig, devices } from "@playwright/test";
import { stateOf } from "./e2e/accounts";

/*
 * One `next start` serves every spec (global setup builds and starts it; teardown stops it), so
 * one worker. The port is picked once in the main process and handed to the workers through the
 * environment, which they inherit. E2E_BASE_URL points the specs at a server you already run.
 */
process.env.E2E_PORT ??= String(freePort());
const baseURL = process.env.E2E_BASE_URL ?? `http://localhost:${process.env.E2E_PORT}`;

function freePort(): number {
  // Synchronous, because the config must be ready before global setup runs.
  const script =
    "const s=require('node:net').createServer();s.listen(0,()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]]
    : [["list"]],
  use: {
    baseURL,
    // Signed in as the e2e admin (global setup); a spec picks another role with test.use().
    storageState: process.env.E2E_BASE_URL ? undefined : stateOf("admin"),
    screenshot: "only-on-failure",
    trace: "off",
    video: "off",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        // Debian's chromium (CI installs it with apt); Playwright's own browsers cannot be
        // downloaded here. Without the background-networking flags it floods the closed network.
        launchOptions: {
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
        },
      },
    },
  ],
});
