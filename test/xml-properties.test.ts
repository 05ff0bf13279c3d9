import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { XmlInvalidError } from "../lib/engine/xml/xml-invalid-error";
import { xmlToJson } from "../lib/engine/xml/xml-to-json";
import { xmlToJsonSliced } from "../lib/engine/xml/xml-to-json-sliced";

/**
 * Properties of the XML conversion (SPEC-ENTITIES 7): random element trees, written out as XML in
 * varied but equivalent ways, convert to exactly the JSON the rules give; arbitrary text converts
 * or is refused with XML_INVALID, never anything else.
 */

interface Tree {
  name: string;
  attributes: [string, string][];
  /** Text before the children (never only whitespace, so the expectation stays simple). */
  text: string;
  children: Tree[];
}

// Few names, so repetitions (arrays) and clashes with JavaScript's own keys happen often.
const NAME = fc.constantFrom(
  "a",
  "b",
  "reading",
  "ns:meter",
  "x-y",
  "_v.1",
  "constructor",
  "__proto__",
);

/** Characters XML 1.0 allows, with markup characters and whitespace among them. */
const CHAR = fc.oneof(
  fc.constantFrom("<", ">", "&", '"', "'", "]]>", " ", "\t", "\n", "\r", "0", "é", "😀"),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 3 }),
);
const TEXT = fc.array(CHAR, { maxLength: 6 }).map((parts) => parts.join(""));

/** Markup characters escaped; whitespace XML would normalise written as character references. */
function escapeXml(text: string, inAttribute: boolean): string {
  let out = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  out = out.replace(/\r/g, "&#13;");
  if (inAttribute) out = out.replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
  return out;
}

/** The text as XML: escaped, or (when it can be) in a CDATA section. */
function writeText(text: string, cdata: boolean): string {
  if (cdata && !text.includes("]]>") && !text.includes("\r")) return `<![CDATA[${text}]]>`;
  return escapeXml(text, false);
}

/** Trees at most `levels` deep: leaves at 0. */
function treeOf(levels: number): fc.Arbitrary<Tree> {
  return fc.record({
    name: NAME,
    attributes: fc.uniqueArray(fc.tuple(NAME, TEXT), { maxLength: 3, selector: ([n]) => n }),
    text: TEXT.filter((t) => t === "" || /[^ \t\r\n]/.test(t)),
    children: levels === 0 ? fc.constant([]) : fc.array(treeOf(levels - 1), { maxLength: 4 }),
  });
}
const tree = treeOf(4);

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n";
}

function trimXml(text: string): string {
  let s = 0;
  let e = text.length;
  while (s < e && isSpace(text[s] as string)) s++;
  while (e > s && isSpace(text[e - 1] as string)) e--;
  return text.slice(s, e);
}

/** What SPEC-ENTITIES 7 says the element converts to, written independently of the converter. */
function expected(node: Tree): unknown {
  if (node.attributes.length === 0 && node.children.length === 0) return node.text;
  const entries: [string, unknown][] = node.attributes.map(([n, v]) => [`@${n}`, v]);
  const groups = new Map<string, unknown[]>();
  for (const child of node.children) {
    const list = groups.get(child.name) ?? [];
    list.push(expected(child));
    groups.set(child.name, list);
  }
  for (const [name, values] of groups)
    entries.push([name, values.length === 1 ? values[0] : values]);
  const text = trimXml(node.text);
  if (text !== "") entries.push(["#text", text]);
  // Built through JSON text so that "__proto__" is an own key, as JSON.parse makes it.
  return JSON.parse(
    `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`,
  );
}

/** The tree as XML; `style` varies quoting, CDATA, self-closing tags and indentation. */
function write(node: Tree, style: number, indent: string): string {
  const quote = style & 1 ? '"' : "'";
  const attrs = node.attributes
    .map(([n, v]) => ` ${n}=${quote}${escapeXml(v, true).replace(/'/g, "&apos;")}${quote}`)
    .join("");
  if (node.text === "" && node.children.length === 0 && style & 2) return `<${node.name}${attrs}/>`;
  const pretty = style & 4 && node.children.length > 0;
  const inner = `${indent}  `;
  const children = node.children
    .map((c) => (pretty ? `\n${inner}` : "") + write(c, style, inner))
    .join("");
  const text = writeText(node.text, (style & 8) !== 0);
  const comment = style & 16 ? "<!-- note -->" : "";
  return `<${node.name}${attrs}>${text}${comment}${children}${pretty ? `\n${indent}` : ""}</${node.name}>`;
}

