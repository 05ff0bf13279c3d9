import { SaxesParser } from "saxes";
import { schedule } from "../cooperative";
import { attachBuilder, Refused, type XmlObject } from "./xml-builder";
import { XmlInvalidError } from "./xml-invalid-error";
import { refuseLoneSurrogates, xmlToJson } from "./xml-to-json";

/** Characters per slice: about 10-40 ms of parsing on these machines, under load too. */
const SLICE_CHARS = 128 * 1024;

const nextMacrotask = () => new Promise<void>((resolve) => schedule(resolve));

async function feed(parser: SaxesParser, text: string, pause: () => Promise<void>, size: number) {
  // The parser keeps a surrogate pair or a tag cut by a slice for the next write.
  for (let from = 0; from < text.length; from += size) {
    parser.write(text.slice(from, from + size));
    if (from + size < text.length) await pause();
  }
  parser.close();
}

/**
 * `xmlToJson`, the same value and the same XmlInvalidError, but fed to the parser in slices with
 * a macrotask between them, so a 20 MB payload converted on the server's own thread never blocks
 * timers and I/O for a second (PERFORMANCE: no synchronous slice over 100 ms).
 */
export async function xmlToJsonSliced(
  text: string,
  pause: () => Promise<void> = nextMacrotask,
  sliceChars = SLICE_CHARS,
): Promise<XmlObject> {
  refuseLoneSurrogates(text);
  const parser = new SaxesParser({ position: false });
  const result = attachBuilder(parser);
  try {
    await feed(parser, text, pause, sliceChars);
    return result();
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
  }
  // Refused: locate it in one piece, as xmlToJson does, so both say the very same place (where a
  // parser notices some errors depends on where its input was cut).
  xmlToJson(text);
  // Unreachable: the same text is refused the same way whether it is sliced or not.
  throw new XmlInvalidError("the XML could not be read", 1, 1, 0);
}
