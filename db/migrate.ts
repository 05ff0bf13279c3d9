import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { DbClient, Schema } from "./client";

export interface MigrateOptions {
  /** Folder of drizzle-kit output; default: see `resolveMigrationsFolder`. */
  migrationsFolder?: string;
  /** Schema of drizzle's bookkeeping table: default the client's schema if it has one, else "drizzle". */
  migrationsSchema?: string;
}

/**
 * Applies the pending migrations with drizzle's migrator for the client's driver. When the client
 * has its own schema (tests), the tables and the bookkeeping table both go there.
 */
export async function migrateDatabase(
  client: Pick<DbClient, "db" | "kind" | "schema">,
  options: MigrateOptions = {},
): Promise<void> {
  const folder = resolveMigrationsFolder(options.migrationsFolder);
  const migrationsSchema = options.migrationsSchema ?? client.schema ?? "drizzle";
  const target = client.schema && client.schema !== "public" ? client.schema : undefined;
  const retargeted = target ? retargetMigrations(folder, target) : undefined;
  const config = { migrationsFolder: retargeted ?? folder, migrationsSchema };
  try {
    if (client.kind === "pglite") {
      await migratePglite(client.db as unknown as PgliteDatabase<Schema>, config);
    } else {
      await migratePostgres(client.db as unknown as PostgresJsDatabase<Schema>, config);
    }
  } finally {
    if (retargeted) rmSync(retargeted, { recursive: true, force: true });
  }
}

/**
 * The migrations folder: `explicit` if given, else `migrations/` next to this file (tsx, vitest,
 * the CLI from any working directory), else `<cwd>/db/migrations` (a Next bundle, where this file
 * no longer sits next to its folder).
 */
export function resolveMigrationsFolder(explicit?: string): string {
  const candidates = explicit
    ? [path.resolve(explicit)]
    : [besideThisModule(), path.resolve(process.cwd(), "db", "migrations")];
  for (const candidate of candidates) {
    if (candidate && existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
  }
  throw new Error(
    `No drizzle migrations found (looked for meta/_journal.json in ${candidates.filter(Boolean).join(", ")})`,
  );
}

function besideThisModule(): string | undefined {
  try {
    return path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");
  } catch {
    return undefined;
  }
}

/**
 * drizzle-kit qualifies foreign-key targets with "public"; in a test schema they must point at the
 * schema's own tables, so apply a copy of the migrations with the qualifier rewritten.
 */
function retargetMigrations(folder: string, schemaName: string): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), "mms-migrations-"));
  cpSync(folder, copy, { recursive: true });
  for (const file of readdirSync(copy)) {
    if (!file.endsWith(".sql")) continue;
    const sqlText = readFileSync(path.join(copy, file), "utf8");
    writeFileSync(path.join(copy, file), sqlText.replaceAll('"public".', `"${schemaName}".`));
  }
  return copy;
}
