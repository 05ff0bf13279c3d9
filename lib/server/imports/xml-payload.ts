import "server-only";
import { XmlInvalidError } from "../../engine/xml/xml-invalid-error";
import { xmlToJsonSliced } from "../../engine/xml/xml-to-json-sliced";
import { AppError } from "../http/app-error";

/**
 * A payload sent with `format: "xml"` (SPEC-ENTITIES 7): a string holding an XML document,
 * converted once to the JSON the mapping sees. Malformed or refused XML is `XML_INVALID` (422)
 * with line, column and position, as malformed JSON is reported; anything but a string is
 * `PAYLOAD_INVALID`. `subject` names the payload in messages ("The event payload").
 */
export async function xmlPayload(
  payload: unknown,
  subject = "The payload",
): Promise<Record<string, unknown>> {
  if (typeof payload !== "string") {
    throw new AppError(
      "PAYLOAD_INVALID",
      `${subject} has format "xml", so it must be a string holding an XML document`,
    );
  }
  try {
    // In slices: on PGlite this runs on the server's own thread, beside every other request.
    return await xmlToJsonSliced(payload);
  } catch (error) {
    if (!(error instanceof XmlInvalidError)) throw error;
    throw new AppError("XML_INVALID", `${subject} is not valid XML: ${error.message}`, {
      position: error.offset,
      line: error.line,
      column: error.column,
    });
  }
}
