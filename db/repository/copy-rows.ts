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

interface PostgresJsReadable {
  unsafe(query: string): { readable(): Promise<NodeJS.ReadableStream> };
}
interface PgliteBlobClient {
  query(query: string): Promise<{ blob?: Blob }>;
}

/**
 * COPY (query) TO STDOUT on the current transaction's connection, as text: for tens of thousands
 * of rows several times faster than the driver's per-row, per-column decoding. The query must
 * not take parameters (COPY cannot bind them).
 */
export async function copyOut(tx: Db, query: string): Promise<string> {
  const client = (tx as unknown as { session: { client: unknown } }).session.client;
  const statement = `COPY (${query}) TO`;
  if (typeof (client as PostgresJsReadable).unsafe === "function") {
    const stream = await (client as PostgresJsReadable).unsafe(`${statement} STDOUT`).readable();
    // Flowing mode, on purpose: postgres.js pauses its socket whenever the stream's buffer fills,
    // and an async iterator that stops reading at the end can leave it paused, hanging the
    // connection's next query. A 'data' listener never lets the buffer fill.
    return new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      stream.on("error", reject);
    });
  }
  const result = await (client as PgliteBlobClient).query(`${statement} '/dev/blob'`);
  return result.blob ? result.blob.text() : "";
}

const UNESCAPE: Record<string, string> = {
  "\\": "\\",
  n: "\n",
  r: "\r",
  t: "\t",
  b: "\b",
  f: "\f",
  v: "\v",
};

/** One field of COPY text output: `\N` is null; backslash escapes undone. */
export function copyField(text: string): string | null {
  if (text === "\\N") return null;
  if (!text.includes("\\")) return text;
  return text.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === "x") return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return UNESCAPE[e] ?? e;
  });
}
