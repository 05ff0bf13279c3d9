import { SaxesParser } from "saxes";
import { attachBuilder, Refused, type XmlObject } from "./xml-builder";
import { XmlInvalidError } from "./xml-invalid-error";

export { MAX_XML_DEPTH } from "./xml-builder";

/** Feeds the text to a new parser and builds its JSON; throws Refused. */
function convert(text: string, position: boolean): { parser: SaxesParser; run: () => XmlObject } {
  const parser = new SaxesParser({ position });
  const result = attachBuilder(parser);
  return {
    parser,
    run: () => {
      parser.write(text).close();
      return result();
    },
  };
}

/**
 * The XmlInvalidError for a refusal, at the place the parser stopped. Line and column are counted
 * from that offset (as for malformed JSON), not taken from the parser, whose column depends on
 * where the text was cut into slices.
 */
export function xmlInvalidAt(parser: SaxesParser, refused: Refused, text: string): XmlInvalidError {
  return xmlInvalidAtOffset(refused.reason, text, Math.min(parser.position, text.length));
}

function xmlInvalidAtOffset(reason: string, text: string, offset: number): XmlInvalidError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const code = text.charCodeAt(i);
    // XML ends lines with \n, \r\n or a lone \r.
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return new XmlInvalidError(reason, line, offset - lineStart + 1, offset);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A lone surrogate is no XML character, and the parser itself crashes on some (a RangeError, not
 * a well-formedness error): such text is refused before it is parsed, at the character.
 */
export function refuseLoneSurrogates(text: string): void {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed?.();
  if (wellFormed === true) return;
  const at = LONE_SURROGATE.exec(text)?.index;
  if (at === undefined) return;
  throw xmlInvalidAtOffset("a lone surrogate (U+D800 to U+DFFF) is not an XML character", text, at);
}

/**
 * Converts an XML payload to the JSON a mapping sees (SPEC-ENTITIES 7): the document element is
 * the one top-level key, children are keys (repeated ones arrays), attributes `@name`, text
 * beside attributes or children `#text`, every value a string. DOCTYPE is refused, so no entity
 * is ever declared or expanded (only XML's five predefined ones and character references).
 * Throws XmlInvalidError, and nothing else, for text that is not such a document.
 */
export function xmlToJson(text: string): XmlObject {
  refuseLoneSurrogates(text);
  // Counting lines costs a fifth of the parse: convert without, and parse again to say where
  // only when the text is refused.
  try {
    return convert(text, false).run();
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
  }
  const located = convert(text, true);
  try {
    located.run();
  } catch (error) {
    if (error instanceof Refused) throw xmlInvalidAt(located.parser, error, text);
    throw error;
  }
  // Unreachable: the same text is refused the same way whether positions are tracked or not.
  throw new XmlInvalidError("the XML could not be read", 1, 1, 0);
}
