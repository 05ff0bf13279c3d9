import path from "node:path";
import { freePort } from "../app-server";
import { type FreshDatabase, freshDatabase, openDatabase } from "../fresh-database";
import type { Figures } from "./figures";
import type { Findings } from "./findings";
import { postJson } from "./http";
import type { ProofOptions } from "./options";
import { ProofServer } from "./proof-server";
import { dryRun } from "./routes";
import { seedWorld } from "./seed-world";
import { SLUG, type World } from "./world";

/** One database with its server and the keys to it. */
export interface Target {
  label: "PGlite" | "Postgres";
  database: FreshDatabase;
  server: ProofServer;
  world: World;
}

/** What a part of the report says: its method and its results, as Markdown. */
export interface Section {
  title: string;
  method: string;
  results: string[];
  seconds?: number;
}

export interface ProofContext {
  options: ProofOptions;
  findings: Findings;
  figures: Figures;
  log: (line: string) => void;
  tmpDir: string;
  /** Every database and server started, for the clean-up. */
  databases: FreshDatabase[];
  servers: ProofServer[];
  /** The PGlite and the Postgres target, once open. */
  targets: Target[];
  sections: Section[];
}

/**
 * A fresh database (PGlite folder or a database of its own on the Postgres server), seeded
 * (see seedWorld), and a `next start` on it, answering.
 */
export async function openTarget(ctx: ProofContext, label: Target["label"]): Promise<Target> {
  const database = await freshDatabase(
    label === "Postgres" ? ctx.options.postgresUrl : undefined,
    "mms_proof_",
  );
  ctx.databases.push(database);
  const client = openDatabase(database);
  let world: World;
  try {
    world = await seedWorld(client);
  } finally {
    await client.close();
  }
  const server = await startServer(ctx, label, database, world);
  const target = { label, database, server, world };
  ctx.targets.push(target);
  return target;
}

/** Another server on a target's database (Postgres: two instances share one database). */
export async function startServer(
  ctx: ProofContext,
  name: string,
  database: FreshDatabase,
  world: World,
): Promise<ProofServer> {
  const port = await freePort();
  const server = new ProofServer(
    name,
    database,
    port,
    path.join(ctx.tmpDir, `${name.replace(/\W+/g, "-")}-${port}.log`),
  );
  ctx.servers.push(server);
  // An empty dry run: on Postgres it needs the import thread, which can hang while the rest answers.
  server.probe = postJson(dryRun(SLUG), world.apiKey, { payload: { readings: [] } });
  await server.start();
  ctx.log(`  ${name}: next start on port ${port} (pid ${server.pid}), log ${server.logFile}`);
  return server;
}

/**
 * Runs `check` on a target's database. A PGlite folder takes one process at a time, so its
 * server is stopped (cleanly) for the check and started again after it.
 */
export async function withDatabase<T>(
  target: Target,
  check: (client: ReturnType<typeof openDatabase>) => Promise<T>,
): Promise<T> {
  const embedded = target.database.kind === "pglite";
  if (embedded) await target.server.stop();
  const client = openDatabase(target.database, 2);
  try {
    return await check(client);
  } finally {
    await client.close();
    if (embedded) await target.server.start();
  }
}
