import type { SaxesAttributePlain, SaxesParser, SaxesTagPlain } from "saxes";

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

/** XML's whitespace only (or nothing). */
function isXmlSpaceOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isXmlSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Without XML's whitespace at the start. */
function trimXmlSpaceStart(text: string): string {
  let start = 0;
  while (start < text.length && isXmlSpace(text.charCodeAt(start))) start++;
  return start === 0 ? text : text.slice(start);
}

/** A name met at some depth: the name as a property key, and the value it had there last. */
interface NameSeen {
  /** The name as V8 keeps property keys (internalized): reading and writing by it is quick. */
  readonly name: string;
  /** The key its value is stored under: the name itself, or `@name` for an attribute. */
  readonly key: string;
  last: string;
}

/** How many names each depth remembers (a document of many names still converts, more slowly). */
const NAMES_PER_DEPTH = 32;

/** The string as a property key: V8 makes keys unique, so equal keys are then one string. */
function asKey(text: string): string {
  const holder: Record<string, true> = Object.create(null);
  holder[text] = true;
  return Object.keys(holder)[0] ?? text;
}

/** The names met at one depth, made when the depth is first reached. */
function listAt(lists: NameSeen[][], depth: number): NameSeen[] {
  let list = lists[depth];
  if (list === undefined) {
    list = [];
    lists[depth] = list;
  }
  return list;
}

/** The entry for `name` among the names a depth has met, added if new. */
function seenAmong(list: NameSeen[], name: string, attribute: boolean): NameSeen {
  for (let i = 0; i < list.length; i++) {
    const seen = list[i] as NameSeen;
    if (seen.name === name) return seen;
  }
  const key = asKey(name);
  const seen: NameSeen = { name: key, key: attribute ? asKey(`@${name}`) : key, last: "" };
  if (list.length < NAMES_PER_DEPTH) list.push(seen);
  return seen;
}

/**
 * Builds the JSON of SPEC-ENTITIES 7 from a strict parser's events, in the one pass the parser
 * makes: feed it the text (whole or in slices), close it, then read the result. A refusal is
 * thrown out of the parser's write as `Refused`.
 *
 * Most of a conversion is the parser and the garbage collector copying what the result keeps out
 * of the young generation, so the builder allocates little beside the result and keeps fewer
 * strings in it:
 * - the open elements live in three parallel stacks rather than an object each (a 20 MB payload
 *   opens a million elements);
 * - objects are made as `{}`. A literal that names the prototype (`{ __proto__: ... }`) gets V8
 *   to allocate the objects the result keeps in the old generation, but each one costs a call into
 *   the runtime: the conversion was 3-15% slower that way (alternated in one process, default
 *   and the import thread's heap flags);
 * - the parser gives every name as a new string, and reading or writing a property by a string
 *   V8 has not made a key yet means looking it up in V8's table of keys first. So each depth keeps
 *   the names it met as keys (`asKey`), found by comparing the new string with them (short
 *   strings, most of a different length): a name's key, its `@` key and the value it had last
 *   come from one small list, without hashing the name;
 * - attributes come one by one from the parser's `attribute` event, not by enumerating the tag's
 *   attribute object (a dictionary, slow to enumerate);
 * - a value equal to the one the same name had last at that depth reuses that string, so the
 *   values a payload repeats (units, codes, sources) are kept once, much as JSON.parse keeps short
 *   strings once (comparing costs less than the copies it saves: 2-8% faster in 7 of 8 runs);
 * - the indentation between child elements is never concatenated: text beside children is trimmed
 *   at both ends, so whitespace before the first non-space text of such an element is dropped as
 *   it comes (an element with only text keeps all of it).
 * Seven handlers at most: saxes adds each as a property of the parser, and with an eighth (say
 * `opentagstart`) V8 turns the parser into a dictionary object, which made the whole parse twice
 * as slow (Node 20, saxes 6.0.0). That is why the first attribute opens its element.
 */
