import type { Db } from "../client";

/** Text-format COPY escaping: backslash, tab, newline and carriage return; null as \N. */
function field(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : text;
}

export function copyText(rows: readonly (readonly unknown[])[]): string {
  let out = "";
  for (const row of rows) out += `${row.map(field).join("\t")}\n`;
  return out;
}

interface PostgresJsClient {
  unsafe(query: string): { writable(): Promise<NodeJS.WritableStream> };
}
interface PgliteClient {
  query(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/**
 * COPY ... FROM STDIN on the connection of the current transaction: the fastest way rows get
 * into Postgres. drizzle does not wrap COPY, so this reaches the driver's transaction client
 * (postgres-js TransactionSql, or PGlite's Transaction with its /dev/blob input).
 */
export async function copyInto(tx: Db, table: string, columns: readonly string[], text: string) {
  const client = (tx as unknown as { session: { client: unknown } }).session.client;
  const statement = `COPY ${table} (${columns.join(", ")}) FROM`;
  if (typeof (client as PostgresJsClient).unsafe === "function") {
    const stream = await (client as PostgresJsClient).unsafe(`${statement} STDIN`).writable();
    await new Promise<void>((resolve, reject) => {
      stream.on("error", reject);
      stream.on("finish", () => resolve());
      stream.end(text);
    });
    return;
  }
  await (client as PgliteClient).query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
}
