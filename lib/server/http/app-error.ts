import "server-only";

/** Request-level failure codes and their HTTP statuses: the one table (SPEC 5). */
export const ERROR_STATUS = {
  BAD_JSON: 400,
  BAD_PATH: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_REQUEST: 422,
  CONFIG_INVALID: 422,
  PAYLOAD_INVALID: 422,
  XML_INVALID: 422,
  DATABASE_BUSY: 503,
  DATABASE_UNAVAILABLE: 503,
  IMPORT_THREAD_RESTARTED: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Marks AppErrors whichever copy of this module made them: the server bundle can hold more than
 * one (the import thread's caller is bundled apart from the route wrapper), and a plain
 * `instanceof` would turn an AppError from the other copy into a 500.
 */
const BRAND = Symbol.for("mms.AppError");

/** The shell throws this; route handlers and actions turn it into the error envelope. */
export class AppError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface ErrorEnvelope {
  status: "error";
  message: string;
  error: { code: string; details: Record<string, unknown> };
}

export function errorEnvelope(error: AppError): ErrorEnvelope {
  return {
    status: "error",
    message: error.message,
    error: { code: error.code, details: error.details },
  };
}
