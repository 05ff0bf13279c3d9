import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../db/client";
import { findActiveKey, query } from "../db/repository";
import { hashApiKey } from "../lib/server/integrations/api-keys";
import { lockDataDir } from "../lib/server/platform/data-dir-lock";
import { makeConfig } from "./helpers/builders";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "mms.js");

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir = "";
let dataDir = "";
const file = (name: string) => join(dir, name);

/**
 * Runs the real CLI on the test's PGlite folder. Runs one at a time: the folder's lock refuses a
 * second process, which is the point. The first run also creates the cluster (initdb, ~10 s).
 */
function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: ROOT,
        timeout: 60_000,
        env: { ...process.env, MMS_DATA_DIR: dataDir, DATABASE_URL: "" },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A stack trace line, as Node prints them; an operator error must never show one. */
const STACK_LINE = /^ {4}at /m;

const setupAndReadings = {
  entities: [
    {
      entity_schema: "meter",
      unique_ids: ["meter_number"],
      jsonataExpression: "meters",
      fields: [{ attribute: "meter_number", field: "number" }],
    },
  ],
  ...makeConfig(),
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mms-operator-"));
  dataDir = join(dir, "pglite");
  writeFileSync(file("config.json"), JSON.stringify(setupAndReadings));
  writeFileSync(
    file("invalid.json"),
    JSON.stringify(makeConfig({ fields: [{ attribute: "value", field: "value" }] })),
  );
  writeFileSync(
    file("payload.json"),
    JSON.stringify({
      meters: [{ number: "M1" }],
      readings: [
        { id: "R1", meterId: "M1", timestamp: "2024-03-01T10:00:00Z", value: "12.5" },
        { id: "R2", meterId: "M1", timestamp: "2024-03-02T10:00:00Z", value: "13" },
        { id: "R3", meterId: "M9", timestamp: "2024-03-02T10:00:00Z", value: "1" },
      ],
    }),
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the operator commands on a PGlite folder", () => {
  let integrationId = "";
  let apiKey = "";

  it("creates an integration and shows its API key once", { timeout: 90_000 }, async () => {
    const { code, stdout, stderr } = await runCli(["integration", "create", "--name", "Test ERP"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const created = JSON.parse(stdout);
    expect(Object.keys(created)).toEqual(["integration_id", "api_key"]);
    expect(created.api_key).toMatch(/^mms_/);
    integrationId = created.integration_id;
    apiKey = created.api_key;
  });

  it("publishes version 1, then version 2 of a use case", { timeout: 60_000 }, async () => {
    const publish = (message: string) =>
      runCli([
        "use-case",
        "publish",
        ...["--integration", integrationId, "--slug", "meter-readings"],
        ...["--event-name", "MeterReadingsChanged", "--config", file("config.json")],
        ...["--message", message],
      ]);
    const first = await publish("first");
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: "" });
    const v1 = JSON.parse(first.stdout);
    expect(v1).toEqual({ use_case_id: expect.any(String), slug: "meter-readings", version: 1 });
    const second = await publish("second");
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ ...v1, version: 2 });
  });

  it("refuses an invalid configuration with the validation JSON and exit code 1", async () => {
    const { code, stdout, stderr } = await runCli([
      "use-case",
      "publish",
      ...["--integration", integrationId, "--slug", "meter-readings"],
      ...["--config", file("invalid.json")],
    ]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(stdout)).toMatchObject({
      valid: false,
      errors: [{ code: "MISSING_REQUIRED_FIELDS", path: "/meter_readings/0/fields" }],
    });
  });

  it("imports a payload through the latest version and prints the summary", async () => {
    const { code, stdout, stderr } = await runCli([
      "import",
      ...["--integration", integrationId, "--use-case", "meter-readings"],
      ...["--payload", file("payload.json")],
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({
      import_id: expect.any(String),
      summary: { create: 2, update: 0, unchanged: 0, skip: 0, delete: 0, error: 1 },
    });
  });

  it("names an unknown use case in one line with exit code 2", async () => {
    const { code, stdout, stderr } = await runCli([
      "import",
      ...["--integration", integrationId, "--use-case", "no-such-case"],
      ...["--payload", file("payload.json")],
    ]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe('mms import: the integration has no use case "no-such-case"\n');
  });

  it("refuses to open the folder while another process holds it", async () => {
    // This test process plays the running server.
    const lock = lockDataDir(dataDir);
    try {
      const { code, stdout, stderr } = await runCli(["integration", "create", "--name", "Other"]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toBe(
        `mms integration create: the database folder ${dataDir} is in use by process ${process.pid} (a running server?); stop it or set DATABASE_URL\n`,
      );
      expect(stderr).not.toMatch(STACK_LINE);
    } finally {
      lock.release();
    }
  });

  it("stored the API key hashed only, and released the folder after each command", async () => {
    const lock = lockDataDir(dataDir);
    const client = createDb({ dataDir });
    try {
      expect((await findActiveKey(client.db, hashApiKey(apiKey)))?.integrationId).toBe(
        integrationId,
      );
      const clear = await query(
        client.db,
        sql`SELECT 1 FROM api_keys WHERE key_hash = ${apiKey} OR key_prefix = ${apiKey}`,
      );
      expect(clear).toEqual([]);
    } finally {
      await client.close();
      lock.release();
    }
  });
});
