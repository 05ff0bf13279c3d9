import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../lib/cli/main";
import { makeConfig, makeReadingItem, makeState } from "./helpers/builders";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "mms.js");

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A child process compiles the CLI with tsx at start: several seconds each on a busy machine, so
 * they run two at a time (these machines have two cores) under a generous deadline. The deadline
 * only stops a hung child; how fast the CLI is, is not what these tests check.
 */
const CHILD_DEADLINE_MS = 110_000;
const CHILD_TEST_TIMEOUT_MS = 240_000;
let active = 0;
const waiting: (() => void)[] = [];

/** Runs the real CLI in a child process; never rejects, so every outcome can be asserted. */
async function runCli(args: readonly string[]): Promise<CliRun> {
  if (active >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await spawnCli(args);
  } finally {
    active--;
    waiting.shift()?.();
  }
}

function spawnCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, timeout: CHILD_DEADLINE_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `main` in this process, capturing what it writes. */
async function runMain(args: string[]): Promise<CliRun> {
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

/** A stack trace line, as Node prints them; a CLI input error must never show one. */
const STACK_LINE = /^ {4}at /m;

const readingsPayload = {
  readings: [
    { id: "R1", meterId: "M1", timestamp: "2024-03-01T10:00:00Z", value: "12.5" },
    { id: "R2", meterId: "M1", timestamp: "2024-03-02T10:00:00Z", value: "13" },
    { id: "R3", meterId: "M9", timestamp: "2024-03-02T10:00:00Z", value: "1" },
  ],
};
const state = makeState({
  meters: ["M1"],
  readings: [{ meter: "M1", external_id: "R1", timestamp: "2024-03-01T10:00:00Z", value: "12" }],
});
const missingFieldsConfig = makeConfig({
  fields: [
    { attribute: "external_id", field: "id" },
    { attribute: "value", field: "value" },
  ],
});

let dir = "";
const file = (name: string) => join(dir, name);
const runs = new Map<string, Promise<CliRun>>();
const run = (name: string) => runs.get(name) as Promise<CliRun>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mms-cli-"));
  const write = (name: string, text: string) => writeFileSync(file(name), text);
  write("config.json", JSON.stringify(makeConfig()));
  write("invalid-config.json", JSON.stringify(missingFieldsConfig));
  write("payload.json", JSON.stringify(readingsPayload));
  write("state.json", JSON.stringify(state));
  write("broken.json", '{\n  "meter_readings": [\n    { "meter": }\n  ]\n}\n');
  write("number.json", "42\n");
  write("array.json", "[]\n");
  write("bad-state.json", JSON.stringify({ meters: [{ id: 5, attributes: {} }] }));
  write(
    "prototype-names.json",
    JSON.stringify(
      makeConfig({
        fields: [
          ...(makeReadingItem().fields ?? []),
          ...["toString", "constructor", "__proto__", "valueOf", "hasOwnProperty"].map(
            (attribute) => ({ attribute, constant: "x" }),
          ),
        ],
      }),
    ),
  );

  // Every child process starts now and runs concurrently; each test awaits its own.
  const cases: Record<string, string[]> = {
    validateValid: ["validate", "--config", file("config.json")],
    validateInvalid: ["validate", "--config", file("invalid-config.json")],
    plan: [
      "plan",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.json"),
      "--state",
      file("state.json"),
      "--now",
      "2024-03-03T00:00:00Z",
    ],
    planInvalidConfig: [
      "plan",
      "--config",
      file("invalid-config.json"),
      "--payload",
      file("payload.json"),
    ],
    unreadable: ["plan", "--config", file("no-such-file.json"), "--payload", file("payload.json")],
    brokenJson: ["plan", "--config", file("broken.json"), "--payload", file("payload.json")],
    unknownCommand: ["frobnicate", "--config", file("config.json")],
    simulate: ["simulate", "--config", file("config.json"), "--payload", file("payload.json")],
  };
  for (const [name, args] of Object.entries(cases)) runs.set(name, runCli(args));
});

