/**
 * Malformed or refused XML (SPEC-ENTITIES 7): the request-level code `XML_INVALID`, with where it
 * went wrong, as malformed JSON is reported. The only error the XML conversion throws.
 */
export class XmlInvalidError extends Error {
  readonly code = "XML_INVALID";

  constructor(
    /** What is wrong, without the position (the message adds it). */
    readonly reason: string,
    /** 1-based line and column of the character where the parser stopped. */
    readonly line: number,
    readonly column: number,
    /** 0-based character offset of the same place. */
    readonly offset: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = "XmlInvalidError";
  }
}
