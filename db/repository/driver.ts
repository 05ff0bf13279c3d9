import type { Writable } from "node:stream";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../client";

export interface PostgresJsClient {
  unsafe(
    query: string,
    params?: unknown[],
  ): Promise<unknown[]> & {
    values(): Promise<unknown[][]>;
    writable(): Promise<Writable>;
    /** postgres.js internal: how the connection fails the statement (see CopyIn). */
    reject?: (error: unknown) => void;
  };
}
interface PgliteClient {
  query(
    query: string,
    params: unknown[],
    options: { blob?: Blob; rowMode?: "array" },
  ): Promise<{ rows: unknown[][] }>;
}

/**
 * The driver client under a drizzle handle (a transaction's own connection inside one), for what
 * drizzle does not wrap: COPY, and rows as arrays. postgres-js Sql/TransactionSql, or PGlite.
 */
export function driverOf(
  db: Db,
): { kind: "postgres"; client: PostgresJsClient } | { kind: "pglite"; client: PgliteClient } {
  const client = (db as unknown as { session: { client: unknown } }).session.client;
  return typeof (client as PostgresJsClient).unsafe === "function"
    ? { kind: "postgres", client: client as PostgresJsClient }
    : { kind: "pglite", client: client as PgliteClient };
}

/**
 * How many rows one bulk statement should carry. PGlite executes a statement synchronously on
 * the event loop's thread (WASM), so there a statement over 50k rows froze the server for over a
 * second: 5k-row statements keep each pause well under 100 ms. A server gets bigger batches.
 */
export function rowsPerStatement(db: Db): number {
  return driverOf(db).kind === "pglite" ? 5000 : 25_000;
}

/**
 * Rows as arrays of column values, the way the server sends them: no object per row and no
 * per-column decoding beyond the driver's own (select text columns to get strings).
 */
export async function queryValues(db: Db, query: string, params: unknown[]): Promise<unknown[][]> {
  const driver = driverOf(db);
  if (driver.kind === "postgres") return driver.client.unsafe(query, params).values();
  return (await driver.client.query(query, params, { rowMode: "array" })).rows;
}

/**
 * A Postgres array literal (`{"a","b",NULL}`) for one text parameter: bulk values travel as one
 * string both drivers pass through untouched (PERFORMANCE.md), to be cast (`$1::uuid[]`) and
 * `unnest`ed by the server.
 */
export function arrayLiteral(values: readonly (string | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    parts[i] =
      v === null || v === undefined
        ? "NULL"
        : /["\\]/.test(v)
          ? `"${v.replace(/["\\]/g, "\\$&")}"`
          : `"${v}"`;
  }
  return `{${parts.join(",")}}`;
}

/**
 * An array literal of values that never need quoting (UUIDs, ISO dates, decimals): no scan for
 * quotes, a third of the cost of `arrayLiteral` for 100k values.
 */
export function plainArrayLiteral(values: readonly (string | null | undefined)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = values[i] ?? "NULL";
  return `{${parts.join(",")}}`;
}

/**
 * Sends a statement and resolves once what follows may be sent: on a Postgres server at once (the
 * connection runs statements in order, so the next one queues right behind it while this thread
 * goes on), on PGlite once it has run. `done` settles when the statement has run; await it (a
 * failure must not go unseen).
 */
export async function sendAhead(db: Db, statement: SQL): Promise<{ done: Promise<void> }> {
  // then() sends it now, once (drizzle sends on every then()).
  const done = db.execute(statement).then(() => {});
  done.catch(() => {});
  if (driverOf(db).kind === "pglite") await done;
  return { done };
}

/**
 * Waits for statements sent one behind the other, in the order they were sent: the first to fail
 * is the cause, and its error is the one thrown (those behind it fail for it).
 */
export async function settleInOrder(sent: readonly Promise<unknown>[]): Promise<void> {
  for (const statement of sent) await statement;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A uuid (or null) written into the statement: a statement without parameters goes out at once
 * and the next ones right behind it, where one with a parameter waits for the server to describe
 * it first (postgres.js, unprepared), and holds the statements behind it until then (an update's
 * waited 35 ms for this thread, busy encoding the record, to send its second half).
 */
export function uuidLiteral(id: string | null): SQL {
  if (id === null) return sql.raw("NULL::uuid");
  if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return sql.raw(`'${id}'::uuid`);
}

/** uuids written into the statement as one `uuid[]` literal, for the same reason (uuidLiteral). */
export function uuidArrayLiteral(ids: readonly string[]): SQL {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not a uuid: ${id}`);
  return sql.raw(`'${plainArrayLiteral(ids)}'::uuid[]`);
}
