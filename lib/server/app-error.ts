import "server-only";

/** Request-level failure codes and their HTTP statuses: the one table (SPEC 5). */
export const ERROR_STATUS = {
  BAD_JSON: 400,
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
  DATABASE_BUSY: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The shell throws this; route handlers and actions turn it into the error envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
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
