import type { ConfigProblem } from "./config-problems";
import type { MappingConfig } from "./config-schema";
import { toPointer } from "./json-pointer";

const NOT_YET = "is not supported for imports yet (the mapping simulation shows it)";

/**
 * What an import (events, dry run, studio preview and apply) cannot write yet, each at its JSON
 * pointer. The database stores every entity feature now (modes, relations, relation refs,
 * repeatable unique ids, `_id`); what is left is `env_var_ref`: the integration's variables are
 * not loaded for imports yet, and planning without them would write defaults where values belong.
 * Such a configuration is refused whole.
 */
export function unsupportedForImports(config: MappingConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  (config.entities ?? []).forEach((e, i) => {
    if (e.enabled === false) return;
    e.fields.forEach((f, j) => {
      if (f.enabled === false || !f.env_var_ref) return;
      problems.push({
        path: toPointer(["entities", i, "fields", j, "env_var_ref"]),
        severity: "error",
        code: "NOT_SUPPORTED_FOR_IMPORTS",
        message: `env_var_ref ${NOT_YET}`,
      });
    });
  });
  return problems;
}
