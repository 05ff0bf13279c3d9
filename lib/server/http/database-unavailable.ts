import "server-only";
import { AppError } from "./app-error";

/** postgres.js's own codes for a connection that closed, was ended or could not be made. */
const DRIVER_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
]);

/** Socket errors: the server went away, or cannot be reached. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a session the server ended or would not start: class 08 (connection exception),
 * an operator's pg_terminate_backend or a shutdown (57P01-57P03), the session timeouts (57P05,
 * 25P03, 25P04) and a full server (53300).
 */
const SERVER_CODES = /^(08...|57P0[1235]|25P0[34]|53300)$/;

/**
 * Whether an error means the database connection was lost or could not be made, rather than a
 * statement failing: nothing of the transaction it ran in was committed, and the same work can
 * succeed on a new connection. Drizzle wraps driver errors (`cause`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (DRIVER_CODES.has(code) || SOCKET_CODES.has(code))) return true;
    if (typeof code === "string" && SERVER_CODES.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A lost database connection as the 503 a client may retry; any other error as it is. */
export function unavailableAsAppError(error: unknown): unknown {
  if (error instanceof AppError || !isDatabaseUnavailable(error)) return error;
  console.error("[mms] the database connection was lost:", error);
  return new AppError(
    "DATABASE_UNAVAILABLE",
    "The database connection was lost or could not be made; try again shortly",
  );
}
