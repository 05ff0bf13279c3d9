import {
  compileConfig,
  type ExistingState,
  type Plan,
  planImport,
  simulateMapping,
  validateConfig,
} from "../../lib/engine";
import { parseJson } from "../../lib/json/parse-json";
import type { EngineCase } from "./arbitraries/engine-cases";

/** Something the engine did that its callers cannot handle: a throw, or a result of the wrong shape. */
export interface EngineProblem {
  where: "validateConfig" | "compileConfig" | "planImport" | "simulateMapping";
  kind: "threw" | "malformed";
  message: string;
}

const ACTIONS = new Set(["create", "update", "unchanged", "skip", "delete", "error"]);

/** States the fuzzed plans run against: none, three meters with readings, and with counters. */
export const FUZZ_STATES: ExistingState[] = [
  {},
  {
    meters: ["M1", "M2", "M3"].map((n) => ({ id: `meter-${n}`, attributes: { meter_number: n } })),
    readings: Array.from({ length: 6 }, (_, i) => ({
      id: `stored-${i}`,
      meter_id: `meter-M${(i % 3) + 1}`,
      counter_id: null,
      direction: null,
      external_id: `R-${i}`,
      timestamp: `2024-01-1${i}T08:00:00Z`,
      value: String(100 + i),
      source: "ERP",
      reason: null,
      attributes: {},
    })),
  },
  {
    meters: [{ id: "meter-M1", attributes: { meter_number: "M1" } }],
    counters: ["HT", "NT"].map((c) => ({
      id: `counter-${c}`,
      meter_id: "meter-M1",
      attributes: { counter_code: c },
    })),
  },
];

const isProblemList = (v: unknown) =>
  Array.isArray(v) &&
  v.every(
    (p) =>
      p !== null &&
      typeof p === "object" &&
      typeof p.path === "string" &&
      typeof p.code === "string" &&
      typeof p.message === "string",
  );

function message(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** What a route does with a result: send it as JSON. A value it cannot serialise is a 500. */
function serialisable(value: unknown): string | null {
  try {
    JSON.stringify(value);
    return null;
  } catch (error) {
    return `its result cannot be serialised: ${message(error)}`;
  }
}

function planShape(plan: Plan): string | null {
  if (!plan || !Array.isArray(plan.decisions) || !plan.summary) return "no decisions or summary";
  const counts: Record<string, number> = {};
  for (const d of plan.decisions) {
    if (!ACTIONS.has(d.action)) return `a decision with action ${String(d.action)}`;
    counts[d.action] = (counts[d.action] ?? 0) + 1;
  }
  for (const action of ACTIONS)
    if ((plan.summary as unknown as Record<string, number>)[action] !== (counts[action] ?? 0))
      return `summary.${action} is not the number of ${action} decisions`;
  if (!Array.isArray(plan.entities) || !Array.isArray(plan.warnings))
    return "no entities or warnings";
  return serialisable(plan);
}

export interface EngineCheck {
  problems: EngineProblem[];
  /** Whether the configuration compiled and the payload went through the planner. */
  planned: boolean;
  /** The JSON text was refused where every door of the app reads JSON (parseJson: too deep). */
  refused?: boolean;
}

/**
 * A case as the app meets it: its texts read the way every door reads JSON (routes, CLI and
 * studio all use lib/json's parseJson, which refuses text nested deeper than 256 levels), then
 * through the engine (checkEngine). A refused text never reaches the engine.
 */
export async function checkEngineCase(c: EngineCase, state: ExistingState): Promise<EngineCheck> {
  const config = parseJson(c.configText);
  const payload = parseJson(c.payloadText);
  if (!config.ok || !payload.ok) return { problems: [], planned: false, refused: true };
  return checkEngine(config.value, payload.value, state, c.plan);
}

/**
 * Runs a configuration through validation and compilation and, when it compiles and `plan` is
 * set, a payload through planImport and simulateMapping: every problem a caller could not
 * handle, none when the engine kept its contract (it reports; it never throws).
 */
export async function checkEngine(
  config: unknown,
  payload: unknown,
  state: ExistingState,
  plan: boolean,
): Promise<EngineCheck> {
  const problems: EngineProblem[] = [];
  const fail = (where: EngineProblem["where"], kind: EngineProblem["kind"], m: string) =>
    problems.push({ where, kind, message: m });
  let valid: boolean | undefined;
  try {
    const v = validateConfig(config);
    if (typeof v.valid !== "boolean" || !isProblemList(v.errors) || !isProblemList(v.warnings))
      fail("validateConfig", "malformed", "not { valid, errors, warnings } with located problems");
    else if (v.valid !== (v.errors.length === 0))
      fail("validateConfig", "malformed", "valid disagrees with its errors");
    else valid = v.valid;
  } catch (error) {
    fail("validateConfig", "threw", message(error));
  }
  let compiled: Extract<ReturnType<typeof compileConfig>, { ok: true }>["compiled"] | undefined;
  try {
    const c = compileConfig(config);
    if (c.ok) compiled = c.compiled;
    if (valid !== undefined && c.ok !== valid)
      fail("compileConfig", "malformed", `ok is ${c.ok} but validateConfig says valid: ${valid}`);
  } catch (error) {
    fail("compileConfig", "threw", message(error));
  }
  if (!plan || !compiled) return { problems, planned: false };
  try {
    const p = await planImport(compiled, payload, state, { now: "2024-06-01T00:00:00Z" });
    const wrong = planShape(p);
    if (wrong) fail("planImport", "malformed", wrong);
  } catch (error) {
    fail("planImport", "threw", message(error));
  }
  try {
    const s = await simulateMapping(compiled, payload);
    const wrong =
      !Array.isArray(s.entity_updates) ||
      !Array.isArray(s.meter_readings_updates) ||
      !Array.isArray(s.warnings)
        ? "not { entity_updates, meter_readings_updates, warnings }"
        : serialisable(s);
    if (wrong) fail("simulateMapping", "malformed", wrong);
  } catch (error) {
    fail("simulateMapping", "threw", message(error));
  }
  return { problems, planned: true };
}
