import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

/*
 * Support's path through a failed delivery: an ERP run with one bad reading and one event for a
 * misspelt use case. Support finds the failing reading from the meter search, sees its code and
 * message, sees the ignored event with the slug it asked for, and the meter's chart shows its
 * readings. (Replay and undo steps come with those pages.)
 */

function demoCredentials() {
  const dir = process.env.E2E_SERVER_DIR;
  if (!dir) throw new Error("support.spec needs the e2e server's log (E2E_SERVER_DIR)");
  const log = readFileSync(path.join(dir, "server.log"), "utf8");
  const key = /^│\s+(mms_\S+)$/m.exec(log)?.[1];
  const integrationId = /seeded demo integration "[^"]*" \(id ([0-9a-f-]+)\)/.exec(log)?.[1];
  if (!key || !integrationId) throw new Error(`no demo key in the server log:\n${log}`);
  return { key, integrationId };
}

test("support finds a failing reading by meter, the ignored event by its slug, and the meter's chart", async ({
  page,
  request,
}) => {
  const { key, integrationId } = demoCredentials();
  const correlation = `support-e2e-${Date.now()}`;
  const response = await request.post("/api/v1/erp/updates/events", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      integration_id: integrationId,
      correlation_id: correlation,
      events: [
        {
          timestamp: "2024-03-01T08:00:00Z",
          format: "json",
          use_case_slug: "meter-readings",
          payload: {
            batchId: "B-SUPPORT",
            readingDate: "2024-03-01T08:00:00Z",
            readings: [
              { meterId: "M008", currentReading: 100, previousReading: 90, unit: "kWh" },
              { meterId: "M009", currentReading: "12,5", previousReading: 10, unit: "kWh" },
            ],
          },
        },
        {
          timestamp: "2024-03-01T08:00:00Z",
          format: "json",
          use_case_slug: "meter-readngs",
          payload: { readings: [] },
        },
      ],
    },
  });
  expect(response.status()).toBe(200);
  const { results } = await response.json();
  expect(results.map((r: { status: string }) => r.status)).toEqual(["success", "ignored"]);

  // The ignored event is in the list, as a warning naming the slug it asked for.
  await page.goto(`/imports?correlation=${correlation}`);
  const ignored = page.getByTestId("activity-row").filter({ hasText: "meter-readngs" });
  await expect(ignored.getByTestId("ignored-warning")).toHaveText(
    "⚠ No use case matches use case “meter-readngs”",
  );
  await expect(page.getByTestId("activity-row")).toHaveCount(2);

  // The meter search in the header finds the meter of the failing reading.
  await page.getByLabel("Find a meter").fill("M009");
  await page.getByLabel("Find a meter").press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Meter M009" })).toBeVisible();
  const imports = page.getByRole("list", { name: "Imports of this meter" });
  await imports
    .getByTestId("meter-import")
    .filter({ hasText: "1 error" })
    .getByRole("link")
    .first()
    .click();

  // Its import shows the failing reading's code and message.
  await expect(page.getByRole("heading", { level: 1, name: "Event" })).toBeVisible();
  await expect(page.getByTestId("code-group")).toContainText("MAPPING_ERROR");
  const failing = page.getByTestId("decision-row").filter({ hasText: "MAPPING_ERROR" });
  await expect(failing).toContainText("must evaluate to a number");
  await failing.click();
  const drawer = page.getByRole("dialog");
  await expect(drawer).toContainText("MAPPING_ERROR");
  await expect(drawer).toContainText("M009");
  await page.keyboard.press("Escape");
  // The payload as received, with the bad value in it.
  await expect(page.getByTestId("payload-viewer")).toContainText('"12,5"');

  // The other meter's chart draws its reading, and its table lists it.
  await page.getByLabel("Find a meter").fill("M008");
  await page.getByLabel("Find a meter").press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Meter M008" })).toBeVisible();
  const chart = page.getByTestId("counter-chart").first();
  await expect(chart.getByTestId("time-chart")).toHaveAttribute("data-points", "1");
  await expect(chart.locator("canvas")).toBeVisible();
  await expect(page.getByTestId("reading-row").first()).toContainText("M008-2024-03-01");
});
