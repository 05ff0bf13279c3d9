import type { SaxesParser, SaxesTagPlain } from "saxes";

/**
 * How deep elements may nest. Each level adds at most two JSON levels (an object, and an array
 * when the element repeats), so the converted value stays within the JSON depth the server
 * accepts anywhere (MAX_JSON_DEPTH, 256).
 */
export const MAX_XML_DEPTH = 128;

export type XmlObject = Record<string, unknown>;

/** A failure found while building, thrown out of the parser's handler and located afterwards. */
export class Refused {
  constructor(readonly reason: string) {}
}

function isXmlSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13;
}

/**
 * Without XML's whitespace at either end: not String.trim, which also eats no-break spaces, and
 * not a regular expression, which backtracks quadratically over a long run of spaces.
 */
function trimXmlSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Sets a key as JSON.parse would: `__proto__` becomes an own key, never the prototype. */
function put(target: XmlObject, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else target[key] = value;
}

/** Adds a converted child under its name: a repeated name becomes an array in document order. */
function addChild(parent: XmlObject, name: string, value: unknown): void {
  if (!Object.hasOwn(parent, name)) put(parent, name, value);
  else {
    const existing = parent[name];
    // Converted values are strings or objects, so an array can only come from a repetition.
    if (Array.isArray(existing)) existing.push(value);
    else put(parent, name, [existing, value]);
  }
}

/** The value an element converts to, once it is closed: its object, else its text. */
function closedValue(own: XmlObject | null, rawText: string): unknown {
  if (own === null) return rawText;
  // Beside attributes and children, whitespace at the edges is the document's indentation, not
  // data: `<value unit="kWh">\n  12.5\n</value>` keeps "12.5", and indentation alone no `#text`.
  const text = trimXmlSpace(rawText);
  if (text !== "") own["#text"] = text;
  return own;
}

/**
 * Builds the JSON of SPEC-ENTITIES 7 from a strict parser's events, in the one pass the parser
 * makes: feed it the text (whole or in slices), close it, then read the result. A refusal is
 * thrown out of the parser's write as `Refused`. The open elements live in three parallel stacks
 * rather than an object each: a 20 MB payload opens a million elements, and the garbage
 * collector's share of the conversion was the largest.
 */
export function attachBuilder(parser: SaxesParser): () => XmlObject {
  const names: string[] = [];
  // An element's object is made when it gets an attribute or a child; null until then.
  const values: (XmlObject | null)[] = [];
  const texts: string[] = [];
  let depth = 0;
  let root: XmlObject | null = null;
  parser.on("doctype", () => {
    throw new Refused("DOCTYPE and entity declarations are not allowed");
  });
  parser.on("error", (error) => {
    throw new Refused(error.message.replace(/^\d+:\d+: /, "").replace(/\.$/, ""));
  });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    if (depth >= MAX_XML_DEPTH)
      throw new Refused(`elements nest deeper than ${MAX_XML_DEPTH} levels`);
    let value: XmlObject | null = null;
    const attributes = tag.attributes;
    for (const name in attributes) {
      value ??= {};
      // "@..." is never "__proto__": a plain assignment is safe here.
      value[`@${name}`] = attributes[name];
    }
    names[depth] = tag.name;
    values[depth] = value;
    texts[depth] = "";
    depth++;
  });
  const onText = (chunk: string) => {
    // Outside the document element only whitespace gets here (the parser refuses the rest).
    if (depth > 0) texts[depth - 1] += chunk;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    depth--;
    const name = names[depth] as string;
    const own = values[depth] ?? null;
    const text = texts[depth] as string;
    values[depth] = null;
    texts[depth] = "";
    const value = closedValue(own, text);
    if (depth === 0) {
      root = {};
      put(root, name, value);
      return;
    }
    let parent = values[depth - 1] ?? null;
    if (parent === null) {
      parent = {};
      values[depth - 1] = parent;
    }
    addChild(parent, name, value);
  });
  // Closing without a document element is the parser's own error, so a closed parser has one.
  return () => root as unknown as XmlObject;
}