export function attachBuilder(parser: SaxesParser): () => XmlObject {
  const names: NameSeen[] = [];
  // An element's object is made when it gets an attribute or a child; null until then.
  const values: (XmlObject | null)[] = [];
  // The element's text so far, without the whitespace that would be trimmed from its start once
  // it has an object.
  const texts: string[] = [];
  let depth = 0;
  let root: XmlObject | null = null;
  const elementsAt: NameSeen[][] = [];
  const attributesAt: NameSeen[][] = [];
  /** The text, or the equal string the same name had last at its depth. */
  const sameAsLast = (seen: NameSeen, text: string): string => {
    if (text === seen.last) return seen.last;
    seen.last = text;
    return text;
  };
  parser.on("doctype", () => {
    throw new Refused("DOCTYPE and entity declarations are not allowed");
  });
  parser.on("error", (error) => {
    throw new Refused(error.message.replace(/^\d+:\d+: /, "").replace(/\.$/, ""));
  });
  // A start tag's attributes come before the tag itself: the first one opens the element.
  let attributesOpened = false;
  parser.on("attribute", (attribute: SaxesAttributePlain) => {
    if (!attributesOpened) {
      values[depth] = {};
      texts[depth] = "";
      depth++;
      attributesOpened = true;
    }
    const seen = seenAmong(listAt(attributesAt, depth - 1), attribute.name, true);
    let text = attribute.value;
    if (text === seen.last) text = seen.last;
    else seen.last = text;
    // "@..." is never "__proto__": a plain assignment is safe here.
    (values[depth - 1] as XmlObject)[seen.key] = text;
  });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    if (attributesOpened) attributesOpened = false;
    else {
      values[depth] = null;
      texts[depth] = "";
      depth++;
    }
    if (depth > MAX_XML_DEPTH)
      throw new Refused(`elements nest deeper than ${MAX_XML_DEPTH} levels`);
    names[depth - 1] = seenAmong(listAt(elementsAt, depth - 1), tag.name, false);
  });
  const onText = (chunk: string) => {
    // Outside the document element only whitespace gets here (the parser refuses the rest).
    if (depth === 0) return;
    const top = depth - 1;
    const text = texts[top] as string;
    if (text === "" && values[top] !== null && isXmlSpaceOnly(chunk)) return;
    texts[top] = text + chunk;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    depth--;
    const seen = names[depth] as NameSeen;
    const name = seen.name;
    const own = values[depth] ?? null;
    const text = texts[depth] as string;
    values[depth] = null;
    texts[depth] = "";
    let value: unknown;
    if (own === null) value = sameAsLast(seen, text);
    else {
      // Beside attributes or children, whitespace at the edges is the document's indentation,
      // not data: `<value unit="kWh">\n  12.5\n</value>` keeps "12.5", indentation alone no #text.
      if (text !== "") {
        const trimmed = trimXmlSpace(text);
        if (trimmed !== "") own["#text"] = sameAsLast(seen, trimmed);
      }
      value = own;
    }
    if (depth === 0) {
      root = {};
      put(root, name, value);
      return;
    }
    const above = depth - 1;
    const parent = values[above] ?? null;
    if (parent === null) {
      // The first child makes the parent's object, so its text so far loses its leading
      // whitespace (it would be trimmed at the end).
      const created: XmlObject = {};
      put(created, name, value);
      values[above] = created;
      const parentText = texts[above] as string;
      if (parentText !== "") texts[above] = trimXmlSpaceStart(parentText);
      return;
    }
    // Converted values are strings or objects, so an array can only come from a repetition;
    // undefined is never a value, so a first child costs one lookup.
    const existing = parent[name];
    if (existing === undefined || !Object.hasOwn(parent, name)) put(parent, name, value);
    else if (Array.isArray(existing)) existing.push(value);
    else put(parent, name, [existing, value]);
  });
  // Closing without a document element is the parser's own error, so a closed parser has one.
  return () => root as unknown as XmlObject;
}
