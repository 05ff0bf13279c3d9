import { readFile } from "node:fs/promises";
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

/** Reads and parses a JSON file; unreadable files and syntax errors become CliInputErrors. */
export async function readJsonFile(path: string, label: string): Promise<unknown> {
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

/** A payload file: any JSON object or array (a bare number or string is no payload). */
export async function readPayload(path: string): Promise<unknown> {
  const payload = await readJsonFile(path, "payload");
  if (payload === null || typeof payload !== "object") {
    throw new CliInputError(
      `payload file "${path}" must hold a JSON object or array, not ${describeJsonType(payload)}`,
    );
  }
  return payload;
}
