import "server-only";
import { z } from "zod";
import { setOwnValue } from "../../engine/own-property";
import { AppError } from "./app-error";
import { internalError, isNextControlFlow } from "./internal-error";

/** What a server action hands `useActionState`: the data, or what went wrong and where. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors: Record<string, string[]> };

/**
 * Runs an action's service call and turns every failure into a result: a zod issue or an
 * `AppError` with a `field` detail lands next to that input, any other `AppError` is the form's
 * message. Anything else is a bug: it is logged under an error id, and the form (which keeps what
 * the user typed) says that id.
 */
export async function toActionResult<T>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (caught) {
    if (isNextControlFlow(caught)) throw caught;
    if (caught instanceof z.ZodError) {
      const { fieldErrors, formErrors } = z.flattenError(caught);
      return {
        ok: false,
        message: formErrors[0] ?? "Please correct the highlighted fields",
        fieldErrors: fieldErrors as Record<string, string[]>,
      };
    }
    const error = caught instanceof AppError ? caught : internalError(caught, "a server action");
    const field = typeof error.details.field === "string" ? error.details.field : null;
    return {
      ok: false,
      message: error.message,
      fieldErrors: field ? { [field]: [error.message] } : {},
    };
  }
}

/** A form's fields as plain strings (files and repeated names are not used by these forms). */
export function formFields(formData: FormData | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  // A hand-made request can call an action with anything; no form is an empty one.
  if (!(formData instanceof FormData)) return fields;
  for (const [name, value] of formData) {
    if (typeof value === "string" && !name.startsWith("$ACTION")) setOwnValue(fields, name, value);
  }
  return fields;
}
