import "server-only";
import { z } from "zod";
import { getDb } from "../../../db/client";
import { toPointer } from "../../engine/json-pointer";
import { authenticate } from "../integrations/api-keys";
import { env } from "../platform/env";
import { AppError, errorEnvelope } from "./app-error";
import { unavailableAsAppError } from "./database-unavailable";
import { internalError, isLoggedInternal } from "./internal-error";
import { parseJsonBytes, readBodyBytes, readJsonBody } from "./read-json-body";

type Params = Record<string, string | string[] | undefined>;

/** What Next passes a route handler besides the request (params are a promise since Next 15). */
export interface RouteContext<P extends Params> {
  params: Promise<P>;
}

export interface RouteOptions {
  /** Status of a successful response (default 200). */
  status?: number;
}

/**
 * Wraps a route handler: its result goes out as JSON (a `Response` passes through untouched), an
 * `AppError` becomes the SPEC 5 error envelope with the status from ERROR_STATUS, a zod failure
 * becomes 422 INVALID_REQUEST with every issue, a lost database connection 503
 * DATABASE_UNAVAILABLE, and anything else a 500 that says nothing about
 * the server's insides: the real error goes to the log under the error id the envelope names.
 */
export function route<P extends Params = Record<string, never>>(
  handler: (request: Request, params: P) => Promise<unknown>,
  options: RouteOptions = {},
): (request: Request, context?: RouteContext<P>) => Promise<Response> {
  return async (request, context) => {
    try {
      const params = ((await context?.params) ?? {}) as P;
      const result = await handler(request, params);
      if (result instanceof Response) return result;
      return Response.json(result, { status: options.status ?? 200 });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: readonly Method[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Handlers for the methods a route does not serve: 405 in the envelope with an Allow header (Next
 * answers them with an empty body otherwise). `export const { GET, PUT, PATCH, DELETE } = ...`.
 */
export function otherMethods(allowed: readonly Method[]): Record<Method, () => Promise<Response>> {
  const answer = async () => {
    const error = new AppError(
      "METHOD_NOT_ALLOWED",
      `This route answers ${allowed.join(" and ")} only`,
      { allowed },
    );
    return Response.json(errorEnvelope(error), {
      status: error.status,
      headers: { allow: allowed.join(", ") },
    });
  };
  return Object.fromEntries(METHODS.map((m) => [m, answer])) as Record<
    Method,
    () => Promise<Response>
  >;
}

export function errorResponse(thrown: unknown): Response {
  // A lost database connection is a 503 the client may retry, on every route.
  const error = unavailableAsAppError(thrown);
  const known =
    error instanceof AppError ? error : error instanceof z.ZodError ? invalidRequest(error) : null;
  // An INTERNAL AppError without an error id (the import thread's "it died") is logged here.
  const answer =
    known && (known.code !== "INTERNAL" || isLoggedInternal(known))
      ? known
      : internalError(error, "a route handler");
  return Response.json(errorEnvelope(answer), { status: answer.status });
}

/** 422 with each zod issue located by a JSON pointer into the request body. */
export function invalidRequest(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({
    path: toPointer(issue.path),
    code: issue.code,
    message: issue.message,
  }));
  const first = issues[0];
  const where = first?.path ? ` at ${first.path}` : "";
  return new AppError(
    "INVALID_REQUEST",
    `The request body is invalid${where}: ${first?.message ?? "unknown problem"}`,
    { issues },
  );
}

let bodyLimitOverride: number | undefined;

/** Tests: a body size limit for the route handlers (undefined: back to MMS_BODY_LIMIT_BYTES). */
export function useBodyLimitForTests(limit: number | undefined): void {
  bodyLimitOverride = limit;
}

/**
 * Reads the JSON body under the size limit and parses it with a shared schema (422 if it does not
 * fit); `raw` is the body's bytes as received.
 */
export async function readBodyAndBytes<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<{ data: z.output<S>; raw: Buffer }> {
  const { value, raw } = await readJsonBody(request, bodyLimit());
  return { data: fitting(schema, value), raw };
}

/** A body's bytes (readBodyBytes) as JSON that fits a shared schema: 400 or 422 otherwise. */
export async function parseBody<S extends z.ZodType>(raw: Buffer, schema: S): Promise<z.output<S>> {
  return fitting(schema, await parseJsonBytes(raw));
}

/** The body's bytes under the size limit (413 past it), not parsed yet (see parseBody). */
export function readRawBody(request: Request): Promise<Buffer> {
  return readBodyBytes(request, bodyLimit());
}

function bodyLimit(): number {
  return bodyLimitOverride ?? env.MMS_BODY_LIMIT_BYTES;
}

/** A parsed body as the schema's output, or 422 with every issue. */
function fitting<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}

/** Reads the JSON body under the size limit and parses it with a shared schema (422 if it does not fit). */
export async function readBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  return (await readBodyAndBytes(request, schema)).data;
}

/** The integration of the request's bearer key (401 without a valid one). */
export function authenticateRequest(request: Request) {
  return authenticate(getDb(), request.headers.get("authorization"));
}
