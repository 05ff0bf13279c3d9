import "server-only";
import { parseJsonLarge } from "../json/parse-json-large";
import { AppError } from "./app-error";
import { env } from "./env";
import { Stopwatch } from "./stopwatch";

/**
 * Reads a request body as JSON under the size limit (413 past it, checked on the declared length
 * first and then on the bytes as they stream in), with 400 and the position for malformed JSON.
 */
export async function readJsonBody(
  request: Request,
  limit: number = env.MMS_BODY_LIMIT_BYTES,
): Promise<{ value: unknown; bytes: number; raw: Buffer }> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit, declared);
  const type = request.headers.get("content-type") ?? "";
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json", {
      content_type: type,
    });
  }
  const watch = new Stopwatch();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel();
        throw tooLarge(limit, bytes);
      }
      chunks.push(value);
    }
  }
  watch.lap("read");
  const raw = Buffer.concat(chunks);
  const text = raw.toString("utf8");
  if (text.trim() === "")
    throw new AppError("BAD_JSON", "The request body is empty; send a JSON object");
  // Bodies of many megabytes are parsed in pieces so the server keeps answering meanwhile.
  const parsed = await parseJsonLarge(text, () => new Promise((resolve) => setImmediate(resolve)));
  watch.lap(`parse ${bytes} bytes`);
  watch.report("request body");
  if (!parsed.ok) {
    const { message, offset, line, column } = parsed.error;
    throw new AppError("BAD_JSON", `Malformed JSON: ${message}`, {
      position: offset,
      line,
      column,
    });
  }
  return { value: parsed.value, bytes, raw };
}

function tooLarge(limit: number, received: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The body exceeds the limit of ${limit} bytes`, {
    limit_bytes: limit,
    received_bytes: received,
  });
}
