// Fills `expected` of corpus drafts from the engine (then every file is read by a person).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileConfig, planImport, simulateMapping, validateConfig } from "../../lib/engine";

const [, , from, to] = process.argv as [string, string, string, string];
for (const name of readdirSync(from).sort()) {
  const c = JSON.parse(readFileSync(join(from, name), "utf8"));
  const kinds: string[] = c.kinds;
  delete c.kinds;
  const expected: Record<string, unknown> = {};
  if (kinds.includes("validation")) expected.validation = validateConfig(c.config);
  const compiled = compileConfig(c.config);
  const variables = c.variables ?? {};
  if (kinds.includes("simulation") || kinds.includes("plan")) {
    if (!compiled.ok)
      throw new Error(`${name}: invalid ${JSON.stringify(compiled.validation.errors)}`);
  }
  if (compiled.ok && kinds.includes("simulation"))
    expected.simulation = JSON.parse(
      JSON.stringify(await simulateMapping(compiled.compiled, c.payload, { variables })),
    );
  if (compiled.ok && kinds.includes("plan")) {
    const plan = JSON.parse(
      JSON.stringify(await planImport(compiled.compiled, c.payload, c.state ?? {}, { variables })),
    );
    expected.plan_match = kinds.includes("readings")
      ? { entities: plan.entities, decisions: plan.decisions, warnings: plan.warnings }
      : { entities: plan.entities, warnings: plan.warnings };
  }
  c.expected = expected;
  writeFileSync(join(to, name), `${JSON.stringify(c, null, 2)}\n`);
}
