import { checkJsonataSyntax } from "./bounded-jsonata";
import type { ConfigProblem } from "./config-problems";
import { ENUM_ATTRIBUTES } from "./constants";
import { parsePlainPath } from "./field-path";
import { toPointer } from "./json-pointer";

// The checks reading and entity items share (validate-config.ts, validate-entities.ts).

export type Path = (string | number)[];
export type Obj = Record<string, unknown>;

export const VALUE_KEYS = ["constant", "jsonataExpression", "field"] as const;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function has(o: Obj, key: string): boolean {
  return Object.hasOwn(o, key);
}

export class ProblemList {
  readonly items: ConfigProblem[] = [];
  // A set, not a scan of the list: 100k unique ids with a problem each took 25 s that way.
  private readonly seen = new Set<string>();
  add(p: ConfigProblem) {
    const key = `${p.path}\u0000${p.code}\u0000${p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(p);
  }
}

export function checkExpression(list: ProblemList, source: unknown, path: Path) {
  if (typeof source !== "string") return;
  const problem = checkJsonataSyntax(source);
  if (!problem) return;
  list.add({
    path: toPointer(path),
    severity: "error",
    code: "JSONATA_SYNTAX",
    message: `JSONata syntax error at character ${problem.start + 1}: ${problem.message}`,
    range: { start: problem.start, end: problem.end },
  });
}

export function checkFieldPath(list: ProblemList, source: unknown, path: Path) {
  // Plain paths become JS getters; anything else is evaluated as JSONata, so it must parse.
  if (typeof source === "string" && parsePlainPath(source) === null)
    checkExpression(list, source, path);
}

export function checkValueSources(list: ProblemList, o: Obj, path: Path, what: string) {
  const present = VALUE_KEYS.filter((k) => has(o, k));
  if (present.length === 0) {
    list.add({
      path: toPointer(path),
      severity: "error",
      code: "FIELD_VALUE_MISSING",
      message: `${what} needs one of field, constant or jsonataExpression`,
    });
  } else if (present.length > 1) {
    list.add({
      path: toPointer(path),
      severity: "warning",
      code: "FIELD_VALUE_AMBIGUOUS",
      message: `${what} has ${present.join(" and ")}; ${present[0]} is used, the others are ignored`,
    });
  }
  checkExpression(list, o.jsonataExpression, [...path, "jsonataExpression"]);
  checkFieldPath(list, o.field, [...path, "field"]);
}

export function checkFields(list: ProblemList, fields: unknown, path: Path, checkEnums: boolean) {
  if (!Array.isArray(fields)) return;
  const unconditional = new Map<string, number>();
  fields.forEach((f, j) => {
    if (!isObject(f)) return;
    const at = [...path, j];
    const attribute = typeof f.attribute === "string" ? f.attribute : "?";
    checkValueSources(list, f, at, `Mapping of "${attribute}"`);
    checkExpression(list, f.enabled, [...at, "enabled"]);
    const allowed = ENUM_ATTRIBUTES.get(attribute);
    if (checkEnums && allowed && has(f, "constant") && !allowed.includes(f.constant as string)) {
      const shown = allowed.filter((v) => v !== "" && v !== null);
      list.add({
        path: toPointer([...at, "constant"]),
        severity: "error",
        code: "INVALID_CONSTANT",
        message: `${JSON.stringify(f.constant)} is not an allowed ${attribute}; allowed: ${shown.join(", ")}${allowed.includes(null) ? ", or null" : ""}`,
        expected: shown,
      });
    }
    if (!has(f, "enabled") && typeof f.attribute === "string") {
      const earlier = unconditional.get(f.attribute);
      if (earlier !== undefined) {
        list.add({
          path: toPointer(at),
          severity: "warning",
          code: "DUPLICATE_ATTRIBUTE",
          message: `"${f.attribute}" is already mapped by field ${earlier}; the later mapping wins`,
        });
      }
      unconditional.set(f.attribute, j);
    }
  });
}

export function checkUniqueIds(list: ProblemList, lookup: unknown, path: Path) {
  if (!isObject(lookup) || !Array.isArray(lookup.unique_ids)) return;
  lookup.unique_ids.forEach((u, k) => {
    // The shorthand "meter_number" is a field path too, and must compile as one.
    if (typeof u === "string" && u !== "") checkFieldPath(list, u, [...path, "unique_ids", k]);
    if (isObject(u))
      checkValueSources(
        list,
        u,
        [...path, "unique_ids", k],
        // Only a string names it: an object with a `toString` key made String() throw.
        `Unique id "${typeof u.attribute === "string" ? u.attribute : "?"}"`,
      );
  });
}

export function mappedAttributes(fields: unknown): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(fields)) return names;
  for (const f of fields) {
    if (isObject(f) && typeof f.attribute === "string" && f.enabled !== false)
      names.add(f.attribute);
  }
  return names;
}
