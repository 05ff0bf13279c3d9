import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";

export interface JsonSyntaxError {
  message: string;
  /** 0-based character offset of the error. */
  offset: number;
  /** 1-based line and column, for people. */
  line: number;
  column: number;
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

/**
 * Strict JSON.parse (fast path) that, on failure, says where: line, column and offset from a
 * tolerant scanner, so a consultant can find the typo.
 */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (nativeError) {
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
}