afterAll(async () => {
  await Promise.all(runs.values());
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("mms as a child process", { timeout: CHILD_TEST_TIMEOUT_MS }, () => {
  it("validates a valid configuration with exit code 0", async () => {
    const { code, stdout, stderr } = await run("validateValid");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it("reports an invalid configuration as located errors with exit code 1", async () => {
    const { code, stdout, stderr } = await run("validateInvalid");
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    const result = JSON.parse(stdout);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: "/meter_readings/0/fields",
        code: "MISSING_REQUIRED_FIELDS",
        message:
          "Meter readings configuration (item 0) is missing required field attributes: timestamp, source",
      }),
    ]);
  });

  it("plans against a state file with exit code 0, one decision per reading", async () => {
    const { code, stdout, stderr } = await run("plan");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const plan = JSON.parse(stdout);
    expect(plan.summary).toEqual({
      create: 1,
      update: 1,
      unchanged: 0,
      skip: 0,
      delete: 0,
      error: 1,
    });
    expect(plan.decisions).toMatchObject([
      { index: 0, action: "update", target: { reading_id: "stored-0", matched_by: "external_id" } },
      { index: 1, action: "create", reading: { external_id: "R2", value: "13" } },
      { index: 2, action: "error", code: "METER_NOT_FOUND", details: { meter_number: "M9" } },
    ]);
  });

  it("prints the validation result instead of a plan when the configuration is invalid, with exit code 1", async () => {
    const { code, stdout, stderr } = await run("planInvalidConfig");
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(stdout)).toMatchObject({
      valid: false,
      errors: [{ code: "MISSING_REQUIRED_FIELDS", path: "/meter_readings/0/fields" }],
    });
  });

  it("names an unreadable file in one line, without a stack trace, with exit code 2", async () => {
    const { code, stdout, stderr } = await run("unreadable");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `mms plan: cannot read config file "${file("no-such-file.json")}": no such file\n`,
    );
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it("says at which line and column a file is not valid JSON, with exit code 2", async () => {
    const { code, stdout, stderr } = await run("brokenJson");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`config file "${file("broken.json")}" is not valid JSON`);
    expect(stderr).toMatch(/line 3, column \d+/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it("rejects an unknown command with the usage and exit code 2", async () => {
    const { code, stdout, stderr } = await run("unknownCommand");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('mms: unknown command "frobnicate"');
    expect(stderr).toContain("Usage: mms <command>");
  });

  it("simulates a mapping with exit code 0", async () => {
    const { code, stdout, stderr } = await run("simulate");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const simulation = JSON.parse(stdout);
    expect(simulation.entity_updates).toEqual([]);
    expect(simulation.warnings).toEqual([]);
    expect(simulation.meter_readings_updates).toEqual(
      readingsPayload.readings.map((r) => ({
        meter: { $entity_unique_ids: { meter_number: r.meterId } },
        attributes: { external_id: r.id, timestamp: r.timestamp, value: r.value, source: "ERP" },
      })),
    );
  });
});

describe("mms main() in process", () => {
  it("prints the same plan as the child process", async () => {
    const child = await run("plan");
    const inProcess = await runMain([
      "plan",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.json"),
      "--state",
      file("state.json"),
      "--now",
      "2024-03-03T00:00:00Z",
    ]);
    expect(inProcess).toEqual(child);
  });

  it("rejects a payload that is a number with exit code 2", async () => {
    const result = await runMain([
      "plan",
      "--config",
      file("config.json"),
      "--payload",
      file("number.json"),
    ]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `mms plan: payload file "${file("number.json")}" must hold a JSON object or array, not a number\n`,
    });
  });

  it("reports a configuration that is an array as invalid, with exit code 1", async () => {
    const { code, stdout, stderr } = await runMain(["validate", "--config", file("array.json")]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(JSON.parse(stdout)).toMatchObject({
      valid: false,
      errors: [{ path: "", code: "NOT_AN_OBJECT" }],
    });
  });

  it("rejects a state file of the wrong shape, naming where, with exit code 2", async () => {
    const { code, stdout, stderr } = await runMain([
      "plan",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.json"),
      "--state",
      file("bad-state.json"),
    ]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain(
      `state file "${file("bad-state.json")}" has the wrong shape at /meters/0/id`,
    );
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it("rejects a --now that is no date-time with exit code 2", async () => {
    const result = await runMain([
      "plan",
      "--config",
      file("config.json"),
      "--payload",
      file("payload.json"),
      "--now",
      "yesterday",
    ]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: 'mms plan: --now must be an ISO 8601 date-time, got "yesterday"\n',
    });
  });

  it("rejects an unknown flag with exit code 2", async () => {
    const { code, stdout, stderr } = await runMain([
      "validate",
      "--config",
      file("config.json"),
      "--verbose",
    ]);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/^mms validate: .*--verbose/);
  });

  it("validates attributes named like Object.prototype's members as ordinary ones, with exit code 0", async () => {
    const { code, stdout, stderr } = await runMain([
      "validate",
      "--config",
      file("prototype-names.json"),
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it("rejects a command named like an Object.prototype member as unknown, with exit code 2", async () => {
    for (const command of ["toString", "constructor", "__proto__"]) {
      const { code, stdout, stderr } = await runMain([command]);
      expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
      expect(stderr).toContain(`mms: unknown command "${command}"`);
    }
  });

  it("refuses a file nested deeper than 256 levels in one line, with exit code 2", async () => {
    const note = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    const text = `{"readings":[{"id":"R1","meterId":"M1","timestamp":"2024-03-01","value":1,"note":${note}}]}`;
    writeFileSync(file("deep.json"), text);
    // The root, the array and the reading are 3 levels: the 254th note object is one too many.
    const column = text.indexOf('{"a":') + 5 * 253 + 1;
    writeFileSync(
      file("note-config.json"),
      JSON.stringify(
        makeConfig({
          fields: [...(makeReadingItem().fields ?? []), { attribute: "note", field: "note" }],
        }),
      ),
    );
    const result = await runMain([
      "simulate",
      "--config",
      file("note-config.json"),
      "--payload",
      file("deep.json"),
    ]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `mms simulate: payload file "${file("deep.json")}" is nested deeper than 256 levels at line 1, column ${column}\n`,
    });
  });

  it("asks for a missing --payload with exit code 2", async () => {
    const result = await runMain(["plan", "--config", file("config.json")]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: "mms plan: missing --payload FILE\n" });
  });
});
