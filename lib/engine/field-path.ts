import { compilePathSteps, type FastGetter } from "./fast-expression";

// A name may start with `@` or `#` (an XML attribute, `#text`: SPEC-ENTITIES 7) and hold `:` (a
// namespace prefix as written); none of these makes a valid JSONata path, so nothing changes meaning.
const SEGMENT = /^[@#]?[A-Za-z_][A-Za-z0-9_:-]*$/;

export interface PlainPath {
  fast: FastGetter;
  /** The same path as a JSONata expression (names backquoted), for data only JSONata can walk. */
  jsonata: string;
}

/**
 * Parses a plain `field` path: `meterId`, `a.b`, `$.a.b`, `$$.a.b`, `meter.@id`, `value.#text`. Null for anything else, which
 * is then evaluated as a JSONata expression (backquoted names, predicates, functions ...).
 */
export function parsePlainPath(path: string): PlainPath | null {
  let rest = path.trim();
  let prefix = "";
  if (rest === "$$" || rest.startsWith("$$.")) prefix = "$$";
  else if (rest === "$" || rest.startsWith("$.")) prefix = "$";
  rest = rest.slice(prefix.length);
  if (prefix && rest.startsWith(".")) rest = rest.slice(1);
  const segments = rest === "" ? [] : rest.split(".");
  if (!segments.every((s) => SEGMENT.test(s))) return null;
  if (!prefix && segments.length === 0) return null;
  // Backquotes keep `meter-id` a name rather than a subtraction.
  const names = segments.map((s) => `\`${s}\``);
  return {
    fast: compilePathSteps(prefix === "$$", segments),
    jsonata: [...(prefix ? [prefix] : []), ...names].join("."),
  };
}
