import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { monacoIn } from "./demo-studio";
import { expect, test } from "./guard";

/*
 * Support's path through a failed delivery: an ERP run with one bad reading and one event for a
 * misspelt use case. Support finds the failing reading from the meter search, sees its code and
 * message, sees the ignored event with the slug it asked for, and the meter's chart shows its
 * readings. Then the repair: the configuration fixed and published, the event replayed (the
 * reading goes from error to create), and the replay undone to exactly the earlier state.
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

/*
 * Support repairs a failed reading: an ERP event with one reading in a decimal comma (an error),
 * the configuration fixed and published, the event replayed (the reading goes from error to
 * create), then the replay undone. Seeds its own use case and API key on the demo integration,
 * through the pages a consultant uses; the support pages are opened by URL.
 *
 * E2E_SHOTS=/some/folder saves screenshots of the replay and undo pages at 1440 and 390 px.
 */

const meter = { unique_ids: [{ attribute: "meter_number", field: "meter" }] };
const configWith = (value: Record<string, string>) => ({
  meter_readings: [
    {
      jsonataExpression: "readings",
      meter,
      fields: [
        { attribute: "external_id", field: "id" },
        { attribute: "timestamp", field: "at" },
        { attribute: "value", ...value },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
});
const brokenConfig = configWith({ field: "value" });
const fixedConfig = configWith({ jsonataExpression: "$replace($string(value), ',', '.')" });

async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

/** Pastes a configuration into the studio's editor, saves it and publishes it as `version`. */
async function publish(page: Page, config: unknown, version: number) {
  const editor = monacoIn(page.getByTestId("config-editor"));
  await editor.locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.evaluate((t) => navigator.clipboard.writeText(t), JSON.stringify(config, null, 2));
  await page.keyboard.press("ControlOrMeta+V");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("toolbar", { name: "Draft actions" }).getByRole("status")).toHaveText(
    /^Draft saved/,
  );
  await page.getByRole("button", { name: "Publish…" }).click();
  const dialog = page.getByRole("dialog", { name: `Publish v${version}` });
  await dialog.getByLabel("What changed").fill(`e2e v${version}`);
  await dialog.getByRole("button", { name: `Publish v${version}` }).click();
  await expect(page.getByTestId("version-badge")).toHaveText(`v${version} published`);
}

/** The stored data's answer for the payload: a dry run through the API writes nothing. */
async function dryRun(request: APIRequestContext, key: string, slug: string, payload: unknown) {
  const response = await request.post(`/api/v1/use-cases/${slug}/dry-run`, {
    headers: { authorization: `Bearer ${key}` },
    data: { payload },
  });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { plan: { summary: Record<string, number> } }).plan.summary;
}

test("an event's failed reading is repaired by a replay, and the replay is undone exactly", async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const run = Date.now().toString(36);
  const slug = `e2e-replay-${run}`;
  // Days of their own, so a run against a reused server meets no earlier run's readings.
  const first = Date.UTC(2030, 0, 1) + (Math.floor(Date.now() / 1000) % 1000) * 3 * 86_400_000;
  const day = (n: number) => new Date(first + n * 86_400_000).toISOString().slice(0, 10);
  const payload = {
    readings: [
      { meter: "M009", id: `${run}-1`, at: day(0), value: "10" },
      { meter: "M009", id: `${run}-2`, at: day(1), value: "12,5" },
      { meter: "M010", id: `${run}-3`, at: day(2), value: "30" },
    ],
  };
  let key = "";
  let integrationId = "";

  await test.step("seed: an API key and a use case on the demo integration, v1 published", async () => {
    await page.goto("/integrations");
    await page
      .getByTestId("integration-row")
      .filter({ hasText: "Demo ERP" })
      .getByRole("link", { name: "Demo ERP" })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "Demo ERP" })).toBeVisible();
    integrationId = page.url().split("/integrations/")[1] ?? "";
    await page.getByRole("button", { name: "Create API key" }).click();
    await page.getByRole("dialog", { name: "Create API key" }).getByLabel("Key name").fill(run);
    await page
      .getByRole("dialog", { name: "Create API key" })
      .getByRole("button", { name: "Create key" })
      .click();
    key = await page.getByTestId("one-time-secret").inputValue();
    expect(key).toMatch(/^mms_/);
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("button", { name: "New use case" }).click();
    const dialog = page.getByRole("dialog", { name: "New use case" });
    await dialog.getByLabel("Slug").fill(slug);
    await dialog.getByRole("button", { name: "Create use case" }).click();
    await expect(page.getByRole("dialog")).toHaveCount(0);
    await page.getByRole("link", { name: `Open studio for ${slug}`, exact: true }).click();
    await expect(page.getByTestId("version-badge")).toHaveText("Never published");
    await publish(page, brokenConfig, 1);
  });

  let eventId = "";
  let originalId = "";
  await test.step("the ERP posts an event: one reading fails on its decimal comma", async () => {
    const response = await page.request.post("/api/v1/erp/updates/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        integration_id: integrationId,
        events: [
          { timestamp: "2025-06-04T00:00:00Z", format: "json", use_case_slug: slug, payload },
        ],
      },
    });
    expect(response.status()).toBe(200);
    const [result] = (await response.json()).results;
    expect(result).toMatchObject({ status: "success", summary: { create: 2, error: 1 } });
    eventId = result.event_id;
    originalId = result.import_id;
  });

  await test.step("the configuration is fixed and published", async () => {
    await publish(page, fixedConfig, 2);
  });

  let replayId = "";
  await test.step("the replay shows the reading going from error to create, and applies", async () => {
    await page.goto(`/imports/${eventId}/replay`);
    await expect(page.getByRole("heading", { level: 1, name: `Replay of ${slug}` })).toBeVisible();
    await expect(page.getByRole("link", { name: "Published v2" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    const changed = page.getByRole("row", {
      name: "Reading 0:1: Action changed, error to create",
    });
    await expect(changed).toBeVisible();
    await expect(changed).toContainText("INVALID_READING_VALUE");
    await expect(changed).toContainText("12.5");
    await expect(page.getByTestId("diff-action")).toHaveText("3 action changed");
    const plan = page.getByRole("region", { name: "The replay's plan" });
    await expect(plan.getByTestId("summary-create")).toHaveText("1 create");
    await expect(plan.getByTestId("summary-error")).toHaveText("0 error");
    await shots(page, "replay");

    await page.getByRole("button", { name: "Apply replay…" }).click();
    const dialog = page.getByRole("dialog", { name: "Apply the replay" });
    await expect(dialog).toContainText("No stored reading is deleted.");
    await dialog.getByRole("button", { name: "Apply replay" }).click();
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    replayId = page.url().split("/imports/")[1] ?? "";
    expect(replayId).not.toBe(eventId);
    expect(await dryRun(page.request, key, slug, payload)).toMatchObject({
      create: 0,
      unchanged: 3,
      error: 0,
    });
  });

  await test.step("undoing the replay removes exactly the reading it created", async () => {
    await page.goto(`/imports/${replayId}/undo`);
    await expect(page.getByRole("heading", { level: 1, name: "Undo import" })).toBeVisible();
    await expect(page.getByTestId("undo-summary")).toContainText(
      "removes 1 reading the import created and restores 0 readings",
    );
    await expect(page.getByRole("row", { name: `Remove ${run}-2` })).toContainText("12.5");
    await shots(page, "undo");
    await page.getByRole("button", { name: "Undo import…" }).click();
    await page.getByRole("button", { name: "Remove 1 and restore 0" }).click();
    await page.waitForURL((url) => !url.pathname.endsWith("/undo"));
    const undoId = page.url().split("/imports/")[1] ?? "";
    // The stored data is as before the replay: the reading is missing again, the others stay.
    expect(await dryRun(page.request, key, slug, payload)).toMatchObject({
      create: 1,
      unchanged: 2,
      error: 0,
    });
    await page.goto(`/imports/${replayId}/undo`);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(
      `already undone by import ${undoId}`,
    );
    await expect(page.getByRole("button", { name: "Undo import…" })).toBeDisabled();
    await page.goto(`/imports/${undoId}/undo`);
    await expect(page.getByText(`itself the undo of ${replayId}`)).toBeVisible();
    await expect(page.getByTestId("undo-summary")).toContainText("restores 1 reading");
    await expect(page.getByRole("row", { name: `Restore ${run}-2` })).toContainText("stored again");
    await shots(page, "undo-of-undo");
  });

  await test.step("an import whose reading a later import changed cannot be undone", async () => {
    const corrected = {
      readings: [{ meter: "M009", id: `${run}-1`, at: day(0), value: "11" }],
    };
    const response = await page.request.post("/api/v1/erp/updates/events", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        integration_id: integrationId,
        events: [
          {
            timestamp: "2025-06-05T00:00:00Z",
            format: "json",
            use_case_slug: slug,
            payload: corrected,
          },
        ],
      },
    });
    expect((await response.json()).results[0]).toMatchObject({ summary: { update: 1 } });
    await page.goto(`/imports/${originalId}/undo`);
    await expect(page.getByRole("main").getByRole("alert")).toContainText(
      "This import cannot be undone: 1 of its readings changed since.",
    );
    await expect(
      page.getByRole("row", { name: `${run}-1: changed since by another import` }),
    ).toContainText("M009");
    await expect(page.getByRole("button", { name: "Undo import…" })).toBeDisabled();
    await shots(page, "undo-refused");
  });
});
