import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDb, type DbClient } from "../db/client";

/** Where a script's own database lives: a PGlite folder, or a database on a Postgres server. */
export interface FreshDatabase {
  kind: "pglite" | "postgres";
  /** The database's URL (Postgres). */
  url?: string;
  /** The PGlite folder. */
  dataDir?: string;
  /** The database's name on the server (Postgres). */
  name?: string;
  /** Removes it: the folder, or `DROP DATABASE ... WITH (FORCE)`. Safe to call more than once. */
  drop: () => Promise<void>;
}

/**
 * A new, empty database for a script: a PGlite folder under the temp dir when `serverUrl` is
 * undefined, else a database of its own on that Postgres server (named `<prefix><random>`), so
 * runs never meet each other's data or anyone else's.
 */
export async function freshDatabase(
  serverUrl: string | undefined,
  prefix = "mms_script_",
): Promise<FreshDatabase> {
  let dropped = false;
  if (!serverUrl) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), `${prefix.replaceAll("_", "-")}`));
    return {
      kind: "pglite",
      dataDir,
      drop: async () => {
        if (dropped) return;
        dropped = true;
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `${prefix}${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** The Postgres server these machines run locally (CI points the tests at it too). */
export const LOCAL_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * The Postgres server a benchmark defined on one measures on: DATABASE_URL, else the local one
 * when it answers; undefined (PGlite), said in the log, when none does or BENCH_PGLITE=1.
 */
export async function benchServerUrl(log: (line: string) => void): Promise<string | undefined> {
  if (process.env.BENCH_PGLITE === "1") return undefined;
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const probe = postgres(LOCAL_POSTGRES_URL, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`SELECT 1`;
    return LOCAL_POSTGRES_URL;
  } catch (error) {
    log(`no Postgres server answers at ${LOCAL_POSTGRES_URL} (${String(error)}): PGlite instead`);
    return undefined;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/** A client on a fresh database (never share a PGlite folder with a running server). */
export function openDatabase(database: FreshDatabase, max?: number): DbClient {
  return database.url
    ? createDb({ url: database.url, max })
    : createDb({ dataDir: database.dataDir as string });
}
