import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../lib/cli/main";

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

const corpus = join(import.meta.dirname, "corpus", "entities");
const simulations = readdirSync(corpus)
  .filter((name) => name.startsWith("simulation-"))
  .sort();

let dir = "";
const write = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mms-cli-entities-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("mms simulate answers every SPEC-ENTITIES simulation case exactly", () => {
  it("has cases", () => expect(simulations.length).toBeGreaterThan(10));

  for (const name of simulations) {
    const c = JSON.parse(readFileSync(join(corpus, name), "utf8"));
    it(`${name}: ${c.description}`, async () => {
      const args = [
        "simulate",
        "--config",
        write(`${name}.config.json`, c.config),
        "--payload",
        write(`${name}.payload.json`, c.payload),
      ];
      if (c.variables) args.push("--vars", write(`${name}.vars.json`, c.variables));
      const result = await runMain(args);
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
      expect(JSON.parse(result.stdout)).toEqual(c.expected.simulation);
    });
  }
});

describe("mms simulate --vars and mms plan --vars", () => {
  const config = {
    entities: [
      {
        entity_schema: "contact",
        unique_ids: ["id"],
        fields: [
          { attribute: "id", field: "id" },
          { attribute: "tenant", env_var_ref: { key: "tenant" } },
          { attribute: "token", env_var_ref: { key: "token", default: "hidden" } },
        ],
      },
    ],
  };

  it("takes a plain string as a value and { value, secret } as a secret, which is never shown", async () => {
    const vars = write("vars.json", { tenant: "acme", token: { value: "s3cr3t", secret: true } });
    const args = ["--config", write("env.json", config), "--payload", write("p.json", { id: "P" })];
    const simulated = await runMain(["simulate", ...args, "--vars", vars]);
    expect(simulated.code).toBe(0);
    expect(simulated.stdout).not.toContain("s3cr3t");
    expect(JSON.parse(simulated.stdout).entity_updates[0].attributes).toEqual({
      id: "P",
      tenant: "acme",
      token: "hidden",
    });
    const planned = await runMain(["plan", ...args, "--vars", vars]);
    expect(planned.code).toBe(0);
    expect(JSON.parse(planned.stdout).entities[0].attributes).toEqual({
      id: "P",
      tenant: "acme",
      token: "hidden",
    });
  });

  it("without --vars every variable is missing: the default, or left out with a warning", async () => {
    const result = await runMain([
      "simulate",
      "--config",
      write("env2.json", config),
      "--payload",
      write("p2.json", { id: "P" }),
    ]);
    const out = JSON.parse(result.stdout);
    expect(out.entity_updates[0].attributes).toEqual({ id: "P", token: "hidden" });
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(["ENV_VAR_REF_NOT_FOUND"]);
  });

  it("rejects a vars file of the wrong shape, naming where, with exit code 2", async () => {
    const result = await runMain([
      "simulate",
      "--config",
      write("env3.json", config),
      "--payload",
      write("p3.json", { id: "P" }),
      "--vars",
      write("bad-vars.json", { tenant: 5 }),
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("at /tenant");
  });
});
