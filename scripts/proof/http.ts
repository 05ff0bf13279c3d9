import { withDeadline } from "../deadline";

/** A request as the proof sends it: the body as bytes or text, exactly as given. */
export interface HttpRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface HttpAnswer {
  /** 0: no answer (connection refused or reset, or the timeout). */
  status: number;
  ms: number;
  body: string;
  /** Why there was no answer. */
  error?: string;
}

/** Sends one request; never throws: a missing answer is status 0 with the reason. */
export async function send(
  baseUrl: string,
  request: HttpRequest,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const t = performance.now();
  const noBody = request.method === "GET" || request.method === "HEAD";
  try {
    const res = await fetch(new URL(request.path, baseUrl), {
      method: request.method,
      headers: request.headers,
      body: noBody ? undefined : (request.body as BodyInit | undefined),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await withDeadline(res.text(), timeoutMs, "the body");
    return { status: res.status, ms: performance.now() - t, body };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason =
      e.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { status: 0, ms: performance.now() - t, body: "", error: reason };
  }
}

/** A JSON POST with a bearer key. */
export function postJson(path: string, key: string | null, body: unknown): HttpRequest {
  return {
    method: "POST",
    path,
    headers: {
      "content-type": "application/json",
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify(body),
  };
}

/** The error code of an envelope answer, if it is one. */
export function errorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { status?: string; error?: { code?: unknown } };
    return parsed.status === "error" && typeof parsed.error?.code === "string"
      ? parsed.error.code
      : undefined;
  } catch {
    return undefined;
  }
}

/** The p-th percentile (0-100) of some durations, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}
