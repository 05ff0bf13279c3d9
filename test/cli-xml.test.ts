import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../lib/cli/main";
import { makeState } from "./helpers/builders";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "mms.js");

/** Runs `main` in this process, capturing what it writes. */
async function runMain(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** The readings of an ERP's XML export: field paths reach attributes and text beside them. */
const config = {
  meter_readings: [
    {
      jsonataExpression: "readings.reading",
      meter: { unique_ids: [{ attribute: "meter_number", field: "@meter" }] },
      fields: [
        { attribute: "external_id", field: "@id" },
        { attribute: "timestamp", field: "$$.readings.@date" },
        { attribute: "value", field: "value.#text" },
        { attribute: "unit", field: "value.@unit" },
        { attribute: "source", constant: "ERP" },
      ],
    },
  ],
};

const xml = `<readings date="2024-03-01T10:00:00Z">
  <reading id="R1" meter="M1"><value unit="kWh">12.5</value></reading>
  <reading id="R2" meter="M9"><value unit="kWh">002</value></reading>
</readings>`;

/** The same payload as JSON, as SPEC-ENTITIES 7 converts it. */
const json = {
  readings: {
    "@date": "2024-03-01T10:00:00Z",
    reading: [
      { "@id": "R1", "@meter": "M1", value: { "@unit": "kWh", "#text": "12.5" } },
      { "@id": "R2", "@meter": "M9", value: { "@unit": "kWh", "#text": "002" } },
    ],
  },
};

describe("mms with XML payloads", () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mms-cli-xml-"));
    writeFileSync(file("config.json"), JSON.stringify(config));
    writeFileSync(file("payload.xml"), xml);
    writeFileSync(file("payload.txt"), xml);
    writeFileSync(file("payload.json"), JSON.stringify(json));
    writeFileSync(file("broken.xml"), "<readings>\n  <reading>\n</readings>");
    writeFileSync(
      file("state.json"),
      JSON.stringify(
        makeState({
          meters: ["M1"],
          readings: [
            { meter: "M1", external_id: "R1", timestamp: "2024-03-01T10:00:00Z", value: "12" },
          ],
        }),
      ),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("simulates a .xml payload file exactly as the equivalent JSON file", async () => {
    const fromJson = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.json"),
    ]);
    const fromXml = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.xml"),
    ]);
    expect(fromXml.code).toBe(0);
    expect(fromXml.stdout).toBe(fromJson.stdout);
    expect(JSON.parse(fromXml.stdout).meter_readings_updates[1].attributes).toEqual({
      external_id: "R2",
      timestamp: "2024-03-01T10:00:00Z",
      value: "002",
      unit: "kWh",
      source: "ERP",
    });
  });

  it("reads any file as XML with --format xml, and a .xml file as JSON with --format json", async () => {
    const fromJson = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.json"),
    ]);
    const forced = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.txt"),
      "--format",
      "xml",
    ]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe(fromJson.stdout);
    const asJson = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.xml"),
      "--format",
      "json",
    ]);
    expect(asJson.code).toBe(2);
    expect(asJson.stderr).toMatch(/not valid JSON/);
  });

  it("plans an XML payload against state to the plan of the equivalent JSON", async () => {
    const args = (payload: string) => [
      "plan",
      "--config",
      file("config.json"),
      "--payload",
      payload,
      "--state",
      file("state.json"),
      "--now",
      "2024-04-01T00:00:00Z",
    ];
    const fromXml = await runMain(args(file("payload.xml")));
    const fromJson = await runMain(args(file("payload.json")));
    expect(fromXml.code).toBe(0);
    expect(fromXml.stdout).toBe(fromJson.stdout);
    expect(JSON.parse(fromXml.stdout).summary).toMatchObject({ update: 1, error: 1 });
  });

  it("reports malformed XML with line and column and exit code 2", async () => {
    const run = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("broken.xml"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /payload file ".*broken\.xml" is not valid XML: .* at line 3, column \d+/,
    );
  });

  it("refuses a format other than json and xml", async () => {
    const run = await runMain([
      "simulate",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.xml"),
      "--format",
      "csv",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format must be json or xml/);
  });

  it("works through the installed bin: mms simulate --format xml", async () => {
    const run = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          BIN,
          "simulate",
          "--config",
          file("config.json"),
          "--payload",
          file("payload.txt"),
          "--format",
          "xml",
        ],
        { cwd: ROOT, timeout: 110_000 },
        (error, stdout) => resolve({ code: error ? (error.code as number) : 0, stdout }),
      );
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).meter_readings_updates).toHaveLength(2);
    // A deadline for a hung child only: tsx compiles the CLI at start, slowly on a busy machine.
  }, 120_000);
});
