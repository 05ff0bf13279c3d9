import { evaluationMessage } from "./bounded-jsonata";
import type { CompiledEntityItem } from "./compile-entities";
import type { EvaluationBudget } from "./evaluation-budget";
import { ownValue } from "./own-property";
import type { IntegrationVariables } from "./types";
import { toPlainValue } from "./value-source";

/** What an env_var_ref gives (SPEC-ENTITIES 5); it depends on the variables, never on the input. */
export type EnvResult =
  | { kind: "value"; value: unknown }
  | { kind: "missing"; key: string; secret: boolean }
  | { kind: "error"; message: string };

/**
 * Resolves every env_var_ref of an item once: the variable's value (or, when it is missing or
 * secret, the `default`, as given), and with `return: "jsonata"` the expression on that value,
 * bounded to 100 ms. A secret is never handed to a mapping: it behaves as if missing.
 */
export async function resolveEnvRefs(
  item: CompiledEntityItem,
  payload: unknown,
  variables: IntegrationVariables,
  budget: EvaluationBudget,
): Promise<(EnvResult | undefined)[]> {
  const out: (EnvResult | undefined)[] = [];
  for (const field of item.fields) {
    if (field.kind !== "env_var_ref") continue;
    const variable = ownValue(variables, field.key) as
      | { value: string; secret: boolean }
      | undefined;
    if (!variable || variable.secret) {
      out[field.position] = field.fallback
        ? { kind: "value", value: field.fallback.value }
        : { kind: "missing", key: field.key, secret: variable?.secret === true };
      continue;
    }
    if (!field.expression) {
      out[field.position] = { kind: "value", value: variable.value };
      continue;
    }
    try {
      const value = toPlainValue(await field.expression.evaluate(variable.value, payload, budget));
      out[field.position] = { kind: "value", value };
    } catch (error) {
      out[field.position] = { kind: "error", message: evaluationMessage(error) };
    }
  }
  return out;
}
