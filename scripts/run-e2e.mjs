#!/usr/bin/env node
// The browser half of `npm test`: Playwright in Chromium. Browsers cannot be downloaded on these
// machines, so it uses Debian's /usr/bin/chromium (PLAYWRIGHT_CHROMIUM_PATH overrides). CI always
// runs it (.ci/run installs Chromium); elsewhere, without a browser, it says so and skips.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const browser = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(browser) && !process.env.CI) {
  console.warn(
    `\nSkipping the browser tests: no Chromium at ${browser}.\n` +
      "Install it (apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_PATH, then run npm run test:e2e.\n",
  );
  process.exit(0);
}
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
