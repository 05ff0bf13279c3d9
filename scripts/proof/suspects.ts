import { PROTOTYPE_KEYS } from "./arbitraries/hostile-values";

const PROTOTYPE = new Set<string>(PROTOTYPE_KEYS);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const DEPTH_LIMIT = 100;

/** A key as a path step: control characters and surrogates shown as "?". */
function printable(key: string): string {
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    out += code < 0x20 || (code >= 0xd800 && code <= 0xdfff) ? "?" : key[i];
  }
  return out;
}

/**
 * What in a request body is likely to have hurt the server: NUL, lone surrogates, prototype
 * keys, long strings and arrays, deep nesting, each with its JSON pointer (array positions as
 * `*`), or why the body is not JSON at all. Findings are told apart by these, so two 500s with
 * different causes on the same route are two findings.
 */
export function suspects(body: string | Uint8Array | undefined): string[] {
  if (body === undefined) return [];
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.includes("\ufffd") && !bytes.includes(Buffer.from("\ufffd")))
    return ["bytes that are not UTF-8"];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return ["not JSON"];
  }
  const found = new Set<string>();
  const walk = (v: unknown, path: string, depth: number) => {
    if (found.size >= 4) return;
    if (depth > DEPTH_LIMIT) {
      found.add(`nested deeper than ${DEPTH_LIMIT} at ${path || "/"}`);
      return;
    }
    if (typeof v === "string") {
      if (v.includes("\u0000")) found.add(`NUL at ${path || "/"}`);
      if (LONE_SURROGATE.test(v)) found.add(`lone surrogate at ${path || "/"}`);
      if (v.length > 10_000) found.add(`${v.length}-character string at ${path || "/"}`);
    } else if (Array.isArray(v)) {
      if (v.length > 1_000) found.add(`${v.length}-element array at ${path || "/"}`);
      for (const item of v.slice(0, 50)) walk(item, `${path}/*`, depth + 1);
    } else if (v !== null && typeof v === "object") {
      for (const key of Object.keys(v)) {
        const at = `${path}/${printable(key)}`;
        if (PROTOTYPE.has(key)) found.add(`key ${key} at ${path || "/"}`);
        if (key.includes("\u0000") || LONE_SURROGATE.test(key))
          found.add(`odd key at ${path || "/"}`);
        walk((v as Record<string, unknown>)[key], at, depth + 1);
      }
    } else if (typeof v === "number" && !Number.isFinite(v))
      found.add(`number out of range at ${path}`);
  };
  walk(value, "", 0);
  return [...found].slice(0, 4);
}

/** Suspects of a request's path: escapes that are not UTF-8, NUL, very long segments. */
export function pathSuspects(path: string): string[] {
  const out: string[] = [];
  try {
    const decoded = decodeURIComponent(path);
    if (decoded.includes("\u0000")) out.push("NUL in the path");
    if (decoded.includes("\ufffd")) out.push("U+FFFD in the path");
  } catch {
    out.push("a path escape that does not decode");
  }
  if (path.length > 2_000) out.push(`${path.length}-character path`);
  return out;
}
