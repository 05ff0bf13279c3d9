import { StatusMessage } from "./status-message";

interface FailedResult {
  ok: false;
  message: string;
  fieldErrors: Record<string, string[] | undefined>;
}

/**
 * The form-level message of a failed action. Skipped when the problem already shows next to one
 * of the form's visible inputs, so the same sentence never appears twice.
 */
export function FormError({
  result,
  fields,
}: {
  result: FailedResult | { ok: true } | null;
  fields: readonly string[];
}) {
  if (!result || result.ok) return null;
  if (fields.some((field) => (result.fieldErrors[field]?.length ?? 0) > 0)) return null;
  return <StatusMessage tone="error">{result.message}</StatusMessage>;
}

/** The errors of one input, from a failed action's result (undefined when there are none). */
export function fieldErrorsOf(
  result: FailedResult | { ok: true } | null,
  field: string,
): string[] | undefined {
  return result && !result.ok ? result.fieldErrors[field] : undefined;
}
