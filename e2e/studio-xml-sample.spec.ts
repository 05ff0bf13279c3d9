import { expect, test } from "@playwright/test";
import { monacoIn, openDemoStudio } from "./demo-studio";

/** A name no other run has used, so the spec never depends on what is already there. */
const unique = () => `xml-batch-${Date.now().toString(36)}`;

test("an uploaded XML sample shows the JSON the mapping sees beside it, and says where XML breaks", async ({
  page,
}) => {
  await openDemoStudio(page, "meter-readings");
  const name = unique();
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<readings batch="B-9">
  <reading id="X1" meter="M001"><value unit="kWh">0012.50</value></reading>
  <reading id="X2" meter="M002"><value unit="kWh">7</value></reading>
</readings>
`;

  await test.step("upload an .xml file: it becomes an XML sample", async () => {
    await page.getByLabel("Upload").setInputFiles({
      name: `${name}.xml`,
      mimeType: "application/xml",
      buffer: Buffer.from(xml),
    });
    await expect(page.getByText(`Uploaded “${name}” and selected it`)).toBeVisible();
    await expect(page.getByLabel("Sample", { exact: true })).toContainText(`${name} · XML`);
  });

  await test.step("the editor shows the XML and the converted JSON side by side", async () => {
    await page.getByRole("button", { name: "Edit payload" }).click();
    const converted = monacoIn(page.getByTestId("converted-json"));
    await expect(converted.locator(".view-lines")).toContainText('"@batch": "B-9"');
    await expect(converted.locator(".view-lines")).toContainText('"#text": "0012.50"');
    await expect(page.getByText(/Not valid XML/)).toHaveCount(0);
  });

  await test.step("breaking the XML says where, and keeps the last converted JSON", async () => {
    const editor = monacoIn(page.getByRole("region", { name: "Sample payload" })).first();
    await editor.locator(".view-lines").click();
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type("<oops>");
    await expect(page.getByText(/Not valid XML: .*line \d+, column \d+/)).toBeVisible();
    await expect(monacoIn(page.getByTestId("converted-json")).locator(".view-lines")).toContainText(
      '"@batch": "B-9"',
    );
    await expect(page.getByRole("button", { name: "Save sample" })).toBeDisabled();
  });
});
