/**
 * JSON text for fuzzing. Generated values are small trees that may hold `RawJson` pieces: text
 * spliced in as is, for what a JS value cannot carry or `JSON.stringify` cannot write (nesting
 * 50,000 levels deep overflows its stack at about 5,000; `1e999`; duplicate keys).
 */
export class RawJson {
  constructor(
    readonly text: string,
    /** How the piece is shown in a reproducer instead of its (maybe megabytes of) text. */
    readonly label: string,
  ) {}
}

/** The JSON text of a generated value; `RawJson` pieces go in verbatim. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const parts = Object.keys(value).map(
      (k) => `${JSON.stringify(k)}:${toJsonText((value as Record<string, unknown>)[k])}`,
    );
    return `{${parts.join(",")}}`;
  }
  // undefined has no JSON text: as in an array, it becomes null.
  return JSON.stringify(value) ?? "null";
}

/** An object with exactly these own keys, `__proto__` included (a literal would set the prototype). */
export function objectOf(
  entries: readonly (readonly [string, unknown])[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

/** `depth` levels of arrays or of objects around `inner`. */
export function deepJson(depth: number, kind: "array" | "object", inner = "1"): RawJson {
  const [open, close] = kind === "array" ? ["[", "]"] : ['{"a":', "}"];
  return new RawJson(
    `${open.repeat(depth)}${inner}${close.repeat(depth)}`,
    `<${kind}s nested ${depth} levels>`,
  );
}

/**
 * A short, safe text of a value for a report: long strings and RawJson pieces are labelled,
 * characters that would garble a terminal or a Markdown table are escaped.
 */
export function describeJson(value: unknown, max = 600): string {
  const text = summarise(value, 0);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

function summarise(value: unknown, depth: number): string {
  if (value instanceof RawJson) return value.label;
  if (depth > 12) return "…";
  if (typeof value === "string") {
    const shown = value.length > 80 ? `${value.slice(0, 40)}…<${value.length} chars>` : value;
    return JSON.stringify(shown).replace(/[\u007f-\u009f\u2028\u2029\ud800-\udfff]/g, escapeChar);
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((v) => summarise(v, depth + 1));
    if (value.length > 8) items.push(`…${value.length} items`);
    return `[${items.join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    const items = keys
      .slice(0, 10)
      .map(
        (k) =>
          `${summarise(k, depth + 1)}:${summarise((value as Record<string, unknown>)[k], depth + 1)}`,
      );
    if (keys.length > 10) items.push(`…${keys.length} keys`);
    return `{${items.join(",")}}`;
  }
  return String(JSON.stringify(value));
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Printable text of raw bytes for a report: the start, with what is not printable escaped. */
export function describeBytes(bytes: Uint8Array | string, max = 200): string {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
  const text = buffer.toString("latin1");
  const shown = text
    .slice(0, max)
    .replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return text.length > max ? `${shown}… (${text.length} bytes)` : shown;
}
