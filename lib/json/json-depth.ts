/**
 * How deep any JSON the server reads may nest: request bodies, payload strings, samples,
 * configuration and CLI files, counted from their root (`[[1]]` is 2 deep). Real payloads nest a
 * dozen levels; past this, code that walks a value recursively (JSON.stringify, jsonc-parser,
 * Postgres' jsonb, JSONata's `**`) would run out of stack, so such input is refused with a clear
 * error instead. It stays below JSONata's own depth bound (300), so every value accepted can be
 * walked whole by an expression.
 */
export const MAX_JSON_DEPTH = 256;

/** Index of the quote that ends the string opening at `open` (the text's length if none does). */
function stringEnd(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    // A quote preceded by an odd number of backslashes is escaped.
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/**
 * Where JSON text (or the part of it from `start` to `end`, which sits `base` levels deep) first
 * nests deeper than `max`: the index of the bracket that opens the level too many, or -1. One
 * pass; strings are skipped with indexOf, so a 20 MB body takes a few tens of milliseconds. Also
 * safe on malformed text (it then answers about the brackets outside strings).
 */
export function depthExceededAt(
  text: string,
  start = 0,
  end = text.length,
  base = 0,
  max = MAX_JSON_DEPTH,
): number {
  let depth = base;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

/**
 * depthExceededAt over UTF-8 bytes (a request body as received): the byte offset, or -1. A byte
 * loop is about twice as fast as one over the decoded text (20 MB in about 20 ms), and no byte of
 * a multi-byte character is ASCII, so brackets and quotes are found exactly.
 */
export function depthExceededAtBytes(bytes: Uint8Array, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    let c = bytes[i] as number;
    if (c === 34) {
      // A string: to its closing quote, stepping over escaped characters.
      for (i++; i < n; i++) {
        c = bytes[i] as number;
        if (c === 92) i++;
        else if (c === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

interface Frame {
  array: boolean;
  index: number;
  /** Where the current member's key is in the text (objects). */
  keyStart: number;
  keyEnd: number;
}

const segment = (key: string) => `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** A member's key as text; as written when the text is not valid JSON there. */
function keyAt(text: string, frame: Frame): string {
  const raw = text.slice(frame.keyStart, frame.keyEnd);
  try {
    return String(JSON.parse(raw));
  } catch {
    return raw;
  }
}

/**
 * The JSON pointer of the value that starts at `offset` in valid JSON text. For error messages
 * only (a second pass up to `offset`): keys are located on the way and only those on the final
 * path are parsed.
 */
export function pointerAt(text: string, offset: number): string {
  const frames: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const close = stringEnd(text, i);
      const top = frames.at(-1);
      if (expectKey && top) {
        top.keyStart = i;
        top.keyEnd = close + 1;
        expectKey = false;
      }
      i = close;
    } else if (c === 123 || c === 91) {
      frames.push({ array: c === 91, index: 0, keyStart: -1, keyEnd: -1 });
      expectKey = c === 123;
    } else if (c === 93 || c === 125) {
      frames.pop();
      expectKey = false;
    } else if (c === 44) {
      const top = frames.at(-1);
      if (top?.array) top.index++;
      else expectKey = true;
    }
  }
  return frames.map((f) => segment(f.array ? String(f.index) : keyAt(text, f))).join("");
}
