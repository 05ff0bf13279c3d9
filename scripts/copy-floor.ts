import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { type FreshDatabase, openDatabase } from "./fresh-database";

/**
 * The benchmarks' floor: milliseconds to COPY `text` (TSV rows of `columns`) into a scratch table
 * shaped like `table`, on Postgres through a COPY stream, on PGlite from a blob. The scratch table
 * is dropped after.
 */
export async function timeCopyInto(
  database: FreshDatabase,
  table: "readings" | "entities",
  columns: string,
  text: string,
): Promise<number> {
  const scratch = `scratch_${table}`;
  const client = openDatabase(database);
  try {
    await client.db.execute(sql.raw(`DROP TABLE IF EXISTS ${scratch}`));
    await client.db.execute(sql.raw(`CREATE TABLE ${scratch} (LIKE ${table} INCLUDING ALL)`));
    const t = performance.now();
    if (client.kind === "postgres") {
      const stream = await client.driver
        .unsafe(`COPY ${scratch} (${columns}) FROM STDIN`)
        .writable();
      await pipeline(
        (async function* () {
          yield Buffer.from(text);
        })(),
        stream as unknown as Writable,
      );
    } else {
      await client.driver.query(`COPY ${scratch} (${columns}) FROM '/dev/blob'`, [], {
        blob: new Blob([text]),
      });
    }
    const ms = performance.now() - t;
    await client.db.execute(sql.raw(`DROP TABLE ${scratch}`));
    return ms;
  } finally {
    await client.close();
  }
}
