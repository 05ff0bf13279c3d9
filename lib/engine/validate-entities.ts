import {
  checkExpression,
  checkValueSources,
  has,
  isObject,
  mappedAttributes,
  type Obj,
  type Path,
  type ProblemList,
  VALUE_KEYS,
} from "./config-checks";
import { ENTITY_FIELD_KINDS } from "./entity-constants";
import { toPointer } from "./json-pointer";

// The static rules of an `entities` item (SPEC-ENTITIES 1 to 5) that the zod schema cannot say.

const PRUNE_MODES = new Set(["upsert-prune-scope-delete", "upsert-prune-scope-purge"]);

function nameOf(o: Obj): string {
  return typeof o.attribute === "string" ? o.attribute : "?";
}

/** The kinds of value a field mapping has: a value source counts once, whatever its keys. */
export function fieldKinds(f: Obj): string[] {
  const kinds: string[] = VALUE_KEYS.some((k) => has(f, k)) ? ["value"] : [];
  for (const kind of ENTITY_FIELD_KINDS) if (has(f, kind)) kinds.push(kind);
  return kinds;
}

function checkRelatedIds(list: ProblemList, ids: unknown, path: Path) {
  if (!Array.isArray(ids)) return;
  ids.forEach((u, k) => {
    if (isObject(u))
      checkValueSources(list, u, [...path, k], `Unique id "${nameOf(u)}" of the related entity`);
  });
}

function checkRelationList(list: ProblemList, relations: unknown, path: Path, refs: boolean) {
  if (!isObject(relations)) return;
  const key = refs ? "relation_refs" : "relations";
  if (!has(relations, "operation")) {
    list.add({
      path: toPointer(path),
      severity: "warning",
      code: "RELATION_OPERATION_DEFAULTED",
      message: `${key} has no operation: _set is used (it replaces every stored ${refs ? "reference" : "relation"}); say "_set", "_append" or "_append_all"`,
    });
  }
  const hasItems = has(relations, "items");
  const hasExpression = has(relations, "jsonataExpression");
  if (hasItems && hasExpression) {
    list.add({
      path: toPointer([...path, "jsonataExpression"]),
      severity: "error",
      code: "RELATION_ITEMS_CONFLICT",
      message: `${key} has both items and jsonataExpression; give one of them`,
    });
  } else if (!hasItems && !hasExpression) {
    list.add({
      path: toPointer(path),
      severity: "error",
      code: "RELATION_ITEMS_MISSING",
      message: `${key} needs items or a jsonataExpression returning them`,
    });
  }
  checkExpression(list, relations.jsonataExpression, [...path, "jsonataExpression"]);
  if (!Array.isArray(relations.items)) return;
  relations.items.forEach((item, k) => {
    if (!isObject(item)) return;
    checkRelatedIds(list, item.unique_ids, [...path, "items", k, "unique_ids"]);
    if (refs && isObject(item.value))
      checkValueSources(list, item.value, [...path, "items", k, "value"], "The value");
  });
}

function checkEnvVarRef(list: ProblemList, ref: unknown, path: Path) {
  if (!isObject(ref)) return;
  checkExpression(list, ref.jsonataExpression, [...path, "jsonataExpression"]);
  if (ref.return === "jsonata" && !has(ref, "jsonataExpression")) {
    list.add({
      path: toPointer([...path, "jsonataExpression"]),
      severity: "error",
      code: "REQUIRED",
      message: 'Missing required key "jsonataExpression": return "jsonata" evaluates it',
    });
  }
}

function checkEntityField(list: ProblemList, f: Obj, at: Path) {
  const kinds = fieldKinds(f);
  const name = nameOf(f);
  if (kinds.length === 0) {
    list.add({
      path: toPointer(at),
      severity: "error",
      code: "FIELD_VALUE_MISSING",
      message: `Mapping of "${name}" needs one of field, constant, jsonataExpression, relations, relation_refs, env_var_ref, file_proxy_url or portal_ref`,
    });
  } else if (kinds.length > 1) {
    const shown = kinds.map((k) => (k === "value" ? "a value source" : k));
    list.add({
      path: toPointer(at),
      severity: "error",
      code: "FIELD_KINDS_CONFLICT",
      message: `Mapping of "${name}" has ${shown.join(" and ")}; a field mapping has exactly one kind of value`,
    });
  }
  if (kinds.includes("value")) checkValueSources(list, f, at, `Mapping of "${name}"`);
  checkExpression(list, f.enabled, [...at, "enabled"]);
  checkRelationList(list, f.relations, [...at, "relations"], false);
  checkRelationList(list, f.relation_refs, [...at, "relation_refs"], true);
  checkEnvVarRef(list, f.env_var_ref, [...at, "env_var_ref"]);
  if (has(f, "file_proxy_url"))
    list.add({
      path: toPointer([...at, "file_proxy_url"]),
      severity: "warning",
      code: "FILE_PROXY_UNAVAILABLE",
      message: `There is no file proxy here: "${name}" is left out of every entity`,
    });
  if (has(f, "portal_ref"))
    list.add({
      path: toPointer([...at, "portal_ref"]),
      severity: "warning",
      code: "PORTAL_REF_NO_MATCH",
      message: `There is no portal here: "${name}" is left out of every entity`,
    });
}

