import { describe, expect, it } from "vitest";
import { XmlInvalidError } from "../lib/engine/xml/xml-invalid-error";
import { MAX_XML_DEPTH, xmlToJson } from "../lib/engine/xml/xml-to-json";

/** The XmlInvalidError the text is refused with (fails the test when it converts). */
function refusal(text: string): XmlInvalidError {
  try {
    xmlToJson(text);
  } catch (error) {
    expect(error).toBeInstanceOf(XmlInvalidError);
    return error as XmlInvalidError;
  }
  throw new Error(`converted: ${text}`);
}

describe("XML payloads convert to JSON as SPEC-ENTITIES 7 decides", () => {
  it("makes the document element the one top-level key", () => {
    expect(xmlToJson("<customer><id>C001</id></customer>")).toEqual({
      customer: { id: "C001" },
    });
  });

  it("makes child elements keys, a repeated one an array in document order, a single one a value", () => {
    const xml =
      "<batch><reading><v>1</v></reading><meter>M1</meter><reading><v>2</v></reading><reading><v>3</v></reading></batch>";
    expect(xmlToJson(xml)).toEqual({
      batch: { reading: [{ v: "1" }, { v: "2" }, { v: "3" }], meter: "M1" },
    });
    expect(xmlToJson("<batch><reading><v>1</v></reading></batch>")).toEqual({
      batch: { reading: { v: "1" } },
    });
  });

  it("makes attributes keys prefixed with @", () => {
    expect(xmlToJson("<meter id=\"7\" type='gas'/>")).toEqual({
      meter: { "@id": "7", "@type": "gas" },
    });
    expect(xmlToJson('<m><meter id="7"><n>1</n></meter></m>')).toEqual({
      m: { meter: { "@id": "7", n: "1" } },
    });
  });

  it("makes an element with only text that string, and an empty element an empty string", () => {
    expect(xmlToJson("<a><b>text</b><c></c><d/></a>")).toEqual({ a: { b: "text", c: "", d: "" } });
    expect(xmlToJson("<a>  spaced  </a>")).toEqual({ a: "  spaced  " });
  });

  it("keeps text beside attributes or children under #text, without the indentation around it", () => {
    expect(xmlToJson('<value unit="kWh">12.5</value>')).toEqual({
      value: { "@unit": "kWh", "#text": "12.5" },
    });
    expect(xmlToJson("<a>hello<b>1</b></a>")).toEqual({ a: { "#text": "hello", b: "1" } });
    expect(xmlToJson('<value unit="kWh">\n  12.5\n</value>')).toEqual({
      value: { "@unit": "kWh", "#text": "12.5" },
    });
    expect(xmlToJson('<a x="1">\n  <b>1</b>\n</a>')).toEqual({ a: { "@x": "1", b: "1" } });
  });

  it("keeps every value a string: no number or boolean guessing", () => {
    expect(
      xmlToJson('<m n="007"><id>002800699425</id><v>12.50</v><ok>true</ok><z>null</z></m>'),
    ).toEqual({ m: { "@n": "007", id: "002800699425", v: "12.50", ok: "true", z: "null" } });
  });

  it("keeps namespace prefixes as written", () => {
    const xml =
      '<ns:batch xmlns:ns="urn:x" xmlns="urn:d"><ns:meter ns:id="1">M</ns:meter></ns:batch>';
    expect(xmlToJson(xml)).toEqual({
      "ns:batch": {
        "@xmlns:ns": "urn:x",
        "@xmlns": "urn:d",
        "ns:meter": { "@ns:id": "1", "#text": "M" },
      },
    });
  });

  it("reads CDATA as text and drops comments and processing instructions", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><!-- head --><a><?app do this?><b><![CDATA[<x> & y]]></b><!-- c --><c>1<![CDATA[2]]>3</c></a><!-- tail -->';
    expect(xmlToJson(xml)).toEqual({ a: { b: "<x> & y", c: "123" } });
  });

  it("expands only XML's five predefined entities and character references", () => {
    expect(xmlToJson('<a q="&quot;&apos;">&lt;&gt;&amp;&#65;&#x42;</a>')).toEqual({
      a: { "@q": "\"'", "#text": "<>&AB" },
    });
  });

  it("refuses a DOCTYPE, so no entity is ever declared or expanded", () => {
    const error = refusal('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "boom">]>\n<a>&x;</a>');
    expect(error.code).toBe("XML_INVALID");
    expect(error.message).toMatch(/DOCTYPE/);
    expect(error.line).toBe(2);
    const external = refusal('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>');
    expect(external.message).toMatch(/DOCTYPE/);
  });

  it("refuses a lone surrogate where it stands (the parser itself crashed on some)", () => {
    const error = refusal("<!\ud800");
    expect([error.line, error.column]).toEqual([1, 3]);
    expect(refusal("<a>\n x\udc00</a>").line).toBe(2);
    expect(xmlToJson("<a>\ud83d\ude00</a>")).toEqual({ a: "\ud83d\ude00" });
  });

  it("refuses an undeclared entity", () => {
    expect(refusal("<a>&x;</a>").message).toMatch(/undefined entity/);
  });

  it("reports malformed XML with its line and column", () => {
    const error = refusal("<a>\n  <b>1</b>\n  <c>2</d>\n</a>");
    expect(error.code).toBe("XML_INVALID");
    expect(error.line).toBe(3);
    expect(error.column).toBeGreaterThan(1);
    expect(error.message).toMatch(/at line 3, column \d+$/);
    expect(error.offset).toBeGreaterThan(0);
  });

  it.each([
    ["empty text", ""],
    ["whitespace", "  \n"],
    ["plain text", "hello"],
    ["JSON", '{"a":1}'],
    ["two document elements", "<a/><b/>"],
    ["an unclosed element", "<a><b></b>"],
    ["text after the document element", "<a/>x"],
    ["a bare ampersand", "<a>x & y</a>"],
    ["a duplicate attribute", '<a x="1" x="2"/>'],
    ["an unquoted attribute", "<a x=1/>"],
  ])("refuses %s", (_what, text) => {
    expect(refusal(text).code).toBe("XML_INVALID");
  });

  it("refuses elements nested deeper than the JSON depth the server accepts", () => {
    const ok = "<a>".repeat(MAX_XML_DEPTH) + "</a>".repeat(MAX_XML_DEPTH);
    expect(() => xmlToJson(ok)).not.toThrow();
    const deep = "<a>".repeat(MAX_XML_DEPTH + 1) + "</a>".repeat(MAX_XML_DEPTH + 1);
    expect(refusal(deep).message).toMatch(/deeper than 128/);
  });

  it("keeps element names such as __proto__ and constructor as own keys", () => {
    const value = xmlToJson(
      "<__proto__><constructor>1</constructor><constructor>2</constructor><toString/></__proto__>",
    );
    expect(JSON.stringify(value)).toBe('{"__proto__":{"constructor":["1","2"],"toString":""}}');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("accepts a byte order mark and an XML declaration", () => {
    expect(xmlToJson('\uFEFF<?xml version="1.0" encoding="UTF-8" standalone="yes"?><a/>')).toEqual({
      a: "",
    });
  });

  it("returns plain JSON data: stringifying and parsing it gives the same value", () => {
    const value = xmlToJson('<a x="1"><b>2</b><b><c>3</c></b>t</a>');
    expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });
});
