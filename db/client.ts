import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "../lib/server/platform/env";
import * as schema from "./schema";

export type Schema = typeof schema;
/** One database type for both drivers: query builder, `execute()` (see `rowsOf`), transactions. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = "pglite" | "postgres";

interface DbClientBase {
  readonly db: Db;
  /** The Postgres schema on the connection's search_path; undefined means the default (public). */
  readonly schema: string | undefined;
  /** Closes the connection(s); safe to call more than once. */
  close(): Promise<void>;
}

/**
 * A database handle. `driver` is the underlying client, for what drizzle does not wrap (COPY on
 * postgres-js, `dumpDataDir` on PGlite); narrow on `kind` first.
 */
export type DbClient =
  | (DbClientBase & { readonly kind: "pglite"; readonly driver: PGlite })
  | (DbClientBase & {
      readonly kind: "postgres";
      readonly driver: postgres.Sql;
      /** The server URL it connects to (another thread opens its own client with it). */
      readonly url: string;
    });

export interface CreateDbOptions {
  /** Postgres server URL. Without it the client is an embedded PGlite. */
  url?: string;
  /** PGlite folder; created (mkdir -p) if missing. Never share one between processes. */
  dataDir?: string;
  /** PGlite in memory (tests). */
  memory?: boolean;
  /** PGlite only: start from a `dumpDataDir()` tarball instead of an empty cluster (3x faster). */
  loadDataDir?: Blob;
  /** Postgres only: the schema to put on search_path (it must exist before use). */
  schema?: string;
  /** Postgres only: pool size (default 10). */
  max?: number;
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens a new client (no caching): for tests, the CLI and `getDb()`. */
export function createDb(options: CreateDbOptions): DbClient {
  if (options.schema !== undefined && !schemaName.test(options.schema)) {
    throw new Error(`createDb: schema must match ${schemaName}, got ${options.schema}`);
  }
  if (options.url) {
    if (options.dataDir || options.memory || options.loadDataDir) {
      throw new Error("createDb: pass either url (Postgres) or dataDir/memory (PGlite), not both");
    }
    return createPostgres(options.url, options);
  }
  if (options.schema !== undefined) {
    throw new Error("createDb: schema is only supported for Postgres (url)");
  }
  if (options.memory) return createPglite(undefined, options.loadDataDir);
  if (options.dataDir) return createPglite(options.dataDir, options.loadDataDir);
  throw new Error("createDb: pass url, dataDir or memory: true");
}

function createPostgres(url: string, options: CreateDbOptions): DbClient {
  const driver = postgres(url, {
    max: options.max ?? 10,
    // The migrator's `CREATE SCHEMA IF NOT EXISTS` would print a NOTICE on every start.
    onnotice: () => {},
    connection: {
      // Raw-SQL timestamptz text and ::date casts must not depend on the server's configured zone;
      // PGlite runs in UTC too.
      TimeZone: "UTC",
      // The import's set-based statements cost enough to trigger JIT compilation, which took
      // 20-50 ms per statement and gained nothing at these sizes.
      jit: "off",
      ...(options.schema ? { search_path: options.schema } : {}),
    },
  });
  const db: Db = drizzlePostgres(driver, { schema });
  const close = once(() => driver.end({ timeout: 5 }));
  return { db, kind: "postgres", driver, url, schema: options.schema, close };
}

function createPglite(dataDir: string | undefined, loadDataDir: Blob | undefined): DbClient {
  // PGlite does not create parent folders.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Options object only: `new PGlite(undefined, options)` silently ignores the options.
  const driver = new PGlite({ dataDir, loadDataDir });
  const db: Db = drizzlePglite(driver, { schema });
  const close = once(() => driver.close());
  return { db, kind: "pglite", driver, schema: undefined, close };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}

const cache = globalThis as typeof globalThis & { __mmsDbClient?: DbClient };

/**
 * The process-wide client: Postgres when DATABASE_URL is set, else PGlite in MMS_DATA_DIR.
 * Cached on globalThis so dev-server reloads reuse it. Does not migrate (see `migrateDatabase`).
 */
export function getDb(): DbClient {
  if (cache.__mmsDbClient) return cache.__mmsDbClient;
  const opened = env.DATABASE_URL
    ? createDb({ url: env.DATABASE_URL })
    : createDb({ dataDir: env.MMS_DATA_DIR });
  const client: DbClient = {
    ...opened,
    close: () => {
      if (cache.__mmsDbClient === client) cache.__mmsDbClient = undefined;
      return opened.close();
    },
  };
  cache.__mmsDbClient = client;
  return client;
}

/**
 * Tests: makes `getDb()` return `client` (the route handlers then run against a test database);
 * `undefined` forgets it, so the next `getDb()` opens the environment's database again. The caller
 * keeps ownership of `client` and closes it itself.
 */
export function useDbForTests(client: DbClient | undefined): void {
  cache.__mmsDbClient = client;
}

/** The rows of a `db.execute()` result: postgres-js returns an array, PGlite `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as T[];
  throw new TypeError("rowsOf: not a db.execute() result");
}
