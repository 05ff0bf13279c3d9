import {
  checkExpression,
  checkFields,
  checkUniqueIds,
  has,
  isObject,
  mappedAttributes,
  type Path,
  ProblemList,
} from "./config-checks";
import type { ConfigProblem, ValidationResult } from "./config-problems";
import { configSchema } from "./config-schema";
import { READING_MODES, REQUIRED_ATTRIBUTE_ORDER } from "./constants";
import { toPointer } from "./json-pointer";
import { escapedText, unstorableTexts } from "./storable-text";
import { checkEntityItem } from "./validate-entities";
import { zodIssuesToProblems } from "./zod-problems";

/** Attributes each mode needs mapped (SPEC 1.3). */
export function requiredAttributes(mode: string, matching: string): string[] {
  if (mode === "delete")
    return matching === "strict-date" ? ["external_id", "timestamp"] : ["external_id"];
  return [...REQUIRED_ATTRIBUTE_ORDER];
}

function checkReadingItem(list: ProblemList, item: unknown, i: number) {
  if (!isObject(item)) return;
  const path: Path = ["meter_readings", i];
  const mode = item.mode === undefined ? "upsert" : item.mode;
  const matching = item.reading_matching === "strict-date" ? "strict-date" : "external_id";
  if (typeof mode === "string" && (READING_MODES as readonly string[]).includes(mode)) {
    const mapped = mappedAttributes(item.fields);
    const missing = requiredAttributes(mode, matching).filter((a) => !mapped.has(a));
    if (missing.length > 0) {
      list.add({
        path: toPointer(has(item, "fields") ? [...path, "fields"] : path),
        severity: "error",
        code: "MISSING_REQUIRED_FIELDS",
        message: `Meter readings configuration (item ${i}) is missing required field attributes: ${missing.join(", ")}`,
        missing,
      });
    }
    if (has(item, "scope") && mode !== "upsert-prune-scope") {
      list.add({
        path: toPointer([...path, "scope"]),
        severity: "warning",
        code: "SCOPE_IGNORED",
        message: `scope is ignored: it applies only with mode upsert-prune-scope (this item's mode is ${mode})`,
      });
    }
  }
  checkExpression(list, item.jsonataExpression, [...path, "jsonataExpression"]);
  checkUniqueIds(list, item.meter, [...path, "meter"]);
  checkUniqueIds(list, item.meter_counter, [...path, "meter_counter"]);
  checkFields(list, item.fields, [...path, "fields"], true);
}

/**
 * Values a configuration may hold, counted over its whole tree. Generous (a large real one holds
 * about a thousand), and small enough that validating and compiling the largest takes well under
 * a second: every mapping compiles an expression (about 0.2 ms), and a configuration of 100k
 * unique ids held a server for 16 s.
 */
export const MAX_CONFIG_VALUES = 10_000;

/** Values in a JSON tree (objects and arrays count as one each), counted up to just past `limit`. */
function countValues(root: unknown, limit: number): number {
  let count = 0;
  const pending: unknown[] = [root];
  while (pending.length > 0 && count <= limit) {
    const value = pending.pop();
    count++;
    if (Array.isArray(value)) {
      for (const v of value) pending.push(v);
    } else if (value !== null && typeof value === "object") {
      for (const v of Object.values(value)) pending.push(v);
    }
  }
  return count;
}

/**
 * Static validation of a configuration: every problem located by JSON pointer, with a stable code.
 * Structural checks come from the zod schema; the rules of SPEC 1.3 run even when the structure
 * is broken elsewhere, so the editor can show every marker at once.
 */
export function validateConfig(raw: unknown): ValidationResult {
  if (!isObject(raw)) {
    const problem: ConfigProblem = {
      path: "",
      severity: "error",
      code: "NOT_AN_OBJECT",
      message: `The configuration must be a JSON object, received ${raw === null ? "null" : Array.isArray(raw) ? "an array" : typeof raw}`,
    };
    return { valid: false, errors: [problem], warnings: [] };
  }
  const size = countValues(raw, MAX_CONFIG_VALUES);
  if (size > MAX_CONFIG_VALUES) {
    const problem: ConfigProblem = {
      path: "",
      severity: "error",
      code: "CONFIG_TOO_LARGE",
      message: `The configuration holds more than ${MAX_CONFIG_VALUES} values; a mapping needs far fewer (is a payload pasted into it?)`,
    };
    return { valid: false, errors: [problem], warnings: [] };
  }
  const list = new ProblemList();
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) for (const p of zodIssuesToProblems(raw, parsed.error.issues)) list.add(p);
  if (Array.isArray(raw.meter_readings))
    raw.meter_readings.forEach((item, i) => {
      checkReadingItem(list, item, i);
    });
  if (Array.isArray(raw.entities))
    raw.entities.forEach((item, i) => {
      checkEntityItem(list, item, i);
    });
  // A configuration is stored (jsonb), and its names and constants end up in readings.
  for (const { segments, text } of unstorableTexts(raw)) {
    list.add({
      path: toPointer(segments),
      severity: "error",
      code: "INVALID_TEXT",
      message: `"${escapedText(text)}" holds a NUL character or a lone surrogate, which the database cannot store`,
    });
  }
  const errors = list.items.filter((p) => p.severity === "error");
  const warnings = list.items.filter((p) => p.severity === "warning");
  return { valid: errors.length === 0, errors, warnings };
}
