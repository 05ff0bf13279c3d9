import "server-only";
import { randomUUID } from "node:crypto";
import { AppError } from "./app-error";

/**
 * Every 5xx is a bug. The failure goes to the log under a fresh error id and the answer carries
 * only that id (never the error itself), so support can find the log line from what the client saw.
 */
export function internalError(error: unknown, where: string): AppError {
  const errorId = randomUUID();
  console.error(`[mms] error ${errorId} in ${where}:`, error);
  return new AppError(
    "INTERNAL",
    `An unexpected error occurred on the server; error id ${errorId}`,
    { error_id: errorId },
  );
}

/** An INTERNAL AppError that has been logged under an error id (see internalError). */
export function isLoggedInternal(error: AppError): boolean {
  return error.code === "INTERNAL" && typeof error.details.error_id === "string";
}

/**
 * Next's own control flow (redirect, notFound) travels as errors with a NEXT_ digest: those are
 * not failures and must reach Next unchanged.
 */
export function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_");
}
