import { readFile } from "node:fs/promises";
import { XmlInvalidError } from "../engine/xml/xml-invalid-error";
import { xmlToJson } from "../engine/xml/xml-to-json";
import { parseJson } from "../json/parse-json";

/** An input problem the CLI reports in one line and exits with code 2; never a stack trace. */
export class CliInputError extends Error {}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function printJson(io: CliIo, value: unknown) {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

async function readText(path: string, label: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a directory"
          : code === "EACCES"
            ? "permission denied"
            : String(code ?? error);
    throw new CliInputError(`cannot read ${label} file "${path}": ${why}`);
  }
  return text;
}

/** Reads and parses a JSON file; unreadable files and syntax errors become CliInputErrors. */
export async function readJsonFile(path: string, label: string): Promise<unknown> {
  const text = await readText(path, label);
  const parsed = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!parsed.ok)
    throw new CliInputError(
      parsed.error.tooDeep
        ? `${label} file "${path}" is ${parsed.error.message}`
        : `${label} file "${path}" is not valid JSON: ${parsed.error.message}`,
    );
  return parsed.value;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** A required flag's value, or a usage error naming it. */
export function required(value: string | undefined, flag: string, what = "FILE"): string {
  if (!value) throw new CliInputError(`missing --${flag} ${what}`);
  return value;
}

/**
 * How a payload file is written: `--format json|xml`, else by its name (`.xml` is XML, anything
 * else JSON).
 */
export function payloadFormat(path: string, format: string | undefined): "json" | "xml" {
  if (format === undefined) return /\.xml$/i.test(path) ? "xml" : "json";
  if (format === "json" || format === "xml") return format;
  throw new CliInputError(`--format must be json or xml, got "${format}"`);
}

/**
 * A payload file: any JSON object or array (a bare number or string is no payload), or with
 * format "xml" an XML document, converted as the API converts it (SPEC-ENTITIES 7).
 */
export async function readPayload(path: string, format: "json" | "xml" = "json"): Promise<unknown> {
  if (format === "xml") return readXmlPayload(path);
  const payload = await readJsonFile(path, "payload");
  if (payload === null || typeof payload !== "object") {
    throw new CliInputError(
      `payload file "${path}" must hold a JSON object or array, not ${describeJsonType(payload)}`,
    );
  }
  return payload;
}

async function readXmlPayload(path: string): Promise<unknown> {
  const text = await readText(path, "payload");
  try {
    return xmlToJson(text);
  } catch (error) {
    if (!(error instanceof XmlInvalidError)) throw error;
    throw new CliInputError(`payload file "${path}" is not valid XML: ${error.message}`);
  }
}
