import { type ParseError, printParseErrorCode } from "jsonc-parser";
import type { ValidationResult } from "../engine/config-problems";
import { validateConfig } from "../engine/validate-config";
import { MAX_JSON_DEPTH } from "../json/json-depth";
import { parseDocument } from "./json-document";

/** What the editor knows about its text after one validation. */
export interface ConfigTextValidation {
  /** The text validated. */
  text: string;
  /** The parsed configuration; undefined when the text is not JSON. */
  config: unknown;
  /** The first JSON syntax error (Monaco marks it), or null. */
  parseError: { message: string; offset: number } | null;
  /** The engine's validation; null when the text is not JSON. */
  validation: ValidationResult | null;
}

const MESSAGES: Record<string, string> = {
  InvalidSymbol: "Invalid symbol",
  InvalidNumberFormat: "Invalid number",
  PropertyNameExpected: "Property name expected",
  ValueExpected: "Value expected",
  ColonExpected: "Colon expected",
  CommaExpected: "Comma expected",
  CloseBraceExpected: "Closing brace expected",
  CloseBracketExpected: "Closing bracket expected",
  EndOfFileExpected: "End of file expected",
  InvalidCommentToken: "Comments are not allowed in JSON",
  UnexpectedEndOfComment: "Comments are not allowed in JSON",
  UnexpectedEndOfString: "Unterminated string",
  UnexpectedEndOfNumber: "Unexpected end of number",
  InvalidUnicode: "Invalid unicode escape",
  InvalidEscapeCharacter: "Invalid escape character",
  InvalidCharacter: "Invalid character in string",
};

function parseErrorMessage(error: ParseError): string {
  const name = printParseErrorCode(error.error);
  return MESSAGES[name] ?? name;
}

/** Parses the editor's text as strict JSON and, when it parses, validates the configuration. */
export function validateConfigText(text: string): ConfigTextValidation {
  if (text.trim() === "") {
    return {
      text,
      config: undefined,
      parseError: { message: "The configuration is empty; {} is the empty one", offset: 0 },
      validation: null,
    };
  }
  const { errors, tooDeepAt } = parseDocument(text);
  if (tooDeepAt !== undefined) {
    const message = `Nested deeper than ${MAX_JSON_DEPTH} levels`;
    return {
      text,
      config: undefined,
      parseError: { message, offset: tooDeepAt },
      validation: null,
    };
  }
  const first = errors[0];
  if (first) {
    return {
      text,
      config: undefined,
      parseError: { message: parseErrorMessage(first), offset: first.offset },
      validation: null,
    };
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    // jsonc-parser is a little more lenient than JSON.parse (e.g. about control characters).
    const message = error instanceof Error ? error.message : String(error);
    return { text, config: undefined, parseError: { message, offset: 0 }, validation: null };
  }
  return { text, config, parseError: null, validation: validateConfig(config) };
}
