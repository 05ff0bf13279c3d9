import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, type DbClient, type DbKind } from "../../db/client";
import { migrateDatabase } from "../../db/migrate";

/** TEST_DATABASE_URL names a Postgres server to run the integration suites on as well. */
const postgresUrl = () => process.env.TEST_DATABASE_URL || undefined;
const postgresRequired = () => process.env.REQUIRE_POSTGRES === "1";

let kinds: Promise<DbKind[]> | undefined;

/**
 * The databases to run integration suites on: always "pglite", plus "postgres" when
 * TEST_DATABASE_URL is set and reachable. An unreachable server is skipped with a warning, unless
 * REQUIRE_POSTGRES=1, which also fails when TEST_DATABASE_URL is unset.
 *
 * Use with top-level await: `describe.each(await testDatabases())("on %s", (kind) => ...)`.
 */
export function testDatabases(): Promise<DbKind[]> {
  kinds ??= probeKinds();
  return kinds;
}

async function probeKinds(): Promise<DbKind[]> {
  const url = postgresUrl();
  if (!url) {
    if (postgresRequired()) {
      throw new Error("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
    }
    return ["pglite"];
  }
  const problem = await probe(url);
  if (!problem) return ["pglite", "postgres"];
  const message = `TEST_DATABASE_URL (${redact(url)}) is unreachable: ${problem}`;
  if (postgresRequired()) throw new Error(`REQUIRE_POSTGRES=1 and ${message}`);
  console.warn(`${message}; running the database suites on PGlite only`);
  return ["pglite"];
}

async function probe(url: string): Promise<string | undefined> {
  const client = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select 1`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end({ timeout: 1 }).catch(() => {});
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

let pgliteTemplate: Promise<Blob> | undefined;

/**
 * A fresh, migrated database, private to the caller: PGlite in memory, or on Postgres a new schema
 * with a random name (tables and drizzle's bookkeeping both in it) that `close()` drops.
 */
export async function openTestDb(kind: DbKind): Promise<DbClient> {
  if (kind === "pglite") return openPglite();
  const url = postgresUrl();
  if (!url) throw new Error('openTestDb("postgres") needs TEST_DATABASE_URL');
  const schemaName = `mms_test_${randomBytes(6).toString("hex")}`;
  const client = createDb({ url, schema: schemaName, max: 4 });
  try {
    await client.db.execute(sql.raw(`create schema "${schemaName}"`));
    await migrateDatabase(client);
  } catch (error) {
    await dropAndClose(client, schemaName);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    ...client,
    close: () => {
      closing ??= dropAndClose(client, schemaName);
      return closing;
    },
  };
}

/**
 * PGlite's initdb takes about 2 s; a clone of a migrated cluster (dumped once per test file) starts
 * in about 0.7 s. The first caller gets the cluster the template was dumped from.
 */
async function openPglite(): Promise<DbClient> {
  if (pgliteTemplate) {
    return createDb({ memory: true, loadDataDir: await pgliteTemplate });
  }
  const client = createDb({ memory: true });
  const template = (async () => {
    await migrateDatabase(client);
    if (client.kind !== "pglite") throw new Error("expected a PGlite client");
    return client.driver.dumpDataDir("none");
  })();
  pgliteTemplate = template;
  try {
    await template;
  } catch (error) {
    pgliteTemplate = undefined;
    await client.close();
    throw error;
  }
  return client;
}

async function dropAndClose(client: DbClient, schemaName: string): Promise<void> {
  try {
    await client.db.execute(sql.raw(`drop schema if exists "${schemaName}" cascade`));
  } finally {
    await client.close();
  }
}
