import "server-only";
import { isUtf8 } from "node:buffer";
import { depthExceededAtBytes } from "../../json/json-depth";
import {
  type JsonParseResult,
  lineAndColumn,
  parseJson,
  tooDeepError,
} from "../../json/parse-json";
import { parseJsonLarge } from "../../json/parse-json-large";
import { env } from "../platform/env";
import { Stopwatch } from "../platform/stopwatch";
import { AppError, type ErrorCode } from "./app-error";

/**
 * Reads a request body as JSON under the size limit (413 past it, checked on the declared length
 * first and then on the bytes as they stream in), with 400 and the position for malformed JSON.
 */
export async function readJsonBody(
  request: Request,
  limit: number = env.MMS_BODY_LIMIT_BYTES,
): Promise<{ value: unknown; raw: Buffer }> {
  const watch = new Stopwatch();
  const raw = await readBodyBytes(request, limit);
  watch.lap("read");
  // Slices of about 20 ms with pauses between them: this runs on the event loop.
  const value = await parseJsonBytes(raw, (text) =>
    parseJsonLarge(text, () => new Promise((resolve) => setImmediate(resolve))),
  );
  watch.lap(`parse ${raw.byteLength} bytes`);
  watch.report("request body");
  return { value, raw };
}

/**
 * A request body's bytes under the size limit (413 past it, checked on the declared length first
 * and then on the bytes as they stream in); 415 for a content type other than JSON. Each chunk is
 * copied into place as it arrives (a 20 MB concat at the end blocked the event loop for ~60 ms);
 * the result is a view into a buffer of its own, never Node's shared pool, so it can be
 * transferred to another thread.
 */
export async function readBodyBytes(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit, declared);
  const type = request.headers.get("content-type") ?? "";
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json", {
      content_type: type,
    });
  }
  let into = Buffer.allocUnsafeSlow(Number.isFinite(declared) ? declared : 1 << 16);
  let bytes = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch((error: unknown) => {
        // The client went away mid-body (ECONNRESET, "aborted"): its fault, not the database's.
        throw new AppError("BAD_JSON", "The request body was cut off before it ended", {
          received_bytes: bytes,
          reason: error instanceof Error ? error.message : String(error),
        });
      });
      if (done) break;
      if (bytes + value.byteLength > limit) {
        await reader.cancel();
        throw tooLarge(limit, bytes + value.byteLength);
      }
      if (bytes + value.byteLength > into.byteLength) {
        // No (or a wrong) declared length: grow by doubling, so each byte is copied O(1) times.
        const grown = Buffer.allocUnsafeSlow(
          Math.min(limit, Math.max(into.byteLength * 2, bytes + value.byteLength)),
        );
        into.copy(grown, 0, 0, bytes);
        into = grown;
      }
      into.set(value, bytes);
      bytes += value.byteLength;
    }
  }
  return into.subarray(0, bytes);
}

/**
 * A body's bytes as JSON: 400 BAD_JSON for an empty body, or with the position of a syntax error;
 * 422 for JSON nested deeper than MAX_JSON_DEPTH. Without a `parse` of its own (which then checks
 * the depth itself, as parseJsonLarge does), one native parse after a depth pass over the bytes.
 */
export async function parseJsonBytes(
  raw: Buffer,
  parse: (text: string) => JsonParseResult | Promise<JsonParseResult> = (text) =>
    parseBytesNatively(raw, text),
): Promise<unknown> {
  const text = raw.toString("utf8");
  if (!isUtf8(raw)) throw notUtf8(text);
  if (text.trim() === "")
    throw new AppError("BAD_JSON", "The request body is empty; send a JSON object");
  const parsed = await parse(text);
  if (!parsed.ok) {
    const { message, offset, line, column, tooDeep } = parsed.error;
    if (tooDeep) throw nestedTooDeep(tooDeep.path, tooDeep.maxDepth, { offset, line, column });
    throw new AppError("BAD_JSON", `Malformed JSON: ${message}`, {
      position: offset,
      line,
      column,
    });
  }
  return parsed.value;
}

/**
 * 400 for bytes that are not UTF-8: decoding them would put U+FFFD in their place, and an external
 * id changed that way no longer matches its stored twin. Where: the first replacement character.
 */
function notUtf8(decoded: string): AppError {
  const offset = Math.max(0, decoded.indexOf("\uFFFD"));
  const { line, column } = lineAndColumn(decoded, offset);
  return new AppError(
    "BAD_JSON",
    `The request body is not valid UTF-8 (line ${line}, column ${column}); send JSON encoded as UTF-8`,
    { position: offset, line, column },
  );
}

/**
 * 422 for a body nested deeper than MAX_JSON_DEPTH (valid JSON, so not a 400), with the code of
 * the part that is too deep: an event's or a dry run's payload, a configuration, else the request.
 */
function nestedTooDeep(
  path: string,
  maxDepth: number,
  at: { offset: number; line: number; column: number },
): AppError {
  const [code, what]: [ErrorCode, string] = /^(\/events\/\d+)?\/payload(\/|$)/.test(path)
    ? ["PAYLOAD_INVALID", "payload"]
    : /^\/(event_)?configuration(\/|$)/.test(path)
      ? ["CONFIG_INVALID", "configuration"]
      : ["INVALID_REQUEST", "request body"];
  // The pointer has one segment per level: the message shows where it starts.
  const shown = path.split("/").slice(0, 8).join("/");
  return new AppError(
    code,
    `The ${what} is nested deeper than ${maxDepth} levels (at ${shown}/...)`,
    { path, max_depth: maxDepth, position: at.offset, line: at.line, column: at.column },
  );
}

function parseBytesNatively(raw: Buffer, text: string): JsonParseResult {
  const deep = depthExceededAtBytes(raw);
  if (deep < 0) return parseJson(text, true);
  // Only here: the bracket's byte offset as a character offset.
  return tooDeepError(text, raw.subarray(0, deep).toString("utf8").length, true);
}

function tooLarge(limit: number, received: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The body exceeds the limit of ${limit} bytes`, {
    limit_bytes: limit,
    received_bytes: received,
  });
}
