import type { z } from "zod";
import type { ConfigProblem } from "./config-problems";
import {
  configSchema,
  fieldMappingSchema,
  meterReadingMappingSchema,
  uniqueIdObjectSchema,
} from "./config-schema";
import {
  entityFieldMappingSchema,
  entityMappingSchema,
  entityScopeSchema,
  envVarRefSchema,
  relatedIdSchema,
  relationItemSchema,
  relationRefItemSchema,
  relationsSchema,
} from "./entity-schema";
import { toPointer, valueAtPath } from "./json-pointer";

type Segment = PropertyKey;

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** The keys allowed in the object at a path, from the same zod shapes that validate it. */
function allowedKeysAt(path: readonly Segment[]): string[] {
  const names = path.filter((s) => typeof s === "string");
  const last = names.at(-1);
  const shape = (s: { shape: Record<string, unknown> }) => Object.keys(s.shape);
  if (path.length === 0) return shape(configSchema);
  if (last === "meter_readings") return shape(meterReadingMappingSchema);
  if (last === "entities") return shape(entityMappingSchema);
  if (path[0] === "entities") return entityKeysAt(names, last);
  if (last === "fields") return shape(fieldMappingSchema);
  if (last === "unique_ids") return shape(uniqueIdObjectSchema);
  if (last === "meter" || last === "meter_counter") return ["unique_ids"];
  if (last === "scope") return ["source"];
  return [];
}

/** Inside an `entities` item: `names` are the path's key segments, `last` the innermost. */
function entityKeysAt(names: readonly PropertyKey[], last: PropertyKey | undefined): string[] {
  const shape = (s: { shape: Record<string, unknown> }) => Object.keys(s.shape);
  const refs = names.includes("relation_refs");
  if (last === "fields") return shape(entityFieldMappingSchema);
  if (last === "unique_ids" || last === "query") return shape(relatedIdSchema);
  if (last === "scope") return shape(entityScopeSchema);
  if (last === "relations" || last === "relation_refs") return shape(relationsSchema);
  if (last === "items") return shape(refs ? relationRefItemSchema : relationItemSchema);
  if (last === "value") return ["attribute", "operation", "field", "jsonataExpression", "constant"];
  if (last === "env_var_ref") return shape(envVarRefSchema);
  return [];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

function suggestion(key: string, allowed: string[]): string {
  const best = allowed
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3))
    ? `; did you mean "${best.k}"?`
    : "";
}

function isModeOf(path: readonly Segment[], collection: string): boolean {
  return path.length === 3 && path[0] === collection && path[2] === "mode";
}

/** Turns zod issues into located, coded problems with messages a consultant understands. */
export function zodIssuesToProblems(
  raw: unknown,
  issues: readonly z.core.$ZodIssue[],
  base: Segment[] = [],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    const value = valueAtPath(raw, path);
    const at = toPointer(path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = allowedKeysAt(path);
        for (const key of issue.keys) {
          problems.push({
            path: toPointer([...path, key]),
            severity: "error",
            code: "UNKNOWN_KEY",
            message: `Unknown key "${key}"${suggestion(key, allowed)}`,
            expected: allowed,
          });
        }
        break;
      }
      case "invalid_type": {
        if (value === undefined) {
          problems.push({
            path: at,
            severity: "error",
            code: "REQUIRED",
            message: `Missing required key "${String(path.at(-1))}"`,
          });
        } else {
          problems.push({
            path: at,
            severity: "error",
            code: "INVALID_TYPE",
            message: `Expected ${issue.expected}, received ${describeType(value)}`,
          });
        }
        break;
      }
      case "invalid_value": {
        const expected = issue.values.map((v) => String(v));
        if (isModeOf(path, "meter_readings") && value === "purge") {
          problems.push({
            path: at,
            severity: "error",
            code: "PURGE_NOT_SUPPORTED",
            message:
              "Mode purge is not supported for meter readings; use delete or upsert-prune-scope",
            expected,
          });
        } else if (isModeOf(path, "entities")) {
          problems.push({
            path: at,
            severity: "error",
            code: "UNSUPPORTED_ENTITY_MODE",
            message:
              value === "upsert-prune-scope"
                ? "Mode upsert-prune-scope is for meter readings only; entities prune with upsert-prune-scope-delete or upsert-prune-scope-purge (and a scope)"
                : `Mode ${JSON.stringify(value)} is not supported for entities; expected one of ${expected.join(", ")}`,
            expected,
          });
        } else {
          problems.push({
            path: at,
            severity: "error",
            code: "INVALID_VALUE",
            message: `${JSON.stringify(value)} is not allowed; expected one of ${expected.join(", ")}`,
            expected,
          });
        }
        break;
      }
      case "too_small": {
        const what = issue.origin === "array" ? "at least one entry" : "a non-empty value";
        problems.push({ path: at, severity: "error", code: "TOO_SMALL", message: `Needs ${what}` });
        break;
      }
      case "invalid_union": {
        // Report the branch whose type matches the input, not every alternative.
        const branch = issue.errors.find(
          (errs) => !errs.some((e) => e.code === "invalid_type" && e.path.length === 0),
        );
        if (branch && typeof value === "object" && value !== null) {
          problems.push(...zodIssuesToProblems(raw, branch, path));
        } else if (branch && typeof value === "string") {
          problems.push(...zodIssuesToProblems(raw, branch, path));
        } else {
          const expected = issue.errors
            .flatMap((errs) => errs.filter((e) => e.code === "invalid_type" && e.path.length === 0))
            .map((e) => (e as { expected: string }).expected);
          problems.push({
            path: at,
            severity: "error",
            code: "INVALID_TYPE",
            message: `Expected ${[...new Set(expected)].join(" or ")}, received ${describeType(value)}`,
          });
        }
        break;
      }
      default:
        problems.push({
          path: at,
          severity: "error",
          code: "INVALID_VALUE",
          message: issue.message,
        });
    }
  }
  return problems;
}
