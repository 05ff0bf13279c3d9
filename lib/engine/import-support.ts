import type { ConfigProblem } from "./config-problems";
import type { MappingConfig } from "./config-schema";
import { toPointer } from "./json-pointer";

const NOT_YET = "is not supported for imports yet (the mapping simulation shows it)";

/**
 * What an import (events, dry run, studio preview and apply) cannot write yet, each at its JSON
 * pointer: the database layer stores upserted entities with plain attributes only. Planning such
 * a configuration would write a partial or wrong result, so the shell refuses it whole.
 * Array operations and repeatable values are fine: the plan turns them into the whole stored
 * value. A repeatable value as a unique id is not: stored entities are looked up by scalars.
 */
export function unsupportedForImports(config: MappingConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: (string | number)[], what: string) =>
    problems.push({
      path: toPointer(path),
      severity: "error",
      code: "NOT_SUPPORTED_FOR_IMPORTS",
      message: `${what} ${NOT_YET}`,
    });
  (config.entities ?? []).forEach((e, i) => {
    if (e.enabled === false) return;
    if (e.mode !== undefined && e.mode !== "upsert")
      add(["entities", i, "mode"], `Entity mode ${e.mode}`);
    if (e.unique_ids.includes("_id"))
      add(["entities", i, "unique_ids", e.unique_ids.indexOf("_id")], 'The unique id "_id"');
    e.fields.forEach((f, j) => {
      if (f.enabled === false) return;
      if (f.relations) add(["entities", i, "fields", j, "relations"], "relations");
      if (f.relation_refs) add(["entities", i, "fields", j, "relation_refs"], "relation_refs");
      if (f._type && e.unique_ids.includes(f.attribute))
        add(["entities", i, "fields", j, "_type"], `A unique id of _type ${f._type}`);
    });
  });
  return problems;
}
