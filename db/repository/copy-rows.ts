import { once } from "node:events";
import type { Db } from "../client";
import { driverOf } from "./driver";
import { breathe } from "./sql-json";

const SPECIAL = /[\\\t\n\r]/;

/** One text-format COPY field: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "object") {
    // JSON text has no raw tabs or line breaks; only its backslashes need doubling.
    const json = JSON.stringify(value);
    return json.includes("\\") ? json.replace(/\\/g, "\\\\") : json;
  }
  const text = String(value);
  return SPECIAL.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}

/**
 * One COPY of many rows whose text is built slice by slice (`slice(start, end)` returns the lines
 * of rows start..end-1): on Postgres each slice goes to the server as soon as it is built, so the
 * server ingests one slice while the next is built, and no slice blocks the event loop for long.
 */
export async function copyLines(
  tx: Db,
  table: string,
  columns: readonly string[],
  count: number,
  slice: (start: number, end: number) => string,
  size = 5000,
) {
  if (count === 0) return;
  const driver = driverOf(tx);
  const statement = `COPY ${table} (${columns.join(", ")}) FROM`;
  if (driver.kind === "postgres") {
    const stream = await driver.client.unsafe(`${statement} STDIN`).writable();
    const failed = new Promise<never>((_, reject) => stream.once("error", reject));
    failed.catch(() => {});
    const finished = new Promise<void>((resolve) => stream.once("finish", resolve));
    for (let start = 0; start < count; start += size) {
      if (start > 0) await Promise.race([breathe(), failed]);
      if (!stream.write(slice(start, Math.min(count, start + size))))
        await Promise.race([once(stream, "drain"), failed]);
    }
    stream.end();
    await Promise.race([finished, failed]);
    return;
  }
  // PGlite runs each statement synchronously on this thread: one COPY per slice keeps every
  // pause short (see rowsPerStatement).
  for (let start = 0; start < count; start += size) {
    if (start > 0) await breathe();
    const text = slice(start, Math.min(count, start + size));
    await driver.client.query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
  }
}
