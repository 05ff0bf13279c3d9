import "server-only";
import { type DbClient, getDb } from "../../../db/client";
import { migrateDatabase } from "../../../db/migrate";
import { demoNotice } from "../demo/demo-notice";
import { seedDemo } from "../demo/demo-seed";
import { seedFirstAdmin } from "../demo/first-admin";
import { startImportThread } from "../imports/import-thread";
import { DataDirInUseError, type DataDirLock, lockDataDir } from "./data-dir-lock";
import { env } from "./env";

/**
 * The operator database, migrated: Postgres when DATABASE_URL is set, else the PGlite folder
 * MMS_DATA_DIR, locked against a second process for as long as the client is open. This is the
 * process-wide `getDb()` client; `close()` closes it and releases the lock.
 */
export async function openDatabase(): Promise<DbClient> {
  const lock: DataDirLock | null = env.DATABASE_URL ? null : lockDataDir(env.MMS_DATA_DIR);
  let client: DbClient | undefined;
  try {
    client = getDb();
    await migrateDatabase(client);
  } catch (error) {
    await client?.close().catch(() => {});
    lock?.release();
    throw error;
  }
  const opened = client;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= opened.close().finally(() => lock?.release());
    return closing;
  };
  return { ...opened, close };
}

/** Where the data lives, for the start-up log; never prints a URL (it may hold a password). */
export function describeDatabase(): string {
  return env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `PGlite in ${env.MMS_DATA_DIR}`;
}

const started = globalThis as typeof globalThis & { __mmsServerStart?: Promise<DbClient> };

/**
 * The Next server's start (instrumentation.ts): open and migrate the database, seed the demo
 * data into an empty one, and close the database cleanly on SIGTERM/SIGINT. Runs once per process.
 */
export function startServer(): Promise<DbClient> {
  started.__mmsServerStart ??= start();
  return started.__mmsServerStart;
}

async function start(): Promise<DbClient> {
  let client: DbClient;
  try {
    client = await openDatabase();
  } catch (error) {
    // A second server on the same folder must stop here, with one line instead of a stack.
    if (error instanceof DataDirInUseError) {
      console.error(`[mms] cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  installShutdown(client);
  console.log(`[mms] database: ${describeDatabase()}, migrated`);
  // Big imports run on their own thread next to a Postgres server: its code loads now, not on
  // the first ERP post.
  if (client.kind === "postgres") startImportThread(client);
  // Demo data only where asked for: by default the embedded database, never a production server.
  const demo = env.MMS_DEMO_SEED ? await seedDemo(client) : null;
  // Also for a demo seeded before accounts existed: someone must be able to sign in.
  const admin = env.MMS_DEMO_SEED ? await seedFirstAdmin(client) : null;
  if (demo) {
    console.log(
      `[mms] empty database: seeded demo integration "${demo.integration.name}" (id ${demo.integration.id})`,
    );
  }
  if (demo || admin) console.log(demoNotice(demo, `http://localhost:${env.PORT}`, admin));
  return client;
}

/**
 * `next start` exits on SIGTERM before PGlite is closed, so the next start would run crash
 * recovery. With NEXT_MANUAL_SIG_HANDLE=1 Next leaves the signals to us: close, then exit.
 */
function installShutdown(client: DbClient): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second Ctrl-C while closing means "now".
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[mms] ${signal}: closing the database`);
    client.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[mms] closing the database failed: ${(error as Error)?.message ?? error}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