function checkEntityFields(list: ProblemList, fields: unknown, path: Path) {
  if (!Array.isArray(fields)) return;
  const unconditional = new Map<string, number>();
  fields.forEach((f, j) => {
    if (!isObject(f)) return;
    const at = [...path, j];
    checkEntityField(list, f, at);
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

function checkScope(list: ProblemList, item: Obj, path: Path) {
  const mode = typeof item.mode === "string" ? item.mode : "upsert";
  const prune = PRUNE_MODES.has(mode);
  if (prune && !has(item, "scope")) {
    list.add({
      path: toPointer([...path, "scope"]),
      severity: "error",
      code: "REQUIRED",
      message: `Missing required key "scope": mode ${mode} prunes within it`,
    });
  }
  if (!has(item, "scope")) return;
  if (!prune) {
    list.add({
      path: toPointer([...path, "scope"]),
      severity: "warning",
      code: "SCOPE_IGNORED",
      message: `scope is ignored: it applies only with modes upsert-prune-scope-delete and upsert-prune-scope-purge (this item's mode is ${mode})`,
    });
  }
  const scope = item.scope;
  if (!isObject(scope)) return;
  const at = [...path, "scope"];
  const needs =
    scope.scope_mode === "relations"
      ? ["schema", "unique_ids"]
      : scope.scope_mode === "query"
        ? ["query"]
        : [];
  const foreign =
    scope.scope_mode === "relations"
      ? ["query"]
      : scope.scope_mode === "query"
        ? ["schema", "unique_ids"]
        : [];
  for (const key of needs)
    if (!has(scope, key))
      list.add({
        path: toPointer([...at, key]),
        severity: "error",
        code: "REQUIRED",
        message: `Missing required key "${key}": scope_mode ${String(scope.scope_mode)} needs it`,
      });
  for (const key of foreign)
    if (has(scope, key))
      list.add({
        path: toPointer([...at, key]),
        severity: "error",
        code: "SCOPE_INVALID",
        message: `"${key}" does not belong to scope_mode ${String(scope.scope_mode)}`,
      });
  checkRelatedIds(list, scope.unique_ids, [...at, "unique_ids"]);
  checkRelatedIds(list, scope.query, [...at, "query"]);
}

/** Every static rule of one `entities` item, each problem at its exact JSON pointer. */
export function checkEntityItem(list: ProblemList, item: unknown, i: number) {
  if (!isObject(item)) return;
  const path: Path = ["entities", i];
  checkExpression(list, item.jsonataExpression, [...path, "jsonataExpression"]);
  checkExpression(list, item.enabled, [...path, "enabled"]);
  checkEntityFields(list, item.fields, [...path, "fields"]);
  if (has(item, "condition")) {
    checkExpression(list, item.condition, [...path, "condition"]);
    list.add({
      path: toPointer([...path, "condition"]),
      severity: "warning",
      code: "DEPRECATED_CONDITION",
      message:
        "condition is a legacy key: the mapping runs only when enabled and condition are both true; merge it into enabled",
    });
  }
  if (has(item, "pricing"))
    list.add({
      path: toPointer([...path, "pricing"]),
      severity: "warning",
      code: "UNSUPPORTED_PRICING",
      message: "pricing is not supported here: it is ignored",
    });
  checkScope(list, item, path);
  if (Array.isArray(item.unique_ids)) {
    const mapped = mappedAttributes(item.fields);
    item.unique_ids.forEach((u, k) => {
      if (typeof u === "string" && u !== "" && !mapped.has(u)) {
        list.add({
          path: toPointer([...path, "unique_ids", k]),
          severity: "error",
          code: "ENTITY_UNIQUE_ID_UNMAPPED",
          message: `Unique id "${u}" is not mapped by any field of this entity`,
        });
      }
    });
  }
}
