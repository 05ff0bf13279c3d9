import "server-only";
import { once } from "node:events";
import { promisify } from "node:util";
import { createGzip, gunzip } from "node:zlib";
import { defaultSlice } from "../../engine/cooperative";

const ARRAY_BATCH = 1000;

/** An object JSON writes key by key (a Date, say, writes itself: its toJSON). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Objects with more keys than this are maps (an undo's writers by entity id), not the record's
 * own structure: they are written whole by one native stringify (40k ids: about 17 ms), not by a
 * step of this generator per key (60 ms).
 */
const STRUCTURE_KEYS = 64;

function isMap(value: object): boolean {
  let keys = 0;
  for (const _ in value) if (++keys > STRUCTURE_KEYS) return true;
  return false;
}

/** JSON text in pieces: big arrays batch by batch, so no single stringify blocks for long. */
function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  if (Array.isArray(value) && value.length > ARRAY_BATCH) {
    yield "[";
    for (let i = 0; i < value.length; i += ARRAY_BATCH) {
      const body = JSON.stringify(value.slice(i, i + ARRAY_BATCH)).slice(1, -1);
      yield i === 0 ? body : `,${body}`;
    }
    yield "]";
  } else if (depth < 3 && isPlainObject(value) && !isMap(value)) {
    yield "{";
    let first = true;
    for (const key of Object.keys(value)) {
      if (value[key] === undefined) continue;
      yield `${first ? "" : ","}${JSON.stringify(key)}:`;
      first = false;
      yield* jsonChunks(value[key], depth + 1);
    }
    yield "}";
  } else {
    yield JSON.stringify(value) ?? "null";
  }
}

/** What is handed to zlib at once: each write is one trip to the thread pool, so small ones cost. */
const WRITE_BYTES = 256 * 1024;

/**
 * Gzipped JSON of a large value (a 100k-decision plan): serialised in batches with macrotask
 * breaks, compressed on libuv's thread pool in large writes, so the event loop is never blocked
 * for long.
 */
export async function gzipJson(value: unknown): Promise<Buffer> {
  const gzip = createGzip({ level: 1 });
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = once(gzip, "end");
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async () => {
    if (pendingLength === 0) return;
    const text = pending.join("");
    pending = [];
    pendingLength = 0;
    if (!gzip.write(text)) await once(gzip, "drain");
  };
  const slice = defaultSlice();
  let sliceStart = performance.now();
  for (const chunk of jsonChunks(value)) {
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength >= WRITE_BYTES) await flush();
    if (performance.now() - sliceStart > slice) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  await flush();
  gzip.end();
  await ended;
  return Buffer.concat(out);
}

const gunzipAsync = promisify(gunzip);

export async function gunzipJson<T>(data: Uint8Array): Promise<T> {
  return JSON.parse((await gunzipAsync(data)).toString("utf8")) as T;
}
