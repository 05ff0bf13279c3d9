import { XmlInvalidError } from "../engine/xml/xml-invalid-error";
import { xmlToJson } from "../engine/xml/xml-to-json";
import { parseJson } from "../json/parse-json";

export type SampleFormat = "json" | "xml";

export type SampleReading =
  | { ok: true; value: unknown }
  | { ok: false; message: string; line: number; column: number; offset: number };

/**
 * A sample's text as the mapping sees it, in the browser: JSON parsed, XML converted exactly as
 * the events route converts `format: "xml"` (SPEC-ENTITIES 7). A failure says where, so the
 * editor can mark it and the bar can say it.
 */
export function readSample(text: string, format: SampleFormat): SampleReading {
  if (format === "xml") {
    try {
      return { ok: true, value: xmlToJson(text) };
    } catch (error) {
      if (!(error instanceof XmlInvalidError)) throw error;
      const { message, line, column, offset } = error;
      return { ok: false, message, line, column, offset };
    }
  }
  const parsed = parseJson(text);
  if (parsed.ok) return { ok: true, value: parsed.value };
  const { message, line, column, offset } = parsed.error;
  return { ok: false, message, line, column, offset };
}

/** Guesses a new or uploaded sample's format from its file name, else from its first character. */
export function sampleFormatOf(fileName: string, text: string): SampleFormat {
  if (/\.xml$/i.test(fileName)) return "xml";
  if (/\.json$/i.test(fileName)) return "json";
  return text.trimStart().startsWith("<") ? "xml" : "json";
}