describe("XML conversion properties", () => {
  it("converts random element trees exactly as SPEC-ENTITIES 7 specifies", () => {
    fc.assert(
      fc.property(tree, fc.nat(31), (root, style) => {
        const xml = `${style & 16 ? '<?xml version="1.0"?>\n' : ""}${write(root, style, "")}`;
        const value = xmlToJson(xml);
        const want = JSON.parse(`{${JSON.stringify(root.name)}:${JSON.stringify(expected(root))}}`);
        expect(JSON.stringify(value)).toBe(JSON.stringify(want));
      }),
      { numRuns: 400 },
    );
  });

  it("never throws anything but XML_INVALID on arbitrary text", () => {
    const markupish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            "<",
            ">",
            "</",
            "/>",
            "<!",
            "<?",
            "?>",
            "&",
            ";",
            "=",
            '"',
            "a",
            "<a>",
            "</a>",
            "<![CDATA[",
            "]]>",
            "<!DOCTYPE a>",
            "&amp;",
            "&#0;",
            "&#xD800;",
            "\u0000",
            "\uFFFF",
            "\uD800",
          ),
          fc.string({ maxLength: 4 }),
        ),
        { maxLength: 20 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 60 }), markupish), (text) => {
        try {
          const value = xmlToJson(text);
          expect(Object.keys(value)).toHaveLength(1);
        } catch (error) {
          expect(error).toBeInstanceOf(XmlInvalidError);
          const e = error as XmlInvalidError;
          expect(e.code).toBe("XML_INVALID");
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("converts in slices to the very value, or the very error, of the one-piece conversion", async () => {
    const noPause = () => Promise.resolve();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(tree, fc.nat(31)).map(([root, style]) => write(root, style, "")),
          fc.string({ unit: "grapheme", maxLength: 40 }),
        ),
        fc.integer({ min: 1, max: 9 }),
        async (xml, size) => {
          let whole: unknown;
          try {
            whole = xmlToJson(xml);
          } catch (error) {
            whole = { ...(error as XmlInvalidError), message: (error as Error).message };
          }
          let sliced: unknown;
          try {
            sliced = await xmlToJsonSliced(xml, noPause, size);
          } catch (error) {
            expect(error).toBeInstanceOf(XmlInvalidError);
            sliced = { ...(error as XmlInvalidError), message: (error as Error).message };
          }
          expect(JSON.stringify(sliced)).toBe(JSON.stringify(whole));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("trims text beside children at both ends, and keeps an element's only text whole, however whitespace, comments and CDATA split it", async () => {
    // Pieces of content as written, and the text each is once read.
    const PIECE = fc.constantFrom(
      { xml: " ", text: " " },
      { xml: "\n    ", text: "\n    " },
      { xml: "\t", text: "\t" },
      { xml: "\r\n", text: "\n" },
      { xml: "x", text: "x" },
      { xml: " y z ", text: " y z " },
      { xml: "<![CDATA[ ]]>", text: " " },
      { xml: "<![CDATA[ c ]]>", text: " c " },
      { xml: "<!-- note -->", text: "" },
      { xml: "<?app do?>", text: "" },
      { xml: "&#32;", text: " " },
      { xml: "&#160;", text: "\u00a0" },
    );
    // Content: a piece of the element's own text (child null), or a child with a piece as its text.
    const CONTENT = fc.record({
      child: fc.constantFrom(null, "b", "c", "__proto__"),
      piece: PIECE,
    });
    const ATTRIBUTES = fc.constantFrom<[string, string][]>(
      [],
      [["k", "v"]],
      [
        ["k", " v "],
        ["l", ""],
      ],
    );
    await fc.assert(
      fc.asyncProperty(
        ATTRIBUTES,
        fc.array(CONTENT, { maxLength: 10 }),
        fc.integer({ min: 1, max: 9 }),
        async (attributes, content, size) => {
          const inner = content.map(({ child, piece }) =>
            child === null ? piece.xml : `<${child}>${piece.xml}</${child}>`,
          );
          const attrs = attributes.map(([n, v]) => ` ${n}="${v}"`).join("");
          const xml = `<a${attrs}>${inner.join("")}</a>`;
          const own = content.map((c) => (c.child === null ? c.piece.text : "")).join("");
          const groups = new Map<string, string[]>();
          for (const { child, piece } of content)
            if (child !== null) groups.set(child, [...(groups.get(child) ?? []), piece.text]);
          let want: string;
          if (attributes.length === 0 && groups.size === 0) want = JSON.stringify({ a: own });
          else {
            const entries = attributes.map(([n, v]) => `"@${n}":${JSON.stringify(v)}`);
            for (const [name, texts] of groups)
              entries.push(`"${name}":${JSON.stringify(texts.length === 1 ? texts[0] : texts)}`);
            if (trimXml(own) !== "") entries.push(`"#text":${JSON.stringify(trimXml(own))}`);
            want = `{"a":{${entries.join(",")}}}`;
          }
          expect(JSON.stringify(xmlToJson(xml))).toBe(want);
          const sliced = await xmlToJsonSliced(xml, () => Promise.resolve(), size);
          expect(JSON.stringify(sliced)).toBe(want);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("yields between slices of a large payload", async () => {
    const xml = `<r>${"<a x='1'>text</a>".repeat(100_000)}</r>`;
    let pauses = 0;
    const value = await xmlToJsonSliced(xml, async () => {
      pauses++;
    });
    expect((value.r as { a: unknown[] }).a).toHaveLength(100_000);
    expect(pauses).toBeGreaterThan(5);
  });
});
