/**
 * The source offset of a position inside a JSON string literal, given the position in the decoded
 * string. `\"`, `\\` and `\n` are two source characters for one decoded one, `\uXXXX` six; every
 * other character is one UTF-16 unit on both sides, as JavaScript and Monaco count.
 *
 * `literalOffset`/`literalLength` cover the literal with its quotes; the result never leaves the
 * literal's content (between the quotes).
 */
export function sourceOffsetInLiteral(
  text: string,
  literalOffset: number,
  literalLength: number,
  decodedOffset: number,
): number {
  const literalEnd = literalOffset + literalLength;
  const closed = literalLength >= 2 && text[literalEnd - 1] === '"';
  const contentEnd = closed ? literalEnd - 1 : literalEnd;
  let i = literalOffset + 1;
  let decoded = 0;
  while (decoded < decodedOffset && i < contentEnd) {
    if (text[i] === "\\") i += text[i + 1] === "u" ? 6 : 2;
    else i += 1;
    decoded += 1;
  }
  return Math.min(i, contentEnd);
}

/** A JSON string literal for a value, as it is written back into the configuration. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}
