import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { depthExceededAt, MAX_JSON_DEPTH, pointerAt } from "./json-depth";

export interface JsonSyntaxError {
  message: string;
  /** 0-based character offset of the error. */
  offset: number;
  /** 1-based line and column, for people. */
  line: number;
  column: number;
  /**
   * Set when the text nests deeper than MAX_JSON_DEPTH: the JSON pointer of the value that opens
   * the level too many ("" when the text is not valid JSON either).
   */
  tooDeep?: { path: string; maxDepth: number };
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

const READABLE: Record<string, string> = {
  InvalidSymbol: "invalid symbol",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "property name expected",
  ValueExpected: "value expected",
  ColonExpected: "colon expected",
  CommaExpected: "comma expected",
  CloseBraceExpected: "closing brace expected",
  CloseBracketExpected: "closing bracket expected",
  EndOfFileExpected: "end of input expected",
  InvalidCommentToken: "comments are not allowed",
  UnexpectedEndOfComment: "unexpected end of comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unexpected end of number",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character",
};

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The failure for text nested deeper than MAX_JSON_DEPTH, at the bracket that goes too deep. */
export function tooDeepError(text: string, offset: number, valid: boolean): JsonParseResult {
  const { line, column } = lineAndColumn(text, offset);
  return {
    ok: false,
    error: {
      message: `nested deeper than ${MAX_JSON_DEPTH} levels at line ${line}, column ${column}`,
      offset,
      line,
      column,
      tooDeep: { path: valid ? pointerAt(text, offset) : "", maxDepth: MAX_JSON_DEPTH },
    },
  };
}

/**
 * Strict JSON.parse (fast path) that, on failure, says where: line, column and offset from a
 * tolerant scanner, so a consultant can find the typo. Text nested deeper than MAX_JSON_DEPTH
 * fails too (one extra pass over the text), so nothing downstream has to walk such a value;
 * `depthChecked` says the caller has made that pass already (over the bytes, say).
 */
export function parseJson(text: string, depthChecked = false): JsonParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (nativeError) {
    // The tolerant scanner recurses per level: deep text is reported as deep, never scanned.
    const deep = depthChecked ? -1 : depthExceededAt(text);
    if (deep >= 0) return tooDeepError(text, deep, false);
    const errors: ParseError[] = [];
    parse(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    const first = errors[0];
    const offset = first ? first.offset : text.length;
    const reason = first
      ? (READABLE[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error))
      : (nativeError as Error).message;
    const { line, column } = lineAndColumn(text, offset);
    return {
      ok: false,
      error: { message: `${reason} at line ${line}, column ${column}`, offset, line, column },
    };
  }
  const deep = depthChecked ? -1 : depthExceededAt(text);
  return deep < 0 ? { ok: true, value } : tooDeepError(text, deep, true);
}
